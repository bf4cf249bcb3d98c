"""The Redactor: Presidio ``AnalyzerEngine`` with our Nordic recognizers on an offline spaCy
engine, overlap resolution, the caller's allow-list, and ``<LABEL>`` replacement through
presidio-anonymizer.

Guarantees (tested): never crashes on any ``str`` (long, control characters, lone surrogates,
only digits); entities are sorted, non-overlapping and index the ORIGINAL text; the redacted
text is at most ``len(text) + MAX_GROWTH * len(entities)`` characters long (a placeholder is at
most 14 characters). Non-``str`` input raises ``RedactionError``. If redaction raises anything,
the caller must not store, log or pass the text on."""

from __future__ import annotations

import logging
import re
import threading
from bisect import bisect_right, insort
from collections import Counter
from collections.abc import Iterable

from privacy.function_words import DE_FUNCTION_WORDS
from privacy.links import link_values, probe
from privacy.types import (
    LABELS,
    LANGS,
    MAX_GROWTH,
    Entity,
    RedactionError,
    RedactionResult,
    placeholder,
    replace_entities,
)

log = logging.getLogger(__name__)
_state = threading.local()


def busy() -> bool:
    """True while this thread is inside the redactor (loading or analysing). The logging filter
    must not call the redactor again then: that would wait forever for the engine lock."""
    return getattr(_state, "depth", 0) > 0


class _Busy:
    def __enter__(self):
        _state.depth = getattr(_state, "depth", 0) + 1

    def __exit__(self, *exc):
        _state.depth -= 1

# Labels the main pass finds from words (capitalisation, name lists, street words): inside a link's
# value the main pass reads "?subject=Bygglov" as a capitalised word inside a sentence, a name. When the
# link pass has read that value decoded and found nothing, such a finding is dropped (as an address
# candidate inside a link is, see privacy.recognizers.address). Digit and e-mail patterns are kept.
_WORD_LABELS = frozenset({"PERSON", "ADDRESS"})
PRIORITY = {"EMAIL": 0, "NATIONAL_ID": 1, "BANK_ACCOUNT": 2, "PHONE": 3, "BIRTH_DATE": 4, "ADDRESS": 5, "PERSON": 6}
CHUNK = 10_000
OVERLAP = 400
DIRECT_REPLACE = 200  # more entities than this are replaced by slicing (see Redactor._replace)
VALUES_ALONE = 64  # link values read one analyser call each; the rest are read in batches (see _in_links)
_BATCH_SEP = "\n\n"
# Characters of link values (key, value and the digits after a link) the recognizers read with the whole
# pipeline, per message; past it a quicker reading (see Redactor._read_quickly) keeps the time bounded.
LINK_BUDGET = 30_000
_LETTERS = re.compile(r"[^\W\d_]+")
# Parameter names that say what a link value holds (the six languages; see Redactor._read_quickly).
_PERSONAL_KEY = re.compile(
    r"(?i)(?P<EMAIL>e-?mail|e-?post|epost|sähköposti|mail)|"
    r"(?P<NATIONAL_ID>f[øo]dselsn|fnr|pnr|personn|cpr|hetu|henkilötunnus|ssn|national)|"
    r"(?P<BANK_ACCOUNT>konto|account|iban|tili)|"
    r"(?P<PHONE>\btlf|\btel\b|phone|mobil|\bpuh|\bsms)|"
    r"(?P<ADDRESS>adress|address|osoite|\bgate\b|\bgata\b|street)|"
    r"(?P<PERSON>navn|namn|name|nimi|user|bruker|användare|bruger|käyttäjä|person)")
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u200b-\u200f\u2028\u2029\ufeff]")
_LANG_ALIASES = {"no": "nb", "nob": "nb", "nno": "nn", "swe": "sv", "se": "sv", "dan": "da",
                 "dk": "da", "fin": "fi", "eng": "en"}

