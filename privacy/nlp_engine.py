"""An offline Presidio ``NlpEngine``: spaCy blank tokenisers per language, and for Finnish the
``spacy_fi_experimental_web_md`` pipeline (tok2vec + ner only) when it is installed.

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


class OfflineSpacyNlpEngine(NlpEngine):
    """Tokens for every language; NER entities (PERSON only) where a model exists (Finnish)."""

    def __init__(self, languages=("nb", "nn", "sv", "da", "fi", "en"), use_fi_model: bool | None = None):
        self.languages = list(languages)
        if use_fi_model is None:
            use_fi_model = os.environ.get("TINGET_PRIVACY_FI_MODEL", "1") not in ("0", "false", "no")
        self.use_fi_model = use_fi_model
        self._blank: dict[str, object] = {}
        self._fi = None
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
        doc = None
        if language == "fi" and len(text) <= FI_MODEL_MAX_CHARS:
            model = self.fi_model()
            if model is not None:
                doc = model(text)
        if doc is None:
            doc = self._tokenizer(language)(text)
        entities = [ent for ent in doc.ents if ent.label_ in ("PERSON", "PER")]
        return NlpArtifacts(entities=entities, tokens=doc, tokens_indices=[t.idx for t in doc],
                            lemmas=[t.lower_ for t in doc], nlp_engine=self, language=language)

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
        """The Finnish NER pipeline, or None when disabled or not installed."""
        if not self.use_fi_model or self._fi_failed:
            return None
        if self._fi is None:
            with self._lock:
                if self._fi is None and not self._fi_failed:
                    try:
                        import spacy

                        self._fi = spacy.load(FI_MODEL, exclude=["lemmatizer", "tagger", "morphologizer",
                                                                 "parser", "attribute_ruler"])
                    except (OSError, ImportError) as exc:  # not installed: heuristics only
                        log.warning("Finnish spaCy model unavailable (%s); using name lists only", exc)
                        self._fi_failed = True
        return self._fi
