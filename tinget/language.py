"""Language identification for resident messages (lingua), limited to the six supported languages.

Short or ambiguous texts keep the conversation's language: "hej" or "takk" says little, and a
resident who started in nynorsk should not be answered in Danish because of one word. Addresses
(URLs, e-mail) and strings that are no word of any language (one letter repeated, a "word" of more
than 40 letters) are not evidence either: a pasted link or "aaaa…" is answered in the widget's language.

Bokmål and nynorsk are two written norms of one language, and most of a short message is spelled alike in
both ("Når er søknadsfristen for barnehage?"): lingua's split between them on such a text is noise, and
the lexicon (one pool for nb/nn/da) cannot tell them apart either. So the two are first one candidate,
"Norwegian", scored with the sum of lingua's values (lingua's split also weakened Norwegian against
Danish: "Hvor mye koster SFO?" is nb 0.47, da 0.31, nn 0.14); which norm a Norwegian message is written
in is then decided by the words only one norm uses (NORM_MARKERS: "hva/kva", "ikke/ikkje", "mye/mykje",
"jeg/eg"), the norm with more of them; without such a word, or as many of each, by the conversation's
norm (which the widget's page language set) or, from another language, ``norwegian`` (bokmål unless the
caller says otherwise: about 88 % of Norwegians write bokmål).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tinget.lexicon import Lexicon

_LOCK = threading.Lock()
_DETECTOR = None
_CODES = {"BOKMAL": "nb", "NYNORSK": "nn", "SWEDISH": "sv", "DANISH": "da", "FINNISH": "fi", "ENGLISH": "en"}
# A word: two or more letters (no digits, no underscore). tinget.lexicon reads words with the same pattern.
WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
_ADDRESS = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.)\S*|\S+@\S+\.\w+", re.IGNORECASE)
_LONGEST_WORD = 40
# Languages whose readers read each other's writing: bokmål, nynorsk and Danish. The one list for the
# lexicon (a word of one counts as evidence for the others, tinget.lexicon) and for the widget (its own
# texts do not flip between them; /api/v1/widget/config delivers this list to it).
LANGUAGE_FAMILIES: tuple[tuple[str, ...], ...] = (("nb", "nn", "da"),)


# Words only one written Norwegian norm uses (lower case): the evidence between bokmål and nynorsk.
# Everyday function words and a few very common forms whose official spelling differs; words both norms
# allow ("også", "blir", "søke", "komme", "skole", "uke", "heime", "når") are in neither list. Two-letter
# words count here ("eg", "ho", "en", "et"): the message is already known to be Norwegian.
NORM_MARKERS: dict[str, frozenset[str]] = {
    "nb": frozenset("""jeg ikke hva hvor hvordan hvem hvorfor hvilken hvilket hvilke hvis hver hvert mye
        noen noe en et hun dere deres være vært bare mer fra uten nå da ennå mens siden selv ble trenger
        kommer gjør sier""".split()),
    "nn": frozenset("""eg ikkje kva kor korleis kven kvifor kvar kvart mykje nokon noko nokre ein eit ho
        dei dykk dykkar vere vore berre meir frå utan no då enno medan sidan sjølv òg vart treng kjem gjer
        seier skule skulen eigen eige sjå""".split()),
}
NORWEGIAN = ("nb", "nn")


def norwegian_norm(text: str, default: str = "nb") -> str:
    """Bokmål or nynorsk for a Norwegian ``text``: the norm more of whose own words (NORM_MARKERS) it
    uses; ``default`` when it uses none, or as many of each."""
    words = {w.lower() for w in re.findall(r"[^\W\d_]+", text or "")}
    nb = len(words & NORM_MARKERS["nb"])
    nn = len(words & NORM_MARKERS["nn"])
    if nb == nn:
        return default
    return "nb" if nb > nn else "nn"


def language_family(lang: str) -> tuple[str, ...]:
    """The languages of ``lang``'s family (``lang`` first), or just ``lang``."""
    for family in LANGUAGE_FAMILIES:
        if lang in family:
            return (lang, *(other for other in family if other != lang))
    return (lang,)


def _is_word(token: str) -> bool:
    return len(token) <= _LONGEST_WORD and len(set(token.lower())) > 1


def _language_text(text: str) -> str:
    """The part of ``text`` that can say which language it is written in."""
    text = _ADDRESS.sub(" ", text or "")
    return WORD.sub(lambda m: m.group(0) if _is_word(m.group(0)) else " ", text)


@dataclass(frozen=True)
class Detection:
    lang: str
    confidence: float
    source: str  # detected | conversation | widget


def _detector():
    global _DETECTOR
    if _DETECTOR is None:
        with _LOCK:
            if _DETECTOR is None:
                from lingua import Language, LanguageDetectorBuilder

                langs = [getattr(Language, name) for name in _CODES]
                _DETECTOR = LanguageDetectorBuilder.from_languages(*langs).with_preloaded_language_models().build()
    return _DETECTOR


def warm_up() -> None:
    """Load the language models and the lexicon now (the web app does this at start, not per request)."""
    _detector()
    _lexicon()


def detect(text: str, current: str = "nb", *, fixed: bool = False, min_words: int = 2,
           min_confidence: float = 0.55, lexical: bool = True, local: Lexicon | None = None,
           norwegian: str = "nb") -> Detection:
    """The language to answer in: the widget's fixed choice, a confident detection, or ``current``.

    With ``lexical`` (the default), a switch away from ``current`` also needs one word of the message
    that is known in the detected language (tinget.lexicon): lingua names a language for keyboard mash
    too, and a Finnish resident who types "asdkjh qwe zzz" should not be answered in nynorsk. Staying in
    ``current`` needs no evidence. ``lexical=False`` is the rule without this check (benchmarks).
    ``local`` (a tinget.lexicon.Lexicon) holds further known words: the municipality's own KB articles
    (kb.store.kb_lexicon), so a resident who writes the words of a local article is answered in its language.
    """
    if fixed:
        return Detection(current, 1.0, "widget")
    text = _language_text(text)
    words = WORD.findall(text)
    if len(words) < min_words and len("".join(words)) < 10:
        return Detection(current, 0.0, "conversation")
    values = _detector().compute_language_confidence_values(text)
    if not values:
        return Detection(current, 0.0, "conversation")
    scores: dict[str, float] = {}
    for v in values:  # bokmål and nynorsk as one candidate, "no"
        key = _group(_CODES[v.language.name])
        scores[key] = scores.get(key, 0.0) + v.value
    group, best = max(scores.items(), key=lambda item: item[1])
    held = scores.get(_group(current), 0.0)
    # Keep the conversation's language when it is a close runner-up (Norwegian/Danish on short texts).
    if group != _group(current) and held >= best - 0.25 and len(words) < 6:
        return Detection(current, held, "conversation")
    if best < min_confidence:
        return Detection(current, best, "conversation")
    code = group
    if group == "no":
        code = norwegian_norm(text, next(lg for lg in (current, norwegian, "nb") if lg in NORWEGIAN))
    if lexical and code != current and not _lexicon().knows_any(code, text) \
            and not (local is not None and local.knows_any(code, text)):
        return Detection(current, held, "conversation")
    return Detection(code, best, "detected")


def _group(lang: str) -> str:
    return "no" if lang in NORWEGIAN else lang


def _lexicon():
    from tinget.lexicon import lexicon

    return lexicon()
