"""Measure redaction on several PII JSON-lines files in one process (same scoring as
``tinget eval redact FILE --predictions OUT --json --no-baseline``), print per-label and
per-language overlap figures, and optionally list PERSON misses and false positives.

    .venv/bin/python benchmarks/probes/measure.py FILE... [--errors] [--label PERSON]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+")
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--label", default="PERSON")
    args = parser.parse_args()
    from privacy.evaluation import run_eval

    print("load average before:", os.getloadavg())
    for name in args.files:
        out = Path(tempfile.mkdtemp()) / "pred.jsonl"
        summary = run_eval(name, out, baseline=False)
        ov = summary["overlap"]
        print(f"== {name}  items {summary['n_items']}  latency p50/p95 {summary['latency_ms']}")
        for label, m in ov["per_label"].items():
            print(f"   {label:<13} P {m['precision']:.3f} R {m['recall']:.3f}  tp/fp/fn {m['tp']}/{m['fp']}/{m['fn']}")
        if len(ov["per_lang"]) > 1:
            for lang, m in ov["per_lang"].items():
                print(f"   lang {lang:<8} P {m['precision']:.3f} R {m['recall']:.3f}  tp/fp/fn {m['tp']}/{m['fp']}/{m['fn']}")
        if args.errors:
            rows = [json.loads(line) for line in Path(name).read_text(encoding="utf-8").splitlines() if line.strip()]
            preds = {p["id"]: p["spans"] for p in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
            for row in rows:
                text = row["text"]
                gold = [s for s in row["spans"] if s["label"] == args.label]
                pred = [s for s in preds.get(row["id"], []) if s["label"] == args.label]
                ov_ = lambda a, b: a["start"] < b["end"] and b["start"] < a["end"]  # noqa: E731
                fn = [text[g["start"]:g["end"]] for g in gold if not any(ov_(g, p) for p in pred)]
                fp = [text[p["start"]:p["end"]] for p in pred if not any(ov_(g, p) for g in gold)]
                if fn or fp:
                    print(f"   [{row['id']} {row.get('lang')}] FN={fn} FP={fp} :: {text[:200]!r}")
    print("load average after:", os.getloadavg())
    return 0


if __name__ == "__main__":
    sys.exit(main())
