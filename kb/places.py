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


@lru_cache(maxsize=64)
def _street_index(streets: tuple[str, ...]) -> tuple[dict[str, list[int]], list[int]]:
    """The streets' positions by the first word of their folded name (a name that starts with no word
    character is always tried; one that folds to nothing never matches). Built once per table: the table
    comes from the municipality's settings and repeats for every message."""
    by_word: dict[str, list[int]] = {}
    always: list[int] = []
    for i, street in enumerate(streets):
        needle = fold(street)
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
    folded = fold(text)  # once per message, not once per street
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
        if len(street) > len(best) and _mentions_folded(folded, street):
            best = street
    return best
