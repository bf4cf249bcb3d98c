"""An offline Presidio ``NlpEngine``: spaCy blank tokenisers per language, and for Finnish the
``spacy_fi_experimental_web_md`` NER component (alone: it has its own embedding layer, so the
pipeline's shared tok2vec, tagger, parser, lemmatizer ... are not even loaded) when installed.

Speed (target: p95 <= 15 ms for a 500-character message): the NER model costs about 0.3 ms per
token, so ``process_text`` only tokenises, and the PERSON recognizer asks ``ner_spans`` for the
model's entities in short windows around the capitalised words that its name lists and cues
could not settle, batched in one call; a message without such words never reaches the model.
The model's receptive field is a few tokens either side, so a window of ``FI_WINDOW`` tokens
each side gives (nearly) the same entities as the whole text.

Nothing is downloaded: pipelines are built from what is installed. Set
``TINGET_PRIVACY_FI_MODEL=0`` to use the blank Finnish tokeniser instead of the model."""

from __future__ import annotations

import logging
import os
import threading

from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine

log = logging.getLogger(__name__)

SPACY_LANG = {"nb": "nb", "nn": "nb", "sv": "sv", "da": "da", "fi": "fi", "en": "en", "xx": "xx"}
FI_MODEL = "spacy_fi_experimental_web_md"
FI_MODEL_MAX_CHARS = 20_000  # longer texts: blank tokeniser only (bounded time)
FI_WINDOW = 3  # tokens each side of a candidate (same fi dev entities as 6, a third faster)
FI_EXCLUDE = ["tok2vec", "tagger", "morphologizer", "parser", "attribute_ruler", "lemmatizer"]


class _Artifacts(NlpArtifacts):
    """Presidio's artifacts without its keyword list: keywords only feed Presidio's context
    enhancer, which the Redactor replaces (context is weighed inside our recognizers)."""

    @staticmethod
    def set_keywords(nlp_engine, lemmas, language):
        return []


class OfflineSpacyNlpEngine(NlpEngine):
    """Tokens for every language; NER entities (PERSON only) where a model exists (Finnish)."""

    def __init__(self, languages=("nb", "nn", "sv", "da", "fi", "en"), use_fi_model: bool | None = None):
        self.languages = list(languages)
        if use_fi_model is None:
            use_fi_model = os.environ.get("TINGET_PRIVACY_FI_MODEL", "1") not in ("0", "false", "no")
        self.use_fi_model = use_fi_model
        self._blank: dict[str, object] = {}
        self._fi = None
        self._fi_probs = None
        self._fi_failed = False
        self._lock = threading.Lock()

    # -- Presidio interface
    def load(self) -> None:
        """Build the blank tokenisers (fast); the Finnish model is loaded on first Finnish text."""
        for lang in self.languages:
            self._tokenizer(lang)

    def is_loaded(self) -> bool:
        return bool(self._blank)

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        """Tokens only; entities are asked for on demand (``ner_spans``) by the recognizers."""
        doc = None
        if language == "fi" and len(text) <= FI_MODEL_MAX_CHARS:
            model = self.fi_model()
            if model is not None:
                doc = model.make_doc(text)
        if doc is None:
            doc = self._tokenizer(language)(text)
        return _Artifacts(entities=[], tokens=doc, tokens_indices=[t.idx for t in doc],
                          lemmas=[], nlp_engine=self, language=language)  # lemmas: only for Presidio's enhancer

    def word_logprobs(self, language: str):
        """The NER model's word log-probabilities by exact spelling (a spaCy lookups table with
        ``get``), or None."""
        return self._fi_probs if language == "fi" and self.fi_model() is not None else None

    def ner_spans(self, doc, token_indices, language: str) -> list[tuple[int, int, str]]:
        """``(start_char, end_char, label)`` of the NER model's entities in windows of
        ``FI_WINDOW`` tokens around ``token_indices`` of ``doc`` (a doc from ``process_text``),
        batched in one model call. Empty without a model for ``language`` or without indices."""
        model = self.fi_model() if language == "fi" else None
        if model is None or not token_indices or doc.vocab is not model.vocab:
            return []
        windows = merge_windows(token_indices, len(doc), FI_WINDOW)
        text = doc.text
        chars = [(doc[start].idx, doc[end - 1].idx + len(doc[end - 1])) for start, end in windows]
        parts = [model.make_doc(text[a:b]) for a, b in chars]  # cheaper than Span.as_doc()
        found = []
        for (a, _), part in zip(chars, model.get_pipe("ner").pipe(parts, batch_size=len(parts)), strict=True):
            found += [(a + ent.start_char, a + ent.end_char, ent.label_) for ent in part.ents]
        return found

    def process_batch(self, texts, language, batch_size=1, n_process=1, **kwargs):
        for text in texts:
            yield text, self.process_text(text, language)

    def is_stopword(self, word: str, language: str) -> bool:
        return self._tokenizer(language).vocab[word].is_stop

    def is_punct(self, word: str, language: str) -> bool:
        return self._tokenizer(language).vocab[word].is_punct

    def get_supported_entities(self) -> list[str]:
        return ["PERSON"]

    def get_supported_languages(self) -> list[str]:
        return self.languages

    # -- pipelines
    def _tokenizer(self, language: str):
        nlp = self._blank.get(language)
        if nlp is None:
            import spacy

            with self._lock:
                nlp = self._blank.get(language)
                if nlp is None:
                    nlp = spacy.blank(SPACY_LANG.get(language, "xx"))
                    self._blank[language] = nlp
        return nlp

    def fi_model(self):
        """The Finnish NER pipeline (tokenizer + ner), or None when disabled or not installed."""
        if not self.use_fi_model or self._fi_failed:
            return None
        if self._fi is None:
            with self._lock:
                if self._fi is None and not self._fi_failed:
                    try:
                        self._fi = self._load_fi()
                    except (OSError, ImportError) as exc:  # not installed: heuristics only
                        log.warning("Finnish spaCy model unavailable (%s); using name lists only", exc)
                        self._fi_failed = True
        return self._fi

    def _load_fi(self):
        import spacy

        try:
            model = spacy.load(FI_MODEL, exclude=FI_EXCLUDE)
            model("Matti asuu Tampereella.")  # fails here if ner listened to the shared tok2vec
        except (ValueError, KeyError):
            model = spacy.load(FI_MODEL, exclude=FI_EXCLUDE[1:])
        table = model.vocab.lookups.get_table("lexeme_prob") if model.vocab.lookups.has_table("lexeme_prob") \
            else None
        self._fi_probs = table
        return model


def merge_windows(indices, n_tokens: int, width: int) -> list[tuple[int, int]]:
    """Token ranges ``[start, end)`` covering ``width`` tokens around each index, merged when
    they touch or overlap; sorted."""
    windows: list[tuple[int, int]] = []
    for i in sorted(set(indices)):
        start, end = max(0, i - width), min(n_tokens, i + width + 1)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], end))
        else:
            windows.append((start, end))
    return windows
