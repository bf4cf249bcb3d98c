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
caller says otherwise: about 88 % of Norwegians write bokmål). The norm's words decide also when lingua
likes Norwegian best but under its confidence threshold ("kva kostar sfo?" is Norwegian 0.54: it was kept
in the page's bokmål), if the lexicon knows two of the message's words ("qwe en zxc" is not bokmål).

lingua alone is weak evidence on a short message: "I want to speak to a real person" is English 0.51 and
Norwegian 0.24, "vad kostar boendeparkering" Swedish 0.36 and Norwegian 0.43, so under the confidence
threshold (or within the close-runner-up margin) the conversation's language was kept and a Swedish or
English resident was answered in bokmål. Words that only one of the six languages uses (DECISIVE: "jag",
"hur", "vad", "och", "är"; "the", "you", "want", "where"; "hvad", "hvornår", "jeres"; "mitä", "miten";
"hva", "kva", "ikkje", "meg") are strong evidence that lingua's letter statistics do not weigh: when a
message of three words or more has more such words of one language than of any other (the current one
included), lingua gives that language at least a close runner-up's share (not more than 0.25 below its
best: a Norwegian sentence with an English song title stays Norwegian), and the lexicon knows one more
word of the message in it (tinget.lexicon: "can uytrt ezhorp" is mash around an English word), the
message is answered in it. nb, nn and Danish share most of their spelling, so "hvordan kontakter jeg
kommunen" has no such word and keeps the conversation's language; courtesy words ("thanks", "tack",
"hey") are not listed, residents borrow them; nor is a word with a capital letter inside a sentence,
which belongs to a name or title ("kan jeg låne The Hobbit"). Two-word messages ("thank you", "hello
there") are left to lingua as before.

Letters are evidence too: ä and ö are written in Swedish and Finnish, never in bokmål, nynorsk or Danish,
which write æ and ø instead. A message whose own words (not the capitalised names and titles inside a
sentence: "kan jeg låne Döden på Nilen") use ä or ö and never æ or ø is not Norwegian or Danish, however
lingua splits its letter statistics ("kan man gå till biblioteket en söndag?" is Swedish 0.53 and
Norwegian 0.33, with no listed word: it was kept in the conversation's bokmål). Then the choice is among
the other languages, with lingua's values over them alone (LETTERS_EXCLUDE); as with a decisive word,
neither more words only Norwegian or Danish uses (DECISIVE) nor lingua may clearly prefer the ruled-out
languages ("hva betyr förskola på norsk" quotes a Swedish word), and two words of the message must be
known in the language chosen ("ölkä qwer" is no Swedish).

Residents on a keyboard without å/ä/ö/æ/ø write "hvornar", "nagon", "mita": the DECISIVE words count in
those spellings too (FOLDED; only spellings that are no word of another language). And between Norwegian
and Danish, whose split lingua makes on little evidence (less still without the letters: "hvornar er
biblioteket abent om lordagen" is Norwegian 0.65, Danish 0.17), a word only the conversation's language
uses, with none only the other uses, keeps the conversation's language.
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

# Words only one of the six languages uses (lower case, keyed by detect()'s candidates: "no" is bokmål and
# nynorsk together), the evidence that decides when lingua is unsure (detect()). Function words and a few
# very common verbs; never a word another of the languages writes the same ("hvor", "jeg", "ikke" are
# Danish and Norwegian, "mig"/"dig" Danish and Swedish, "to", "do", "be", "by", "me", "her" Norwegian words,
# "on" Finnish, "ja", "hej", "nu", "kun", "ett" more than one language's), nor courtesy words ("thanks",
# "tack", "hey", "takk", "kiitos"), which residents borrow from other languages. Riksmål forms that some
# Norwegians still write ("nogen", "noget", "efter") are not Danish evidence, nor the Norwegian words of
# public services that Swedes and Danes in Norway write in their own sentences ("Hur søker man
# barnehageplass?"), nor what another language uses as a loan or a word of its own ("have" is Danish,
# "some" Finnish social media, "IT" everyone's).
DECISIVE: dict[str, frozenset[str]] = {
    "no": frozenset("""hva kva kor korleis kven kvifor meg mye mykje noen noe nokon noko ikkje eg
        gjør gjer trenger treng dere dykk dykkar meir frå uten berre nokre hjelp hjelpe""".split()),
    "sv": frozenset("""jag inte är hur vad och mycket någon något några också måste behöver finns från
        för när där här varför vilken vilket vilka vem hon bara vill kunna göra gör inom även hjälp""".split()),
    "da": frozenset("""hvad hvornår jer jeres vores af ud uden blive bliver gerne hedder gør hjælp hjælpe
        spørge søger""".split()),
    "en": frozenset("""the you your what where when which who why how want need would could should does
        did doesn didn don has are was were there here this that these with about any can will of my if we
        us our they them their and get""".split()),
    "fi": frozenset("""minä sinä mitä miten missä mistä mihin milloin miksi kuka voinko voiko onko olen
        ovat oli että tai mutta myös vain minun minulla haluan tarvitsen voin kuinka paljonko""".split()),
}
# Letters the nb/nn/da family never writes (ä, ö) and the letters only that family writes (æ, ø).
LETTERS_EXCLUDE = (re.compile("[äö]"), re.compile("[æø]"), ("no", "da"))
SHORT_WORDS = 6  # a message of fewer words whose words are all known in the conversation's language keeps it ...
STRONG = 0.75  # ... unless lingua is at least this sure of another language
DECISIVE_MIN_WORDS = 3  # "thank you", "hello there": two words say too little to leave the conversation's language
CLOSE = 0.25  # lingua's margin within which the conversation's language is a close runner-up


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
           norwegian: str = "nb", follow_up: bool = False) -> Detection:
    """The language to answer in: the widget's fixed choice, a confident detection, or ``current``.

    With ``lexical`` (the default), a switch away from ``current`` also needs one word of the message
    that is known in the detected language (tinget.lexicon): lingua names a language for keyboard mash
    too, and a Finnish resident who types "asdkjh qwe zzz" should not be answered in nynorsk. Staying in
    ``current`` needs no evidence. ``lexical=False`` is the rule without this check (benchmarks).
    ``local`` (a tinget.lexicon.Lexicon) holds further known words: the municipality's own KB articles
    (kb.store.kb_lexicon), so a resident who writes the words of a local article is answered in its language.
    ``follow_up``: the resident has written in this conversation before (it has had a turn), so ``current``
    is the language of the conversation, not only the page's: a short message whose every word is a word
    of it keeps it (SHORT_WORDS, STRONG). A first message is judged on its own evidence as before.
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
    # Words as a reader counts them: "I need a form" is four ("I" and "a" are no evidence, but words).
    counted = len(re.findall(r"[^\W\d_]+", text))
    decided = _decisive(_grammar_words(text), _group(current)) if counted >= DECISIVE_MIN_WORDS else None
    if decided is None and counted >= DECISIVE_MIN_WORDS and group != _group(current) \
            and _family_holds(_grammar_words(text), _group(current), group):
        # Norwegian and Danish: lingua's split between them is weak evidence (more so without æ/ø/å:
        # "hvornar er biblioteket abent om lordagen" is Norwegian 0.65, Danish 0.17); a word only the
        # conversation's language uses, and none only the other uses, keeps it.
        return Detection(current, held, "conversation")
    if decided is None and counted >= 2 and _group(current) in _excluded_by_letters(text):
        by_letters = _by_letters(scores, text, local, lexical, min_confidence)
        if by_letters is not None:  # the conversation's language is ruled out by the letters
            return by_letters
    if follow_up and decided is None and counted < SHORT_WORDS and group != _group(current) and best < STRONG \
            and _all_known(current, _grammar_words(text), local):
        # A short follow-up ("og om søndagen?" on a Danish page, "nar stanger biblioteket?" from a Swede
        # without ä/ö) whose every word the conversation's language uses: lingua's letter statistics on
        # three words are no evidence against it (it said Norwegian 0.64 and Danish below 0.39).
        return Detection(current, held, "conversation")
    if decided is not None and scores.get(decided, 0.0) >= best - CLOSE \
            and (not lexical or _known_words(decided, text, local) >= 2):
        # Words only that language uses; lingua does not clearly prefer another language (the current one
        # or a third: "legg til Where Is My Mind i lista mi" is Norwegian with an English title); and one
        # more word of the message is known in it than the decisive one ("can uytrt ezhorp" is mash).
        group, best = decided, scores.get(decided, 0.0)
    else:
        # Keep the conversation's language when it is a close runner-up (Norwegian/Danish on short texts).
        if group != _group(current) and held >= best - CLOSE and len(words) < 6:
            return Detection(current, held, "conversation")
        if best < min_confidence:
            if group == "no" and current in NORWEGIAN:  # Norwegian, if not surely: still its norm's own words
                norm = norwegian_norm(text, current)  # "kva kostar sfo?" (Norwegian 0.54) is nynorsk
                if norm != current and (not lexical or _known_words("no", text, local) >= 2):  # not "qwe en zxc"
                    return Detection(norm, best, "detected")
            return Detection(current, best, "conversation")
    code = group
    if group == "no":
        code = norwegian_norm(text, next(lg for lg in (current, norwegian, "nb") if lg in NORWEGIAN))
    if lexical and code != current and not _lexicon().knows_any(code, text) \
            and not (local is not None and local.knows_any(code, text)):
        return Detection(current, held, "conversation")
    return Detection(code, best, "detected")


def _by_letters(scores: dict[str, float], text: str, local: Lexicon | None, lexical: bool,
               min_confidence: float) -> Detection | None:
    """The language of a message whose letters rule out the nb/nn/da family (LETTERS_EXCLUDE): the best of
    the other languages by lingua's values over them alone, when lingua does not clearly prefer the family
    and two words of the message are known in it ("ölkä qwer" is mash, not Finnish); None otherwise."""
    excluded = LETTERS_EXCLUDE[2]
    rest = sum(v for k, v in scores.items() if k not in excluded)
    if rest <= 0:
        return None
    group, value = max(((k, v) for k, v in scores.items() if k not in excluded), key=lambda item: item[1])
    if value / rest < min_confidence or value < max(scores.get(k, 0.0) for k in excluded) - CLOSE:
        return None
    if lexical and _known_words(group, text, local) < 2:
        return None
    return Detection(group, value / rest, "detected")


def _excluded_by_letters(text: str) -> tuple[str, ...]:
    """The candidates the letters of ``text``'s own words rule out (LETTERS_EXCLUDE), or ()."""
    words = _grammar_words(text)
    own = " ".join(words).lower()
    found, absent, excluded = LETTERS_EXCLUDE
    if not found.search(own) or absent.search(own):
        return ()
    # Words only the family uses outweigh its letters: "hva betyr förskola?" quotes a Swedish word.
    counts = decisive_counts(words)
    family = max(counts.get(k, 0) for k in excluded)
    return excluded if family <= max(n for k, n in counts.items() if k not in excluded) else ()


def _group(lang: str) -> str:
    return "no" if lang in NORWEGIAN else lang


def _known_words(group: str, text: str, local: Lexicon | None) -> int:
    """How many different words of ``text`` (three letters or more) the lexicons know in ``group``."""
    known: set[str] = set()
    for lang in NORWEGIAN if group == "no" else (group,):
        known |= _lexicon().known(lang, text)
        if local is not None:
            known |= local.known(lang, text)
    return len(known)


_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n])[^\w]*$")


