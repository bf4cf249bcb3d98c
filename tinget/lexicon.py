"""Which words are known in each supported language: the lexical evidence a switch of language needs.

lingua names a language for any string, also for keyboard mash ("asdkjh qwe zzz" is nynorsk with
confidence 0.81), and no confidence threshold separates mash from real two-word questions. A switch away
from the conversation's language therefore needs at least one word the target language is known to use
(tinget.language.detect). The words come from the project's own per-language texts, read once at first
use (thread-safe, never at import): the Rasa NLU examples in training_data/nlu/<lang>/ and
training_data/nlu/generated/*_<lang>.yml, except out_of_scope (it teaches the bot what keyboard mash looks
like), every string under a language key in kb/content/, and a short hand-written list of very common
words below, which is all there is when the data folders are not deployed next to the package. A
municipality's own published KB articles in the database are a second, per-municipality lexicon
(``from_texts``, built and cached by kb.store.kb_lexicon until the KB changes) that detect() consults too.

A word of the message is evidence when it has at least three letters and is listed for the language
(lower case), shares its first five letters with a listed word (inflected forms: "kirjastosta",
"barnehageplassen"), or ends in a listed word of five letters or more (compounds: "hulevesimaksu" ends
in "maksu"). Two-letter words are no evidence: mash is full of them and many are a word somewhere ("as",
"er", "et", "ok", "hi"). Words without a vowel are not listed (cm, kl, tlf, www: the same in every
language), nor the placeholders of the KB and the redactor ({municipality.name}, <PHONE>).

Bokmål, nynorsk and Danish share one pool of evidence (``tinget.language.LANGUAGE_FAMILIES``, the list
the widget reads too). The question answered here is "is this real text?"; which of the three it is
stays with lingua and the close-runner-up rule in tinget.language. A Dane in Norway writes the Norwegian
names of services ("barnehage", "fastlege", "SFO") inside Danish sentences and should still be answered
in Danish, and the three written languages share most of their everyday spelling, so a bokmål word is
real evidence of a Danish or nynorsk text too. Swedish is not pooled: its spelling differs (ä, ö, "och",
"jag"), and mash is most often called Swedish by lingua, so a wider Swedish pool would let more of it
through.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tinget import language
from tinget.language import WORD

LANGS = ("nb", "nn", "sv", "da", "fi", "en")
ROOT = Path(__file__).resolve().parent.parent
NLU_DIR = ROOT / "training_data" / "nlu"
KB_DIR = ROOT / "kb" / "content"
PREFIX = 5
# Two-letter words are no evidence: keyboard mash is full of them and many are words somewhere
# ("as", "er", "et", "ok", "hi", "op"); the held-out NLU examples lose nothing without them.
MIN_EVIDENCE = 3
COMPOUNDS = True  # a word ending in a known word of PREFIX letters or more is known (compounds)
# Intents whose examples are not evidence of a language: out_of_scope holds keyboard mash on purpose
# ("qwe", "sdkfj lkjsdf", "gnfnf") so that the bot learns to recognise it.
NOT_EVIDENCE = {"out_of_scope"}

_ANNOTATION = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}")  # Rasa entity markup
# KB placeholders ({municipality.name}) and the redactor's (<PHONE>, <PERSON>) are no words of a language.
_PLACEHOLDER = re.compile(r"\{[^}]*\}|<[A-Z_]+>")
_VOWEL = re.compile(r"[aeiouyæøåäöéèêáàóòôúüíì]")

# Very common words per language, written for this list (pronouns, question words, conjunctions,
# prepositions, auxiliaries, greetings and thanks): present even when no data folder is deployed.
# Two-letter words are listed for completeness but never count (MIN_EVIDENCE).
COMMON = {
    "nb": """og i jeg det at en et den til er som på de med han av ikke der så var meg seg men har om vi
        min mitt mine hun nå over da ved fra du ut sin dem oss opp man kan hans hvor eller hva skal her
        alle vil bli blir ble kunne inn når være noen noe dere deres ja nei etter ned skulle denne for deg
        mot hvorfor dette disse uten hvordan ingen din ditt hvilken hvilke hvem hvis bare enn fordi før
        mange også må får få går gjør trenger takk hei hallo hjelp vår våre kommunen""",
    "nn": """og i eg det at ein eit den til er som på dei med han av ikkje der så var meg seg men har om
        vi me min mitt mine ho no over då ved frå du ut sin dykk dykkar oss opp kan hans kvar kor eller
        kva skal her alle vil bli blir vart kunne inn når vere nokon noko de ja nei etter ned skulle denne
        for deg mot kvifor dette desse utan korleis ingen din ditt kven viss berre enn fordi før mange
        òg også må får få gjer treng takk hei hallo hjelp vår våre kommunen""",
    "sv": """och i jag det att en ett den till är som på de med han av inte där så var mig sig men har om
        vi min mitt mina hon nu över då vid från du ut sin dem oss upp man kan hans hur eller vad ska
        skall här alla vill bli blir blev kunna in när vara någon något ni er era ja nej efter ned skulle
        denna för dig mot varför detta dessa utan ingen din ditt vilken vilka vem bara än eftersom före
        många också måste får få gör behöver tack hej hallå hjälp vår våra kommunen""",
    "da": """og i jeg det at en et den til er som på de med han af ikke der så var mig sig men har om vi
        min mit mine hun nu over da ved fra du ud sin dem os op man kan hans hvor eller hvad skal her alle
        vil blive bliver blev kunne ind når være nogen noget jer jeres ja nej efter ned skulle denne for
        dig mod hvorfor dette disse uden hvordan ingen din dit hvilken hvilke hvem hvis kun bare end fordi
        før mange også må får få gør brug tak hej hjælp vores kommunen""",
    "fi": """ja on ei se että en et emme hän me te he ne mikä mitä missä mistä mihin milloin miten miksi
        kuka kenen kun jos tai vai mutta kuin myös vain nyt jo vielä voi voiko voin voinko saa saako saan
        pitää pitääkö onko ovat oli olen olet olla minä sinä minun sinun meidän teidän heidän tämä tuo
        nämä siellä täällä kanssa ilman tarvitsen haluan kiitos kiitti hei moi terve apua kunta kunnan
        paljonko kuinka minulla meillä""",
    "en": """the and to of in is it you that he she was for on are as with his her they at be this have
        from or one had by not but what all were when we there can an your which their if do does did
        will how where who why my me would should could about need help please thanks thank hello hi am
        get our us""",
}


def words(text: str) -> list[str]:
    """The words of ``text``: letters only, at least two, lower case."""
    return [w.lower() for w in WORD.findall(text or "")]


@dataclass
class Lexicon:
    """Known words (and their five-letter prefixes) per language."""

    words: dict[str, set[str]] = field(default_factory=lambda: {lang: set() for lang in LANGS})
    prefixes: dict[str, set[str]] = field(default_factory=lambda: {lang: set() for lang in LANGS})

    def add(self, lang: str, text: str) -> None:
        if lang not in self.words:
            return
        for word in words(text):
            if not _VOWEL.search(word):  # "cm", "kl", "tlf", "www", "thx": abbreviations, in any language
                continue
            self.words[lang].add(word)
            if len(word) >= PREFIX:
                self.prefixes[lang].add(word[:PREFIX])

    def knows(self, lang: str, word: str) -> bool:
        """Whether ``word`` (lower case) is known in ``lang`` or in a language of its family: listed,
        sharing its first five letters with a listed word, or a compound ending in a listed word of five
        letters or more ("hulevesimaksu" ends in "maksu")."""
        for other in _evidence_langs(lang):
            known = self.words[other]
            if word in known:
                return True
            if len(word) >= PREFIX and word[:PREFIX] in self.prefixes[other]:
                return True
            if COMPOUNDS and any(word[i:] in known for i in range(1, len(word) - PREFIX + 1)):
                return True
        return False

    def knows_any(self, lang: str, text: str) -> bool:
        """Whether a word of ``text`` of at least three letters is known in ``lang`` (see ``knows``)."""
        return any(self.knows(lang, word) for word in words(_PLACEHOLDER.sub(" ", text))
                   if len(word) >= MIN_EVIDENCE)

    def known(self, lang: str, text: str) -> set[str]:
        """The different words of ``text`` of at least three letters known in ``lang`` (see ``knows``)."""
        return {word for word in words(_PLACEHOLDER.sub(" ", text))
                if len(word) >= MIN_EVIDENCE and self.knows(lang, word)}

    def size(self, lang: str) -> int:
        return len(self.words.get(lang, ()))


def _evidence_langs(lang: str) -> tuple[str, ...]:
    # Read at each call (not copied at import): the one list of families is tinget.language's.
    return tuple(other for other in language.language_family(lang) if other in LANGS)


def nlu_examples(nlu_dir: Path | None = None) -> Iterable[tuple[str, str]]:
    """(lang, example text) for every NLU example in ``nlu_dir``/<lang>/ and ``nlu_dir``/generated/*_<lang>.yml."""
    import yaml

    nlu_dir = nlu_dir or NLU_DIR
    if not nlu_dir.is_dir():
        return
    for path in sorted(nlu_dir.glob("*/*.yml")):
        folder = path.parent.name
        lang = folder if folder in LANGS else path.stem.rsplit("_", 1)[-1]
        if lang not in LANGS:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            if block.get("intent") in NOT_EVIDENCE:
                continue
            for line in str(block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    text = _ANNOTATION.sub(lambda m: m.group(1) or m.group(2) or "", line[2:])
                    yield lang, _PLACEHOLDER.sub(" ", text)


def kb_texts(kb_dir: Path | None = None) -> Iterable[tuple[str, str]]:
    """(lang, text) for every string under a language key (nb, nn, ...) in the KB content files."""
    import yaml

    kb_dir = kb_dir or KB_DIR
    if not kb_dir.is_dir():
        return

    def walk(node, lang):
        if isinstance(node, dict):
            for key, value in node.items():
                yield from walk(value, key if key in LANGS else lang)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value, lang)
        elif isinstance(node, str) and lang:
            yield lang, _PLACEHOLDER.sub(" ", node)

    for path in sorted(kb_dir.rglob("*.yml")):
        yield from walk(yaml.safe_load(path.read_text(encoding="utf-8")), None)


