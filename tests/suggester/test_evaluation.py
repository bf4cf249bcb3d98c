"""Evaluation on JSON-lines files (run_eval and python -m suggester.evaluation) and reindex."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from suggester import SuggesterService
from suggester.evaluation import auroc, run_eval
from suggester.reindex import TqdmProgress, reindex
from tests.suggester.corpus import ARTICLES

ROOT = Path(__file__).resolve().parents[2]

CORPUS = [
    {"id": "c1", "question": "Når hentes avfallet?", "answer": ARTICLES[0].text, "lang": "nb", "category": "waste"},
    {"id": "c2", "question": "Hva koster SFO?", "answer": ARTICLES[4].text, "lang": "nb", "category": "sfo"},
    {"id": "c3", "question": None, "answer": ARTICLES[8].text, "lang": "nb", "category": None},
    {"id": "c4", "question": "Åpningstider på biblioteket", "answer": ARTICLES[7].text, "lang": "nb",
     "category": "library"},
]
QUERIES = [
    {"id": "q1", "query": "når kommer søppelbilen", "lang": "nb", "answer_id": "c1"},
    {"id": "q2", "query": "what does after-school care cost?", "lang": "en", "answer_id": "c2"},
    {"id": "q3", "query": "klippekort til svømmehallen pris", "lang": "nb", "answer_id": "c3"},
    {"id": "q4", "query": "Hvem vant fotball-VM i 1998?", "lang": "nb", "answer_id": None},
    {"id": "q5", "query": "är biblioteket öppet på lördagar?", "lang": "sv", "answer_id": "c4"},
]


def write(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


@pytest.fixture
def files(tmp_path):
    return write(tmp_path / "corpus.jsonl", CORPUS), write(tmp_path / "queries.jsonl", QUERIES)


def test_run_eval_writes_predictions_and_reports_each_method(files, tmp_path):
    corpus, queries = files
    out = tmp_path / "out" / "pred.jsonl"
    s = run_eval(corpus, queries, out)
    lines = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert [x["id"] for x in lines] == ["q1", "q2", "q3", "q4", "q5"]
    for x in lines:
        assert set(x) == {"id", "ranked", "no_answer", "latency_ms"}
        assert 1 <= len(x["ranked"]) <= 10 and all(0 <= r["score"] <= 1 for r in x["ranked"])
    assert lines[0]["ranked"][0]["id"] == "c1"
    assert lines[3]["no_answer"]
    assert s["top1"] == 1.0 and s["no_answer_auroc"] == 1.0 and s["crosslingual_top3"] == 1.0
    assert set(s["by_method"]) == {"hybrid", "bm25", "dense"}
    assert s["crosslingual_queries"] == 2 and s["answerable"] == 4 and s["unanswerable"] == 1
    assert s["latency_ms"]["p95"] > 0


def test_empty_corpus_is_graceful(tmp_path):
    corpus = write(tmp_path / "c.jsonl", [])
    queries = write(tmp_path / "q.jsonl", QUERIES[:2])
    s = run_eval(corpus, queries, tmp_path / "p.jsonl")
    assert s["top1"] == 0.0 and "empty" in " ".join(s["warnings"])
    lines = [json.loads(x) for x in (tmp_path / "p.jsonl").read_text().splitlines()]
    assert all(x["no_answer"] and x["ranked"] == [] for x in lines)


@pytest.mark.parametrize("corpus_text, message", [
    ('{"id": "a", "answer": "x", "lang": "nb"}\n{"id": "a", "answer": "y", "lang": "nb"}\n', "duplicate ids"),
    ('{"id": "a", "answer": "x"}\n', "missing field"),
    ("not json\n", "not valid JSON"),
])
def test_bad_corpus_is_a_clear_error_in_the_cli(tmp_path, corpus_text, message):
    (tmp_path / "c.jsonl").write_text(corpus_text, "utf-8")
    write(tmp_path / "q.jsonl", QUERIES[:1])
    out = subprocess.run([sys.executable, "-m", "suggester.evaluation", "--corpus", str(tmp_path / "c.jsonl"),
                          "--queries", str(tmp_path / "q.jsonl"), "--predictions", str(tmp_path / "p.jsonl")],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 2 and message in out.stderr and "Traceback" not in out.stderr


def test_cli_json_summary(files, tmp_path):
    corpus, queries = files
    out = subprocess.run([sys.executable, "-m", "suggester.evaluation", "--corpus", str(corpus), "--queries",
                          str(queries), "--predictions", str(tmp_path / "p.jsonl"), "--json", "--no-sparse"],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    summary = json.loads(out.stdout)
    assert summary["top1"] >= 0.75 and summary["config"]["sparse"] is False


@pytest.mark.parametrize("pos, neg, expected", [([0.9, 0.8], [0.1], 1.0), ([0.1], [0.9], 0.0),
                                                ([0.5], [0.5], 0.5), ([0.5], [], None)])
def test_auroc(pos, neg, expected):
    assert auroc(pos, neg) == expected


def test_reindex_with_progress_bar_replaces_a_broken_index(built_dir, tmp_path, e5):
    import shutil

    path = tmp_path / "idx"
    shutil.copytree(built_dir, path)
    (path / "bm25_char.npz").write_bytes(b"broken")
    buf = io.StringIO()
    stats = reindex(path, list(ARTICLES[:5]), e5, progress=TqdmProgress(file=buf))
    assert stats["documents"] == 5
    assert "indexing" in buf.getvalue()
    svc = SuggesterService(path, e5)
    assert not svc.needs_rebuild and svc.size == 5
