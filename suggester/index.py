"""FAISS vector index over L2-normalised vectors (inner product = cosine), with stable int64 ids.

Small collections use an exact ``IndexIDMap2(IndexFlatIP)``. Above ``APPROX_THRESHOLD`` vectors
the index switches to ``IndexIVFFlat`` (inner product, hashtable direct map so single ids can be
reconstructed and removed — GDPR deletion really deletes). ``nprobe`` is tuned at training time
until recall@10 against exact search reaches ``target_recall`` on a sample; the measured value
is kept in :attr:`VectorIndex.stats` and in the saved manifest.

Files are written atomically with a SHA-256 checksum; loading a missing, truncated or otherwise
corrupt file raises :class:`IndexMissingError` / :class:`IndexCorruptError`.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import time
from pathlib import Path

import faiss
import numpy as np

log = logging.getLogger(__name__)

# Measured with `benchmarks/suggest_speed.py --threshold` on the project's 2-core machine (busy):
# exact top-256 search over 384-d vectors took p95 6 ms at 10k, 16 ms at 30k, 56 ms at 60k and
# 68 ms at 100k vectors; IVF stayed under 2.5 ms with recall@10 >= 0.97. Exact search keeps
# perfect recall where it is cheap; above 20k vectors the index becomes IVF.
APPROX_THRESHOLD = 20_000


class IndexUnavailableError(RuntimeError):
    """The saved index cannot be used; the service rebuilds it from the documents."""


class IndexMissingError(IndexUnavailableError):
    pass


class IndexCorruptError(IndexUnavailableError):
    pass


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _as_ids(ids) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(ids, dtype=np.int64).reshape(-1))


def _as_vecs(vecs: np.ndarray, dim: int) -> np.ndarray:
    vecs = np.ascontiguousarray(np.asarray(vecs, dtype=np.float32))
    if vecs.ndim != 2 or vecs.shape[1] != dim:
        raise ValueError(f"expected vectors of shape (n, {dim}), got {vecs.shape}")
    return vecs


class VectorIndex:
    """Exact or IVF inner-product index with add/remove by id, reconstruct and save/load."""

    def __init__(self, dim: int, approx_threshold: int = APPROX_THRESHOLD, target_recall: float = 0.97) -> None:
        self.dim = dim
        self.approx_threshold = approx_threshold
        self.target_recall = target_recall
        self.index = self._flat()
        self.stats: dict = {"type": "flat"}

    # ------------------------------------------------------------------ structure
    def _flat(self) -> faiss.Index:
        return faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))

    @property
    def kind(self) -> str:
        return "ivf" if isinstance(self.index, faiss.IndexIVF) else "flat"

    @property
    def ntotal(self) -> int:
        return int(self.index.ntotal)

    def __len__(self) -> int:
        return self.ntotal

    def all_ids_and_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """Every (id, vector) currently stored."""
        idx = self.index
        if isinstance(idx, faiss.IndexIDMap2):
            ids = faiss.vector_to_array(idx.id_map).astype(np.int64)
            vecs = idx.index.reconstruct_n(0, idx.ntotal) if idx.ntotal else np.zeros((0, self.dim), np.float32)
            return ids, np.asarray(vecs, dtype=np.float32).reshape(-1, self.dim)
        invlists = idx.invlists
        id_parts, vec_parts = [], []
        for lst in range(idx.nlist):
            size = invlists.list_size(lst)
            if not size:
                continue
            id_parts.append(faiss.rev_swig_ptr(invlists.get_ids(lst), size).copy())
            codes = faiss.rev_swig_ptr(invlists.get_codes(lst), size * self.dim * 4).copy()
            vec_parts.append(codes.view(np.float32).reshape(size, self.dim))
        if not id_parts:
            return np.zeros(0, np.int64), np.zeros((0, self.dim), np.float32)
        return np.concatenate(id_parts).astype(np.int64), np.concatenate(vec_parts)

    def _maybe_switch(self) -> None:
        n = self.ntotal
        if self.kind == "flat" and n > self.approx_threshold:
            self.rebuild(approximate=True)
        elif self.kind == "ivf":
            trained_on = self.stats.get("trained_on", n)
            if n < self.approx_threshold // 2:
                self.rebuild(approximate=False)
            elif n > 4 * trained_on:  # the coarse quantizer no longer fits the data well
                self.rebuild(approximate=True)

    def rebuild(self, approximate: bool | None = None) -> None:
        """Re-create the index (exact or IVF; ``None`` = decide by size) from its own vectors."""
        ids, vecs = self.all_ids_and_vectors()
        self._fill(ids, vecs, approximate)

    def _fill(self, ids: np.ndarray, vecs: np.ndarray, approximate: bool | None) -> None:
        if approximate is None:
            approximate = len(ids) > self.approx_threshold
        if approximate and len(ids) >= 1000:
            self.index = self._train_ivf(vecs)
            self.index.add_with_ids(vecs, ids)
            self._tune_nprobe(ids, vecs)
        else:
            self.index = self._flat()
            if len(ids):
                self.index.add_with_ids(vecs, ids)
            self.stats = {"type": "flat", "recall_at_10": 1.0}

    def _train_ivf(self, vecs: np.ndarray) -> faiss.Index:
        n = len(vecs)
        nlist = int(min(65536, 4 * math.sqrt(n), n / 40))  # >= 40 training points per list
        nlist = max(nlist, 8)
        rng = np.random.default_rng(0)
        sample = vecs if n <= 40 * nlist else vecs[rng.choice(n, 40 * nlist, replace=False)]
        quantizer = faiss.IndexFlatIP(self.dim)
        ivf = faiss.IndexIVFFlat(quantizer, self.dim, nlist, faiss.METRIC_INNER_PRODUCT)
        ivf.cp.niter = 10
        t0 = time.perf_counter()
        ivf.train(np.ascontiguousarray(sample))
        ivf.set_direct_map_type(faiss.DirectMap.Hashtable)
        ivf.nprobe = max(1, nlist // 64)
        self.stats = {"type": "ivf", "nlist": nlist, "trained_on": n,
                      "train_seconds": round(time.perf_counter() - t0, 2)}
        return ivf

    def _tune_nprobe(self, ids: np.ndarray, vecs: np.ndarray, n_queries: int = 200, k: int = 10) -> None:
        """Raise nprobe until recall@k vs exact search reaches ``target_recall`` on a sample.

        Sample queries are stored vectors with noise added (cosine ≈ 0.9 to their source), which
        is how real queries sit near, not on, indexed passages.
        """
        rng = np.random.default_rng(1)
        n = len(vecs)
        src = vecs[rng.choice(n, min(n_queries, n), replace=False)]
        noise = rng.standard_normal(src.shape).astype(np.float32)
        noise /= np.linalg.norm(noise, axis=1, keepdims=True)
        q = src + 0.48 * noise
        q /= np.linalg.norm(q, axis=1, keepdims=True)
        _, exact = faiss.knn(q, vecs, k, metric=faiss.METRIC_INNER_PRODUCT)
        exact_ids = ids[exact]
        ivf = self.index
        recall, nprobe = 0.0, max(1, ivf.nlist // 256)
        while True:
            ivf.nprobe = nprobe
            _, got = ivf.search(q, k)
            recall = float(np.mean([len(set(a) & set(b)) / k for a, b in zip(got, exact_ids, strict=True)]))
            if recall >= self.target_recall or nprobe >= ivf.nlist:
                break
            nprobe = min(ivf.nlist, nprobe * 2)
        self.stats.update(nprobe=nprobe, recall_at_10=round(recall, 4), recall_queries=len(q))
        log.info("IVF index: nlist=%d nprobe=%d recall@10=%.3f on %d sample queries",
                 ivf.nlist, nprobe, recall, len(q))

    # ------------------------------------------------------------------ mutation
    def add(self, ids, vecs: np.ndarray) -> None:
        ids = _as_ids(ids)
        vecs = _as_vecs(vecs, self.dim)
        if len(ids) != len(vecs):
            raise ValueError("ids and vectors differ in length")
        if len(ids):
            self.index.add_with_ids(vecs, ids)
            self._maybe_switch()

    def remove(self, ids) -> int:
        ids = _as_ids(ids)
        if not len(ids) or not self.ntotal:
            return 0
        removed = int(self.index.remove_ids(faiss.IDSelectorArray(ids)))
        self._maybe_switch()
        return removed

    def build(self, ids, vecs: np.ndarray, approximate: bool | None = None) -> None:
        """Replace the content; by default the index type follows the size."""
        ids = _as_ids(ids)
        vecs = _as_vecs(vecs, self.dim)
        if len(ids) != len(vecs):
            raise ValueError("ids and vectors differ in length")
        self._fill(ids, vecs, approximate)

    # ------------------------------------------------------------------ reading
    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` (scores, ids) for one query vector or a batch; missing slots have id -1."""
        q = np.asarray(query, dtype=np.float32)
        single = q.ndim == 1
        q = _as_vecs(q.reshape(1, -1) if single else q, self.dim)
        k = max(1, min(k, self.ntotal)) if self.ntotal else 1
        if not self.ntotal:
            scores = np.full((len(q), k), -np.inf, np.float32)
            ids = np.full((len(q), k), -1, np.int64)
        else:
            scores, ids = self.index.search(q, k)
        return (scores[0], ids[0]) if single else (scores, ids)

    def reconstruct(self, ids) -> np.ndarray:
        """Stored vectors for ``ids`` (all must exist)."""
        ids = _as_ids(ids)
        if not len(ids):
            return np.zeros((0, self.dim), np.float32)
        return np.asarray(self.index.reconstruct_batch(ids), dtype=np.float32).reshape(len(ids), self.dim)

    # ------------------------------------------------------------------ persistence
    def save(self, path: Path) -> str:
        """Write atomically; return the file's SHA-256."""
        tmp = path.with_name(path.name + ".tmp")
        faiss.write_index(self.index, str(tmp))
        digest = sha256_file(tmp)
        os.replace(tmp, path)
        return digest

    @classmethod
    def load(cls, path: Path, dim: int, sha256: str | None = None, stats: dict | None = None,
             approx_threshold: int = APPROX_THRESHOLD) -> VectorIndex:
        if not path.exists():
            raise IndexMissingError(f"vector index file {path} is missing")
        if sha256 and sha256_file(path) != sha256:
            raise IndexCorruptError(f"vector index file {path} does not match its checksum")
        try:
            index = faiss.read_index(str(path))
        except RuntimeError as exc:
            raise IndexCorruptError(f"vector index file {path} cannot be read: {str(exc).splitlines()[0]}") from exc
        if index.d != dim:
            raise IndexCorruptError(f"vector index file {path} has dimension {index.d}, expected {dim}")
        out = cls(dim, approx_threshold=approx_threshold)
        out.index = index
        if isinstance(index, faiss.IndexIVF):
            index.set_direct_map_type(faiss.DirectMap.Hashtable)
            index.nprobe = int((stats or {}).get("nprobe", max(1, index.nlist // 64)))
        out.stats = dict(stats or {"type": out.kind})
        return out