def _grammar_words(text: str) -> list[str]:
    """The words of ``text`` that belong to its own sentences: a word written with a capital letter
    after the start of a sentence is part of a name or title ("jeg vil høre The Beatles", "spill All
    You Need Is Love"), not evidence of the language the resident writes. A message in capitals
    throughout says nothing by its capitals: all its words count."""
    if not any(ch.islower() for ch in text):
        return WORD.findall(text)
    return [m.group(0) for m in WORD.finditer(text)
            if not m.group(0)[0].isupper() or _SENTENCE_START.search(text, 0, m.start())]


def decisive_counts(words: list[str]) -> dict[str, int]:
    """How many different words of ``words`` only each language uses (DECISIVE, also typed without
    å/ä/ö/æ/ø: FOLDED), per candidate ("no")."""
    seen = {w.lower() for w in words}
    folded = _folded_decisive()
    return {lang: len(seen & (listed | folded[lang])) for lang, listed in DECISIVE.items()}


# å/ä/ö/æ/ø as residents type them on a keyboard without them: the plain letter, or two letters.
_FOLDS = (str.maketrans({"å": "a", "ä": "a", "ö": "o", "æ": "ae", "ø": "o"}),
          str.maketrans({"å": "aa", "ä": "ae", "ö": "oe", "æ": "ae", "ø": "oe"}))
