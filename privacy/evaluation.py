"""Evaluate redaction on a PII JSON-lines file.

Input rows: ``{"id", "text", "lang", "spans": [{"start", "end", "label"}], "source"}``.
Writes one prediction line per row: ``{"id", "spans": [{"start", "end", "label"}]}`` and returns

    {"n_items", "overlap": {"per_label": {L: {tp, fp, fn, precision, recall, f1, support}},
                            "per_lang": {lang: {...}}, "overall": {...}},
     "exact": {...same...}, "leak_rate", "latency_ms": {"p50", "p95"}}

Overlap matching: a gold span is found when a predicted span of the same label overlaps it; a
prediction is correct when it overlaps a gold span of its label. Exact: same start, end, label.
Per-label figures are given only for labels present in the gold data or predicted. In the
near-miss set (source ending in -bad-checksum / -invalid-date) a NATIONAL_ID prediction is not
counted as a false positive (redacting a typo'd ID is acceptable, see the data README).

    python -m privacy.evaluation FILE.jsonl --predictions OUT.jsonl [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from privacy.types import LABELS


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 4), "recall": round(r, 4),
            "f1": round(f, 4), "support": tp + fn}


def _overlaps(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def score(rows: list[dict], predictions: dict[str, list[dict]]) -> dict:
    """Compute the summary for gold ``rows`` and ``predictions`` (id -> spans)."""
    counts = {mode: {"label": defaultdict(lambda: [0, 0, 0]), "lang": defaultdict(lambda: [0, 0, 0]),
                     "all": [0, 0, 0]} for mode in ("overlap", "exact")}
    gold_total = leaked = 0
    for row in rows:
        gold = row.get("spans", [])
        pred = predictions.get(row["id"], [])
        lang = row.get("lang", "?")
        tolerant = str(row.get("source", "")).endswith(("-bad-checksum", "-invalid-date"))
        for mode in ("overlap", "exact"):
            def match(p, g, mode=mode):
                if p["label"] != g["label"]:
                    return False
                return _overlaps(p, g) if mode == "overlap" else (p["start"], p["end"]) == (g["start"], g["end"])

            for g in gold:
                hit = 0 if any(match(p, g) for p in pred) else 2  # tp or fn
                for key in (counts[mode]["label"][g["label"]], counts[mode]["lang"][lang], counts[mode]["all"]):
                    key[hit] += 1
            for p in pred:
                if any(match(p, g) for g in gold):
                    continue
                if tolerant and p["label"] == "NATIONAL_ID":
                    continue
                for key in (counts[mode]["label"][p["label"]], counts[mode]["lang"][lang], counts[mode]["all"]):
                    key[1] += 1
        for g in gold:
            gold_total += 1
            covered = any(p["start"] <= g["start"] and p["end"] >= g["end"] for p in pred)
            leaked += not covered
    summary: dict = {"n_items": len(rows)}
    for mode in ("overlap", "exact"):
        c = counts[mode]
        summary[mode] = {
            "per_label": {label: _prf(*c["label"][label]) for label in LABELS if label in c["label"]},
            "per_lang": {lang: _prf(*v) for lang, v in sorted(c["lang"].items())},
            "overall": _prf(*c["all"]),
        }
    summary["leak_rate"] = round(leaked / gold_total, 4) if gold_total else 0.0
    return summary


def run_eval(input_path, predictions_path, redactor=None) -> dict:
    """Redact every row of ``input_path``, write predictions, return the summary dict."""
    from privacy import get_redactor

    redactor = redactor or get_redactor()
    rows = [json.loads(line) for line in Path(input_path).read_text(encoding="utf-8").splitlines()
            if line.strip()]
    predictions: dict[str, list[dict]] = {}
    latencies = []
    out = Path(predictions_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    redactor.analyze("warm up", "nb")
    with out.open("w", encoding="utf-8") as fh:
        for row in rows:
            t0 = time.perf_counter()
            entities = redactor.analyze(row["text"], row.get("lang"))
            latencies.append((time.perf_counter() - t0) * 1000)
            spans = [{"start": e.start, "end": e.end, "label": e.label} for e in entities]
            predictions[row["id"]] = spans
            fh.write(json.dumps({"id": row["id"], "spans": spans}, ensure_ascii=False) + "\n")
    summary = score(rows, predictions)
    latencies.sort()
    if latencies:
        summary["latency_ms"] = {"p50": round(latencies[len(latencies) // 2], 2),
                                 "p95": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))], 2)}
    return summary


def format_summary(summary: dict) -> str:
    lines = [f"items: {summary['n_items']}   leak rate: {summary['leak_rate']:.3f}"]
    for mode in ("overlap", "exact"):
        lines.append(f"[{mode}]  label         P      R      F1   support")
        for label, m in summary[mode]["per_label"].items():
            lines.append(f"  {label:<14} {m['precision']:.3f}  {m['recall']:.3f}  {m['f1']:.3f}  {m['support']}")
        for lang, m in summary[mode]["per_lang"].items():
            lines.append(f"  lang {lang:<9} {m['precision']:.3f}  {m['recall']:.3f}  {m['f1']:.3f}  {m['support']}")
        o = summary[mode]["overall"]
        lines.append(f"  overall        {o['precision']:.3f}  {o['recall']:.3f}  {o['f1']:.3f}  {o['support']}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file")
    parser.add_argument("--predictions", required=True)
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    summary = run_eval(args.file, args.predictions)
    print(json.dumps(summary, indent=2) if args.json else format_summary(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
