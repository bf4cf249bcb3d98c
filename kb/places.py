"""Place names of a municipality's dialogue settings (streets of the school-district table, nursing
homes), matched the way residents type them: any case, æøåäö written as ae/oe/aa or without marks."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


def fold(text: str) -> str:
    """Lower case, without diacritics (æ→a, ø→o, å→a, ä→a, ö→o, also from ae/oe/aa), single spaces."""
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a").replace("ä", "a").replace("ö", "o")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.replace("aa", "a").replace("ae", "a").replace("oe", "o")
    return re.sub(r"\s+", " ", text).strip()


def mentions(text: str, name: str) -> bool:
    """Whether ``text`` names ``name`` as whole words (folded)."""
    return _mentions_folded(fold(text), name)


@lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern | None:
    """A place name, folded, as a whole-word pattern (names come from the municipality's settings and
    repeat for every message: cached; residents' texts are never cached)."""
    needle = fold(name)
    return re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)") if needle else None


def _mentions_folded(folded_text: str, name: str) -> bool:
    pattern = _name_pattern(name)
    return pattern is not None and pattern.search(folded_text) is not None


_TOKEN = re.compile(r"\w+")

# One street as residents write it in bokmål or nynorsk, definite or not ("Storgata", "Storgaten", "Storgate";
# "Liavegen", "Liaveien", "Liaveg", "Liavei") and with the bokmål or nynorsk word in it ("Kirkeveien" for
# "Kyrkjevegen", "Skolegata" for "Skulegata", "Sykehjemsveien" for "Sjukeheimsvegen"): both the table's names
# and the message are brought to one form before they are compared (folded text; only for the street lookup).
_STREET_ENDINGS = re.compile(r"(?<=\w)(?:gata|gaten|gate)\b|(?<=\w)(?:vegen|veien|vei|veg)\b")
_STREET_WORDS = (("kirke", "kyrkje"), ("skole", "skule"), ("sykehjem", "sjukeheim"))


def street_form(folded: str) -> str:
    """``folded`` (kb.places.fold) with the street endings and words of STREET_ENDINGS/_STREET_WORDS in one form."""
    text = _STREET_ENDINGS.sub(lambda m: "gata" if m.group(0).startswith("g") else "vegen", folded)
    for bokmal, nynorsk in _STREET_WORDS:
        text = text.replace(bokmal, nynorsk)
    return text


@lru_cache(maxsize=4096)
def _street_pattern(street: str) -> re.Pattern:
    """A street of the table in street_form, as a whole-word pattern (cached as _name_pattern)."""
    needle = street_form(fold(street))
    return re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)") if needle else re.compile(r"(?!)")


# A short answer to "which street?" that names a street the table may not know: a word with a street's ending
# ("Bakkevegen", "Elvegata", "Granstien", "Solbakken"), after at most "vi bor i"/"we live in". It was read as
# an unsure greeting and handed to the service desk; now the bot says it does not know the street.
_LIVE_IN = re.compile(r"^(?:(?:vi|me|jeg|eg|i|we) (?:bor|bur|live|stay)(?: (?:i|pa|in|on|at))?|(?:i|pa|in|on|at|det er|it'?s))\s+")
_STREET_NAME = re.compile(r"\w{2,}(?:gata|gaten|gate|vegen|veien|vei|veg|stien|stig|stigen|bakken|bakke|plassen|plass|"
                          r"alle|allen|terrasse|terrassen|svingen|kroken|tunet|lia|lii|haugen|sletta|slettet|jordet|"
                          r"myra|ringen|torget|brygga|kaien|kaia|asen|lokka|lokken|moen|marka)$")


def names_a_street(text: str) -> bool:
    """Whether ``text`` is a short answer naming a street (one or two words after "vi bor i"), known or not."""
    words = _LIVE_IN.sub("", fold(text).strip(" .,!?")).split()
    return 1 <= len(words) <= 2 and any(_STREET_NAME.fullmatch(w) for w in words)


@lru_cache(maxsize=64)
def _street_index(streets: tuple[str, ...]) -> tuple[dict[str, list[int]], list[int]]:
    """The streets' positions by the first word of their folded name (a name that starts with no word
    character is always tried; one that folds to nothing never matches). Built once per table: the table
    comes from the municipality's settings and repeats for every message."""
    by_word: dict[str, list[int]] = {}
    always: list[int] = []
    for i, street in enumerate(streets):
        needle = street_form(fold(street))
        if not needle:
            continue
        first = _TOKEN.match(needle)
        if first:
            by_word.setdefault(first.group(0), []).append(i)
        else:
            always.append(i)
    return by_word, always


def find_street(text: str, districts: list[dict]) -> str:
    """The longest street of the school-district table that ``text`` mentions, spelled as in the table
    (of equally long ones, the first in the table)."""
    streets = tuple(street for district in districts for street in district.get("streets", []))
    if not streets:
        return ""
    by_word, always = _street_index(streets)
    folded = street_form(fold(text))  # once per message, not once per street
    # A street can only match where the text has its first word as a whole word (the pattern starts with
    # (?<!\w) and the name's first word ends where the name or a non-word character follows), so only
    # those streets are searched for: one regex search per candidate, not per street of the table (a
    # municipality's table has hundreds; most messages name none). Table order is kept for ties.
    candidates = set(always)
    for word in set(_TOKEN.findall(folded)):
        candidates.update(by_word.get(word, ()))
    best = ""
    for i in sorted(candidates):
        street = streets[i]
        if len(street) > len(best) and _street_pattern(street).search(folded):
            best = street
    return best


def says_where_one_lives(text: str) -> bool:
    """Whether ``text`` only says where the resident lives ("bor i sjøbuvegen", "vi bur i <ADDRESS>", "I live on
    Storgata 5"): background to a question, no question of its own."""
    folded = fold(text or "").strip(" .,!?")
    rest = _LIVE_IN.sub("", folded, count=1)
    if rest == folded and not re.match(r"^(?:(?:vi|me|jeg|eg|i|we) )?(?:bor|bur|live|lives)\b", folded):
        return folded == "<address>"
    rest = re.sub(r"^(?:bor|bur|live|lives)(?: (?:i|pa|in|on|at))?\s*", "", rest)
    return rest == "<address>" or names_a_street(rest)