_LANG_WORDS = {
    "nb": "jeg ikke det er og på til med som hva hvor kan vi dere hei takk har skal mvh hilsen meg min",
    "nn": "eg ikkje det er og på til med som kva kor kan vi de hei takk har skal helsing meg mi",
    "sv": "jag inte det är och på till med som vad var kan vi ni hej tack har ska hälsningar mig min",
    "da": "jeg ikke det er og på til med som hvad hvor kan vi i hej tak har skal hilsen mig min",
    "fi": "minä en ei on ja että se kuin mitä missä voi me te hei kiitos terveisin minun olen",
    "en": "i not it is and the to with what where can we you hello thanks have regards my me",
}
_LANG_SETS = {lang: set(words.split()) for lang, words in _LANG_WORDS.items()}
# German is none of the six, but residents write it: its "ä"/"ö" made a German mail Finnish or Swedish,
# and Finnish and Scandinavian rules read its capitalised nouns as names. It is read with the English
# recognizers (names from lists, cues and titles; the person recognizer treats German sentences as such).
# Its function words are the person recognizer's (privacy.function_words).


def guess_language(text: str) -> str:
    """Cheap stop-word vote (nb when unsure; English rules for German); only used when the caller gives
    no language."""
    words = re.findall(r"[a-zæøåäöü]+", text[:2000].lower())
    if not words:
        return "nb"
    scores = {lang: sum(w in vocab for w in words) for lang, vocab in _LANG_SETS.items()}
    if any(c in text for c in "äö") and "ø" not in text and "æ" not in text:
        scores["sv"] += 1
        scores["fi"] += 1
    if "æ" in text or "ø" in text:
        scores["sv"] -= 2
        scores["fi"] -= 2
    best = max(scores, key=lambda lang: (scores[lang], lang == "nb"))
    if sum(w in DE_FUNCTION_WORDS for w in words) > max(scores[best], 1):
        return "en"
    return best if scores[best] > 0 else "nb"


def normalise_lang(lang: str | None, text: str) -> str:
    if not lang:
        return guess_language(text)
    code = str(lang).strip().lower().replace("_", "-").split("-")[0]
    code = _LANG_ALIASES.get(code, code)
    return code if code in LANGS else guess_language(text)


def sanitise(text: str) -> str:
    """Same length as ``text``; control characters and lone surrogates become spaces."""
    return _UNSAFE.sub(" ", text)


def _phone_variants(value: str) -> set[str]:
    digits = re.sub(r"\D", "", value)
    if len(digits) < 5:
        return set()
    out = {digits}
    if digits.startswith("00"):
        digits = digits[2:]
        out.add(digits)
    for cc in ("358", "47", "46", "45", "44", "1"):
        if value.strip().startswith(("+", "00")) and digits.startswith(cc):
            rest = digits[len(cc):]
            out |= {rest, "0" + rest}
    out |= {d.lstrip("0") for d in list(out)}
    return out


