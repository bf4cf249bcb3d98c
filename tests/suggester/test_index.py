"""FAISS vector index: exact/approximate switch, add/remove by id, persistence, corrupt files."""

from __future__ import annotations

import numpy as np
import pytest

from suggester.index import IndexCorruptError, IndexMissingError, VectorIndex

DIM = 32


def clustered(n: int, seed: int = 0, centres: int = 50) -> np.ndarray:
    """Normalised vectors around random centres (like real embeddings, unlike uniform noise)."""
    rng = np.random.default_rng(seed)
    c = rng.standard_normal((centres, DIM))
    x = c[rng.integers(0, centres, n)] + 0.35 * rng.standard_normal((n, DIM))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_flat_search_add_remove_reconstruct():
    x = clustered(200)
    idx = VectorIndex(DIM)
    ids = np.arange(200) * 10 + 7
    idx.build(ids, x)
    assert idx.kind == "flat" and len(idx) == 200
    scores, got = idx.search(x[5], 3)
    assert got[0] == 57 and scores[0] == pytest.approx(1.0, abs=1e-5)
    assert np.allclose(idx.reconstruct([57]), x[5])
    assert idx.remove([57, 999999]) == 1
    _, got = idx.search(x[5], 3)
    assert 57 not in got.tolist()
    idx.add([5], x[5:6])
    assert idx.search(x[5], 1)[1][0] == 5


def test_switches_to_ivf_above_threshold_with_measured_recall():
    x = clustered(3000)
    idx = VectorIndex(DIM, approx_threshold=1500)
    idx.build(np.arange(3000), x[:3000])
    assert idx.kind == "ivf"
    assert idx.stats["recall_at_10"] >= 0.95 and idx.stats["nprobe"] >= 1
    # single ids can still be removed (GDPR) and reconstructed
    assert idx.remove([10]) == 1
    assert 10 not in idx.search(x[10], 10)[1].tolist()
    assert np.allclose(idx.reconstruct([11]), x[11])
    # shrinking far below the threshold goes back to exact search
    idx.remove(np.arange(20, 2900))
    assert idx.kind == "flat" and len(idx) == 119


def test_growing_past_threshold_by_adding_switches_type():
    x = clustered(1300)
    idx = VectorIndex(DIM, approx_threshold=1200)
    idx.build(np.arange(1000), x[:1000])
    assert idx.kind == "flat"
    idx.add(np.arange(1000, 1300), x[1000:])
    assert idx.kind == "ivf" and len(idx) == 1300


def test_empty_index_search_is_graceful():
    idx = VectorIndex(DIM)
    scores, ids = idx.search(np.ones(DIM, np.float32) / np.sqrt(DIM), 5)
    assert ids.tolist() == [-1]


def test_wrong_shapes_are_clear_errors():
    idx = VectorIndex(DIM)
    with pytest.raises(ValueError, match=r"shape \(n, 32\)"):
        idx.add([1], np.zeros((1, 16), np.float32))
    with pytest.raises(ValueError, match="differ in length"):
        idx.add([1, 2], np.zeros((1, DIM), np.float32))


@pytest.mark.parametrize("n, threshold", [(300, 10_000), (2000, 1000)])
def test_save_load_roundtrip(tmp_path, n, threshold):
    x = clustered(n)
    idx = VectorIndex(DIM, approx_threshold=threshold)
    idx.build(np.arange(n) + 100, x)
    digest = idx.save(tmp_path / "v.faiss")
    back = VectorIndex.load(tmp_path / "v.faiss", DIM, sha256=digest, stats=idx.stats)
    assert back.kind == idx.kind and len(back) == n
    assert back.search(x[3], 1)[1][0] == 103


def test_missing_and_corrupt_files(tmp_path):
    with pytest.raises(IndexMissingError, match="missing"):
        VectorIndex.load(tmp_path / "nope.faiss", DIM)
    x = clustered(100)
    idx = VectorIndex(DIM)
    idx.build(np.arange(100), x)
    path = tmp_path / "v.faiss"
    digest = idx.save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(IndexCorruptError, match="checksum"):
        VectorIndex.load(path, DIM, sha256=digest)
    with pytest.raises(IndexCorruptError, match="cannot be read"):
        VectorIndex.load(path, DIM)
    path.write_bytes(b"\x00garbage" * 100)
    with pytest.raises(IndexCorruptError):
        VectorIndex.load(path, DIM)
    idx.save(path)
    with pytest.raises(IndexCorruptError, match="dimension"):
        VectorIndex.load(path, 64)