_FOLDED: dict[str, frozenset[str]] = {}


def _folded_decisive() -> dict[str, frozenset[str]]:
    """The DECISIVE words with å/ä/ö/æ/ø spelled without them ("hvornar", "hjaelp", "nagon", "mita"): a
    resident on a foreign keyboard writes them so. Only spellings of three letters or more that are no
    word of another language: not listed there (in any spelling), not a word of its texts (tinget.lexicon,
    "fra" is Danish and nynorsk "frå"), nor, outside the nb/nn/da family, known there by prefix or compound."""
    if not _FOLDED:
        lex = _lexicon()
        variants = {lang: {w.translate(t) for w in listed for t in _FOLDS} - listed
                    for lang, listed in DECISIVE.items()}
        folded = {}
        for lang, spellings in variants.items():
            own = NORWEGIAN if lang == "no" else (lang,)
            family = {m for f in LANGUAGE_FAMILIES if set(own) & set(f) for m in f} or set(own)
            others = [o for o in _CODES.values() if o not in own]
            folded[lang] = frozenset(
                v for v in spellings if len(v) >= 3
                and not any(v in DECISIVE[o] or v in variants[o] for o in DECISIVE if o != lang)
                and not any(v in lex.words.get(o, ()) for o in others)
                and not any(lex.knows(o, v) for o in others if o not in family))
        _FOLDED.update(folded)
    return _FOLDED


