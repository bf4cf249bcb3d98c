"""BM25 over documents with two analyzers (character 4-grams and light-stemmed words).

Character 4-grams inside word boundaries match residents' spelling (no æøå, typos, dialect)
and the parts of Nordic compounds; stemmed words add exact-term precision. Rows are document
slots (ints from the service); documents can be added and removed one by one (BM25 statistics
are kept exact), and the whole index saves to / loads from a directory without pickle.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from kb import textnorm

Analyzer = Callable[[str, str], list[str]]


def char_ngrams(text: str, lang: str = "nb", n: int = 4) -> list[str]:
    """Folded character n-grams of each non-stop word, padded with ``_`` at word edges."""
    out: list[str] = []
    for w in textnorm.words(text):
        if w in textnorm.STOPWORDS:
            continue
        w = f"_{w}_"
        if len(w) <= n:
            out.append(w)
        else:
            out.extend(w[i:i + n] for i in range(len(w) - n + 1))
    return out


def word_terms(text: str, lang: str = "nb") -> list[str]:
    """Light-stemmed, folded words without stop words, plus compound parts."""
    return textnorm.terms(text, lang)


ANALYZERS: dict[str, Analyzer] = {"char4": char_ngrams, "word": word_terms}


class BM25Index:
    """Okapi BM25 with an inverted index (CSC matrix) plus a small buffer of recent additions."""

    def __init__(self, analyzer: str = "char4", k1: float = 1.2, b: float = 0.75) -> None:
        if analyzer not in ANALYZERS:
            raise ValueError(f"unknown analyzer {analyzer!r}")
        self.analyzer_name = analyzer
        self.analyze = ANALYZERS[analyzer]
        self.k1, self.b = k1, b
        self.vocab: dict[str, int] = {}
        self.df = np.zeros(0, dtype=np.int64)
        self.dl = np.zeros(0, dtype=np.float32)          # per slot, 0 = empty/removed
        self.main = sp.csc_matrix((0, 0), dtype=np.float32)  # rows = slots < main.shape[0]
        self.main_alive = np.zeros(0, dtype=bool)
        self.delta: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # slot -> (term ids, tf)
        self.n_docs = 0
        self.total_len = 0.0
        self._norm: np.ndarray | None = None   # cached k1 * (1 - b + b * dl / avgdl)
        self._n_dead = 0                         # removed rows still in the compacted matrix

    # ------------------------------------------------------------------ building
    def _term_ids(self, text: str, lang: str, grow: bool) -> tuple[np.ndarray, np.ndarray]:
        counts = Counter(self.analyze(text, lang))
        ids, tfs = [], []
        for term, tf in counts.items():
            tid = self.vocab.get(term)
            if tid is None:
                if not grow:
                    continue
                tid = self.vocab[term] = len(self.vocab)
            ids.append(tid)
            tfs.append(tf)
        return np.asarray(ids, dtype=np.int64), np.asarray(tfs, dtype=np.float32)

    def _ensure(self, slot: int) -> None:
        if slot >= len(self.dl):
            grow = max(slot + 1, int(len(self.dl) * 1.5) + 16)
            self.dl = np.concatenate([self.dl, np.zeros(grow - len(self.dl), np.float32)])
        if len(self.vocab) > len(self.df):
            self.df = np.concatenate([self.df, np.zeros(len(self.vocab) - len(self.df) + 1024, np.int64)])

    def add(self, slot: int, text: str, lang: str, compact: bool = True) -> None:
        """Index ``text`` under ``slot`` (the slot must be empty)."""
        ids, tfs = self._term_ids(text, lang, grow=True)
        self._ensure(slot)
        if self.dl[slot] > 0 or slot in self.delta:
            raise ValueError(f"slot {slot} is already indexed")
        self.delta[slot] = (ids, tfs)
        self.df[ids] += 1
        length = float(tfs.sum()) or 1.0
        self.dl[slot] = length
        self.n_docs += 1
        self.total_len += length
        self._norm = None
        if compact and len(self.delta) > max(2000, self.main.shape[0] // 10):
            self.compact()

    def add_many(self, items: Iterable[tuple[int, str, str]]) -> None:
        for slot, text, lang in items:
            self.add(slot, text, lang, compact=False)
        self.compact()  # once, at the end: bulk loads stay linear

    def remove(self, slot: int, text: str | None = None, lang: str = "nb") -> None:
        """Forget ``slot`` (its terms leave the statistics too).

        Pass the indexed ``text`` when known: re-analysing it is much faster than scanning the
        inverted index for the row's terms.
        """
        if slot in self.delta:
            ids, _ = self.delta.pop(slot)
        elif slot < self.main.shape[0] and self.main_alive[slot]:
            ids = self._term_ids(text, lang, grow=False)[0] if text is not None else self._row_terms(slot)
            self.main_alive[slot] = False
            self._n_dead += 1
        else:
            return
        self.df[ids] -= 1
        self.n_docs -= 1
        self.total_len -= float(self.dl[slot])
        self.dl[slot] = 0.0
        self._norm = None

    def _row_terms(self, slot: int) -> np.ndarray:
        mask = self.main.indices == slot
        if not mask.any():
            return np.zeros(0, dtype=np.int64)
        cols = np.searchsorted(self.main.indptr, np.nonzero(mask)[0], side="right") - 1
        return cols.astype(np.int64)

    def compact(self) -> None:
        """Merge recent additions into the inverted index (and drop removed rows' postings)."""
        if not self.delta and (self.main_alive.all() if len(self.main_alive) else True):
            return
        n_rows = max(len(self.dl), self.main.shape[0])
        n_terms = len(self.vocab)
        coo = self.main.tocoo()
        keep = self.main_alive[coo.row] if coo.nnz else np.zeros(0, dtype=bool)
        rows = [coo.row[keep].astype(np.int64)]
        cols = [coo.col[keep].astype(np.int64)]
        vals = [coo.data[keep]]
        for slot, (ids, tfs) in self.delta.items():
            rows.append(np.full(len(ids), slot, dtype=np.int64))
            cols.append(ids)
            vals.append(tfs)
        r, c, v = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
        self.main = sp.csc_matrix((v, (r, c)), shape=(n_rows, n_terms), dtype=np.float32)
        self.main.sort_indices()
        alive = np.zeros(n_rows, dtype=bool)
        alive[: len(self.main_alive)] = self.main_alive
        alive[list(self.delta)] = True
        alive &= self.dl[:n_rows] > 0
        self.main_alive = alive
        self.delta = {}
        self._n_dead = 0

    # ------------------------------------------------------------------ querying
    def scores(self, text: str, lang: str = "nb", max_df_ratio: float | None = None) -> np.ndarray:
        """BM25 score of every slot for ``text`` (array of length ``len(self.dl)``).

        For large collections, terms found in more than ``max_df_ratio`` of the documents are
        skipped (default 0.3 from 20,000 documents, 0.1 from 200,000): their IDF is tiny and their
        posting lists are long.
        """
        out = np.zeros(len(self.dl), dtype=np.float32)
        if self.n_docs == 0:
            return out
        ids, qtf = self._term_ids(text, lang, grow=False)
        if len(ids) == 0:
            return out
        n = self.n_docs
        avgdl = self.total_len / n
        k1, b = self.k1, self.b
        df = self.df[ids].astype(np.float64)
        idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        if max_df_ratio is None:
            max_df_ratio = 0.1 if n >= 200_000 else 0.3 if n >= 20_000 else 1.0
        if max_df_ratio < 1.0:
            keep = df <= max_df_ratio * n
            ids, idf = ids[keep], idf[keep]
        norm = self._norm
        if norm is None or len(norm) != len(self.dl):
            norm = self._norm = (k1 * (1 - b + b * self.dl / avgdl)).astype(np.float32)
        main = self.main
        n_main_terms = main.shape[1]
        for tid, w in zip(ids.tolist(), idf.tolist(), strict=True):
            if tid < n_main_terms:
                a, z = main.indptr[tid], main.indptr[tid + 1]
                if z > a:
                    rows = main.indices[a:z]
                    tf = main.data[a:z]
                    out[rows] += w * tf * (k1 + 1) / (tf + norm[rows])
        if self._n_dead:  # removed rows still have postings until the next compaction
            dead = ~self.main_alive
            out[: len(dead)][dead] = 0.0
        if self.delta:  # recent additions (never in the compacted rows)
            idf_of = dict(zip(ids.tolist(), idf.tolist(), strict=True))
            for slot, (dids, dtfs) in self.delta.items():
                s = 0.0
                for tid, tf in zip(dids.tolist(), dtfs.tolist(), strict=True):
                    w = idf_of.get(tid)
                    if w is not None:
                        s += w * tf * (k1 + 1) / (tf + norm[slot])
                out[slot] = s
        return out

    def self_score(self, text: str, lang: str = "nb") -> float:
        """Upper bound of a document's score for ``text`` (a document = the query itself)."""
        ids, qtf = self._term_ids(text, lang, grow=False)
        if self.n_docs == 0 or len(ids) == 0:
            return 0.0
        n = self.n_docs
        df = self.df[ids].astype(np.float64)
        idf = np.log1p((n - df + 0.5) / (df + 0.5))
        return float((idf * (self.k1 + 1)).sum())

    # ------------------------------------------------------------------ persistence
    def save(self, directory: Path, prefix: str) -> list[str]:
        """Write ``{prefix}.npz`` and ``{prefix}.vocab.json``; return the file names."""
        self.compact()
        m = self.main
        np.savez(directory / f"{prefix}.npz", data=m.data, indices=m.indices, indptr=m.indptr,
                 shape=np.asarray(m.shape, dtype=np.int64), dl=self.dl, df=self.df[: len(self.vocab)],
                 alive=self.main_alive,
                 stats=np.asarray([self.n_docs, self.total_len, self.k1, self.b], dtype=np.float64))
        terms = sorted(self.vocab, key=self.vocab.__getitem__)
        (directory / f"{prefix}.vocab.json").write_text(
            json.dumps({"analyzer": self.analyzer_name, "terms": terms}, ensure_ascii=False), "utf-8")
        return [f"{prefix}.npz", f"{prefix}.vocab.json"]

    @classmethod
    def load(cls, directory: Path, prefix: str) -> BM25Index:
        meta = json.loads((directory / f"{prefix}.vocab.json").read_text("utf-8"))
        with np.load(directory / f"{prefix}.npz", allow_pickle=False) as z:
            n_docs, total_len, k1, b = z["stats"].tolist()
            idx = cls(meta["analyzer"], k1=k1, b=b)
            shape = tuple(int(x) for x in z["shape"])
            idx.main = sp.csc_matrix((z["data"], z["indices"], z["indptr"]), shape=shape)
            idx.dl = z["dl"].astype(np.float32)
            idx.df = z["df"].astype(np.int64)
            idx.main_alive = z["alive"].astype(bool)
            idx._n_dead = 0  # saved compacted: removed rows have no postings
        idx.vocab = {t: i for i, t in enumerate(meta["terms"])}
        idx.n_docs = int(n_docs)
        idx.total_len = float(total_len)
        if len(idx.df) != len(idx.vocab) or idx.main.shape[1] > len(idx.vocab):
            raise ValueError(f"{prefix}: vocabulary and matrix do not match")
        return idx