class Redactor:
    """Finds and replaces personal data. Heavy parts load on first use, once, thread-safely."""

    def __init__(self, use_fi_model: bool | None = None, score_threshold: float = 0.5):
        self.use_fi_model = use_fi_model
        self.score_threshold = score_threshold
        self._analyzer = None
        self._anonymizer = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ engines
    def _engines(self):
        if self._analyzer is None:
            with _Busy(), self._lock:
                if self._analyzer is None:
                    self._build()
        return self._analyzer, self._anonymizer

    def _build(self) -> None:
        from privacy._imports import import_nlp_stack

        import_nlp_stack()
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
        from presidio_anonymizer import AnonymizerEngine

        from privacy.nlp_engine import OfflineSpacyNlpEngine
        from privacy.recognizers import RECOGNIZERS

        class _InRecognizerContext(ContextAwareEnhancer):
            """Context is weighed inside our recognizers (with negative cues); nothing to add."""

            def __init__(self):
                super().__init__(context_similarity_factor=0, min_score_with_context_similarity=0,
                                 context_prefix_count=0, context_suffix_count=0)

            def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
                return raw_results

        languages = list(LANGS)
        recognizers = [cls(language=lang) for lang in languages for cls in RECOGNIZERS]
        registry = RecognizerRegistry(recognizers=recognizers, supported_languages=languages)
        nlp = OfflineSpacyNlpEngine(languages=languages, use_fi_model=self.use_fi_model)
        self._analyzer = AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=languages,
                                        context_aware_enhancer=_InRecognizerContext(),
                                        default_score_threshold=self.score_threshold)
        self._anonymizer = AnonymizerEngine()

    def warm_up(self) -> Redactor:
        """Load everything now (e.g. at app start) instead of on the first message."""
        self.analyze("Hei, jeg heter Kari Nordmann, tlf 912 34 567.", "nb")
        return self

    # ------------------------------------------------------------------ API
    def analyze(self, text: str, lang: str | None = None) -> list[Entity]:
        """Entities in ``text`` (offsets into ``text``), sorted and non-overlapping."""
        if not isinstance(text, str):
            raise RedactionError(f"redaction needs text (str), got {type(text).__name__}")
        if not text.strip():
            return []
        language = normalise_lang(lang, text)
        clean = sanitise(text)
        analyzer, _ = self._engines()
        found: list[Entity] = []
        with _Busy():
            for offset, chunk in self._chunks(clean):
                for r in analyzer.analyze(text=chunk, language=language):
                    if r.entity_type in LABELS and r.end > r.start:
                        found.append(Entity(r.start + offset, r.end + offset, r.entity_type, round(r.score, 3)))
            in_links, clean_values = self._in_links(clean, language, analyzer)
        if clean_values:  # the link pass read these values decoded and found nothing in them
            found = [e for e in found if e.label not in _WORD_LABELS or not _inside(e, clean_values)]
        return resolve_overlaps(_cover(found, in_links) if in_links else found)

    def redact(self, text: str, lang: str | None = None, allow: Iterable[str] = ()) -> RedactionResult:
        """``text`` with every entity replaced by ``<LABEL>``; values in ``allow`` are kept."""
        entities = self.analyze(text, lang)
        entities = self._apply_allow(text, entities, allow)
        redacted = self._replace(text, entities)
        if len(redacted) > len(text) + MAX_GROWTH * len(entities):  # cannot happen; never leak
            raise RedactionError("redacted text longer than allowed")
        return RedactionResult(text=redacted, entities=entities,
                               counts=dict(Counter(e.label for e in entities)))

    # ------------------------------------------------------------------ helpers
    def _in_links(self, text: str, language: str, analyzer) -> tuple[list[Entity], list[tuple[int, int]]]:
        """Personal data inside links (see privacy.links): the recognizers read each link's decoded
        values, and a value with a finding becomes one entity over its encoded span in ``text``.
        Also returns the spans of the values found clean.

        Bounded time: the first ``VALUES_ALONE`` values are read one by one (one analyser call each, about
        a millisecond). A message with more (a long mail full of links, a link with thousands of
        parameters) took minutes that way (1 MB: 105 s), so the next ones, up to ``LINK_BUDGET``
        characters, are read in batches: their probe lines, a blank line apart (a sentence end: no value's
        key is context of the next), make one text of up to ``CHUNK`` characters per analyser call. Values
        past the budget are read quickly (``_read_quickly``). No value is passed over."""
        values = link_values(text)
        if not values:
            return [], []
        hits: dict[tuple[int, int], Entity] = {}

        def take(value, label: str, start: int, end: int, score: float, begin: int, stop: int) -> None:
            if label not in LABELS or end <= start or end <= begin or start >= stop:
                return  # nothing, or only the key (or only the text after the link)
            if label == "PERSON" and not value.key and (start > begin or end < stop):
                return  # a slug names a person as a whole ("kari-nordmann"); a name word in a
                # longer slug is a page's title ("sallad-med-bockling-och-oliver"), not a resident
            # a number that began in the value and goes on after the link takes its rest too
            stretch = min(max(0, end - stop), len(value.tail))
            old = hits.get((value.start, value.end))
            if old is None or PRIORITY[label] < PRIORITY[old.label] \
                    or (label == old.label and value.end + stretch > old.end):
                hits[value.start, value.end] = Entity(value.start, value.end + stretch, label, round(score, 3))

        alone, batched, quick, budget = [], [], [], LINK_BUDGET
        for value in values:
            size = len(value.key) + len(value.text) + len(value.tail) + 2
            if budget >= size:
                (alone if len(alone) < VALUES_ALONE or size > CHUNK // 2 else batched).append(value)
                budget -= size
            else:
                quick.append(value)
        for value in alone:
            line, begin, stop = probe(value)
            for offset, chunk in self._chunks(line):
                for r in analyzer.analyze(text=chunk, language=language):
                    take(value, r.entity_type, r.start + offset, r.end + offset, r.score, begin, stop)
        for batch in _batches(batched):
            self._read_batch(batch, lambda joined: analyzer.analyze(text=joined, language=language), take)
        if quick:
            self._read_quickly(quick, language, analyzer, take)
        clean_values = sorted({(v.start, v.end) for v in values} - set(hits))
        return sorted(hits.values()), clean_values

    @staticmethod
    def _read_batch(batch: list, analyse, take) -> None:
        """One analyser call (``analyse(text)``) for the probe lines of ``batch``, a blank line apart."""
        starts, pos = [], 0
        for _, line, _, _ in batch:
            starts.append(pos)
            pos += len(line) + len(_BATCH_SEP)
        joined = _BATCH_SEP.join(line for _, line, _, _ in batch)
        for r in analyse(joined):
            i = bisect_right(starts, r.start) - 1
            value, line, begin, stop = batch[i]
            if r.end > starts[i] + len(line):
                continue  # runs over into the next line: no finding of one value (the separator ends a
                # sentence, so this does not happen; the main pass still reads the link as written)
            take(value, r.entity_type, r.start - starts[i], r.end - starts[i], r.score, begin, stop)

    def _read_quickly(self, values: list, language: str, analyzer, take) -> None:
        """Values past ``LINK_BUDGET``: the recognizers that work from the characters alone (e-mail,
        phone, national ID, bank account, birth date, address) read them without the spaCy pipeline,
        which is what costs (a link with 100,000 parameters is 100,000 new words to tokenise). The person
        recognizer needs that pipeline, so it does not read them: instead a value with a listed name or
        a capitalised word in it is replaced as PERSON unread (a name may be there), a value whose
        parameter names personal data ("navn", "adresse", "tlf", "email", "fnr", "konto" ...) is replaced
        with that label, and a value with none of these (a number, "verdi", "side") is kept."""
        recognizers = [r for r in analyzer.registry.get_recognizers(language, all_fields=True)
                       if "PERSON" not in r.supported_entities]

        def analyse(joined: str):
            for recognizer in recognizers:
                for r in recognizer.analyze(joined, [], None) or ():
                    if r.score >= self.score_threshold:
                        yield r

        for batch in _batches(values):
            self._read_batch(batch, analyse, take)
        from privacy.names import lexicon

        names = lexicon().any_name
        for value in values:
            line, begin, stop = probe(value)
            field = _PERSONAL_KEY.search(value.key) if value.key else None
            if field:  # "?adresse=storgata+5", "?tlf=...": the parameter says what the value is
                take(value, next(label for label, text in field.groupdict().items() if text), begin, stop,
                     self.score_threshold, begin, stop)
            if any(w[:1].isupper() or w.lower() in names for w in _LETTERS.findall(value.text)):
                take(value, "PERSON", begin, stop, self.score_threshold, begin, stop)

    @staticmethod
    def _chunks(text: str):
        if len(text) <= CHUNK:
            yield 0, text
            return
        start = 0
        while start < len(text):
            end = min(len(text), start + CHUNK)
            if end < len(text):
                cut = text.rfind(" ", start + CHUNK // 2, end)
                end = cut if cut > 0 else end
            yield start, text[start:end]
            if end >= len(text):
                break
            start = max(end - OVERLAP, start + 1)

    @staticmethod
    def _apply_allow(text: str, entities: list[Entity], allow: Iterable[str]) -> list[Entity]:
        if not entities:  # nothing to keep: ``allow`` is not even read (it may be lazy, see web.services.inquiry)
            return entities
        if isinstance(allow, str):
            allow = [allow]
        allowed = [a for a in (allow or ()) if isinstance(a, str) and a.strip()]
        if not allowed:
            return entities
        exact = {a.strip().casefold() for a in allowed}
        phones = set().union(*(_phone_variants(a) for a in allowed))
        kept = []
        for e in entities:
            value = text[e.start:e.end]
            if value.strip().casefold() in exact:
                continue
            if e.label in ("PHONE", "BANK_ACCOUNT") and phones & _phone_variants(value):
                continue
            kept.append(e)
        return kept

    def _replace(self, text: str, entities: list[Entity]) -> str:
        if not entities:
            return text
        if len(entities) > DIRECT_REPLACE:  # presidio-anonymizer's time grows with the square of the
            return replace_entities(text, entities)  # number of entities (1 MB with 33,000 of them: 8 s); same output
        _, anonymizer = self._engines()
        from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

        results = [RecognizerResult(entity_type=e.label, start=e.start, end=e.end, score=e.score)
                   for e in entities]
        operators = {label: OperatorConfig("replace", {"new_value": placeholder(label)}) for label in LABELS}
        try:
            with _Busy():
                return anonymizer.anonymize(text=text, analyzer_results=results, operators=operators).text
        except Exception:  # fall back to plain slicing; same output by construction
            log.warning("presidio-anonymizer failed; replacing directly", exc_info=True)
            return replace_entities(text, entities)


def _batches(values: list):
    """``values`` as lists of (value, probe line, begin, stop) of at most ``CHUNK`` characters together."""
    batch, size = [], 0
    for value in values:
        line, begin, stop = probe(value)
        if batch and size + len(line) + len(_BATCH_SEP) > CHUNK:
            yield batch
            batch, size = [], 0
        batch.append((value, line, begin, stop))
        size += len(line) + len(_BATCH_SEP)
    if batch:
        yield batch


def _inside(e: Entity, spans: list[tuple[int, int]]) -> bool:
    """``e`` lies within one of ``spans`` (sorted by start, not overlapping)."""
    i = bisect_right(spans, (e.start, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= e.start and e.end <= spans[i][1]


def _cover(found: list[Entity], in_links: list[Entity]) -> list[Entity]:
    """A link value's entity takes in every entity of the main pass that overlaps it (their union,
    with the label of higher priority), so no part of the value is left: "Kari" found in
    "?navn=Kari+Nordmann" must not leave "+Nordmann". ``in_links`` is sorted."""
    found = sorted(found)
    starts = [e.start for e in found]
    longest = max((e.end - e.start for e in found), default=0)
    taken: set[int] = set()
    out = []
    for link in in_links:
        start, end, label, score = link.start, link.end, link.label, link.score
        # entities overlapping the value start after (value start - longest entity) and before its end
        for i in range(bisect_right(starts, link.start - longest - 1), bisect_right(starts, link.end - 1)):
            e = found[i]
            if i in taken or not (e.start < link.end and e.end > link.start):
                continue
            taken.add(i)
            start, end, score = min(start, e.start), max(end, e.end), max(score, e.score)
            label = min(label, e.label, key=lambda lab: PRIORITY.get(lab, 9))
        if out and start < out[-1].end:  # one main entity reached over two values: one entity
            prev = out.pop()
            start, end, score = min(start, prev.start), max(end, prev.end), max(score, prev.score)
            label = min(label, prev.label, key=lambda lab: PRIORITY.get(lab, 9))
        out.append(Entity(start, end, label, score))
    return [e for i, e in enumerate(found) if i not in taken] + out


def resolve_overlaps(entities: list[Entity]) -> list[Entity]:
    """Keep a non-overlapping subset: label priority (EMAIL > NATIONAL_ID > BANK_ACCOUNT > PHONE >
    BIRTH_DATE > ADDRESS > PERSON), then score, then length; return sorted by position."""
    ranked = sorted(set(entities), key=lambda e: (PRIORITY.get(e.label, 9), -e.score, -(e.end - e.start), e.start))
    kept: list[tuple[int, int]] = []  # (start, end), sorted and not overlapping: a bisect finds the neighbours
    out: list[Entity] = []
    for e in ranked:
        i = bisect_right(kept, (e.start, float("inf")))
        if (i == 0 or kept[i - 1][1] <= e.start) and (i == len(kept) or e.end <= kept[i][0]):
            insort(kept, (e.start, e.end))
            out.append(e)
    return sorted(out)