_FOLDED_LEXICON: list[Lexicon] = []
_NORDIC = re.compile("[åäöæø]")


def _folded_lexicon() -> Lexicon:
    """The repository's lexicon with å/ä/ö/æ/ø spelled as on a keyboard without them (_FOLDS)."""
    if not _FOLDED_LEXICON:
        from tinget.lexicon import Lexicon

        lex, folded = _lexicon(), Lexicon()
        for lang, known in lex.words.items():
            for table in _FOLDS:
                folded.add(lang, " ".join(w.translate(table) for w in known if _NORDIC.search(w)))
        _FOLDED_LEXICON.append(folded)
    return _FOLDED_LEXICON[0]


def _all_known(lang: str, words: list[str], local: Lexicon | None) -> bool:
    """Whether ``words`` has a word of three letters or more and every such word is known in ``lang`` (the
    lexicons, tinget.lexicon; its family's words count, as there). A word typed without å/ä/ö/æ/ø counts
    as the word with them ("nar" as "när", "lordag" as "lördag"); one typed with them is its own evidence."""
    checked = [w.lower() for w in words if len(w) >= 3]
    if not checked:
        return False
    lex = _lexicon()
    for word in checked:
        if lex.knows(lang, word) or (local is not None and local.knows(lang, word)):
            continue
        if not _NORDIC.search(word) and _folded_lexicon().knows(lang, word):
            continue
        return False
    return True


def _family_holds(words: list[str], held: str, other: str) -> bool:
    """Whether ``held`` and ``other`` are Norwegian and Danish and ``words`` has a word only ``held`` uses
    (DECISIVE, FOLDED) and none only ``other`` uses."""
    family = {_group(m) for m in LANGUAGE_FAMILIES[0]}
    if held not in family or other not in family:
        return False
    counts = decisive_counts(words)
    return counts[held] > 0 and counts[other] == 0


def _decisive(words: list[str], held: str) -> str | None:
    """The language other than ``held`` with more words only it uses than any other language, or None."""
    counts = decisive_counts(words)
    lang, n = max(counts.items(), key=lambda item: item[1])
    if n == 0 or lang == held or sum(1 for v in counts.values() if v == n) > 1:
        return None
    return lang


def _lexicon():
    from tinget.lexicon import lexicon

    return lexicon()