# Link targets and addresses in a KB article's Markdown ("[Søk her](https://…)", www.…, e-mail) are no words.
_LINK = re.compile(r"\]\([^)]*\)|(?:[a-z][a-z0-9+.-]*://|www\.)\S*|\S+@\S+", re.IGNORECASE)


def from_texts(texts: Iterable[tuple[str, str]]) -> Lexicon:
    """A lexicon of ``texts`` alone, (lang, Markdown) pairs such as a municipality's own KB articles
    (kb.store.kb_lexicon): no common words, placeholders and link targets left out. Consulted next to
    the repository's lexicon (tinget.language.detect's ``local``)."""
    lexicon = Lexicon()
    for lang, text in texts:
        lexicon.add(lang, _LINK.sub(" ", _PLACEHOLDER.sub(" ", text or "")))
    return lexicon


def build(texts: Iterable[tuple[str, str]] | None = None) -> Lexicon:
    """A lexicon of the common words plus ``texts`` (default: the repository's NLU examples and KB)."""
    lexicon = Lexicon()
    for lang, common in COMMON.items():
        lexicon.add(lang, common)
    for lang, text in [*nlu_examples(), *kb_texts()] if texts is None else texts:
        lexicon.add(lang, text)
    return lexicon


_LOCK = threading.Lock()
_LEXICON: Lexicon | None = None


def lexicon() -> Lexicon:
    """The repository's lexicon, built once (thread-safe) at first use."""
    global _LEXICON
    if _LEXICON is None:
        with _LOCK:
            if _LEXICON is None:
                _LEXICON = build()
    return _LEXICON
