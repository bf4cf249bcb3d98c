"""Suggester quality on the development sets, hybrid beside BM25 alone and dense alone (same run).

    .venv/bin/python benchmarks/suggest_quality.py [--no-sparse]

Runs ``suggester.evaluation.run_eval`` on the municipal FAQ and SweFAQ dev sets (pooled corpus)
and prints each metric with its target and the ratio measured/target. Never fails.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from suggester.evaluation import run_eval  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "eval-data"
SETS = {
    "municipal": (DATA / "municipal" / "faq-dev-corpus.jsonl", DATA / "municipal" / "faq-dev-queries.jsonl",
                  {"top1": 0.90, "top3": 0.98, "no_answer_auroc": 0.90, "crosslingual_top3": 0.95}),
    "swefaq": (DATA / "public" / "swefaq-dev-corpus.jsonl", DATA / "public" / "swefaq-dev-queries.jsonl",
               {"top1": 0.75}),
}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--no-sparse", action="store_true")
    p.add_argument("--only", choices=sorted(SETS))
    args = p.parse_args()
    for name, (corpus, queries, targets) in SETS.items():
        if args.only and name != args.only:
            continue
        if not corpus.exists():
            print(f"{name}: {corpus} not found, skipped")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            s = run_eval(corpus, queries, Path(tmp) / "pred.jsonl", sparse=False if args.no_sparse else None)
        print(f"\n== {name}: {s['corpus']} answers, {s['queries']} queries ({s['unanswerable']} without answer, "
              f"{s['crosslingual_queries']} cross-lingual); sparse={s['config']['sparse']} ==")
        print(f"{'metric':20} {'hybrid':>8} {'bm25':>8} {'dense':>8} {'target':>8} {'hybrid/target':>14}")
        for metric in ("top1", "top3", "mrr", "no_answer_auroc", "crosslingual_top3", "accuracy_with_abstain"):
            vals = [s["by_method"][m][metric] for m in ("hybrid", "bm25", "dense")]
            if all(v is None for v in vals):
                continue
            t = targets.get(metric)
            cells = " ".join(f"{v:8.3f}" if v is not None else f"{'-':>8}" for v in vals)
            ratio = f"{vals[0] / t:14.2f}" if t and vals[0] is not None else f"{'':>14}"
            print(f"{metric:20} {cells} {t if t else '':>8} {ratio}")
        print(f"latency per query (hybrid incl. encoding): p50 {s['latency_ms']['p50']} ms, "
              f"p95 {s['latency_ms']['p95']} ms; index built in {s['build_seconds']} s")
        if s.get("by_lang"):
            print("top-1 by language: " + ", ".join(f"{k} {v['top1']:.2f} (n={v['n']})" for k, v in s["by_lang"].items()))


if __name__ == "__main__":
    main()
