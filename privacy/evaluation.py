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

In the same run the rows also go through Presidio's DEFAULT English configuration (an
``AnalyzerEngine`` with its predefined recognizers, every text analysed as English) as a baseline,
its entity types mapped to ours (``PRESIDIO_TO_OURS``). Presidio's default spaCy model
(en_core_web_lg) is not installed here and nothing is downloaded: the baseline uses the first
installed English pipeline (lg, md, sm, trf) or else a blank English tokenizer, in which case its
NER-based PERSON/LOCATION cannot fire; ``baseline.ner_model`` says which. The summary then has
``baseline`` (same shape as ours) and ``ratio`` (our F1 / Presidio's F1, per label and language).

    python -m privacy.evaluation FILE.jsonl --predictions OUT.jsonl [--json] [--no-baseline]
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


PRESIDIO_TO_OURS = {
    "PERSON": "PERSON", "PHONE_NUMBER": "PHONE", "EMAIL_ADDRESS": "EMAIL", "IBAN_CODE": "BANK_ACCOUNT",
    "US_BANK_NUMBER": "BANK_ACCOUNT", "LOCATION": "ADDRESS", "US_SSN": "NATIONAL_ID", "US_ITIN": "NATIONAL_ID",
    "US_PASSPORT": "NATIONAL_ID", "US_DRIVER_LICENSE": "NATIONAL_ID", "UK_NHS": "NATIONAL_ID",
    "UK_NINO": "NATIONAL_ID", "IT_FISCAL_CODE": "NATIONAL_ID", "ES_NIF": "NATIONAL_ID", "ES_NIE": "NATIONAL_ID",
    "SG_NRIC_FIN": "NATIONAL_ID", "AU_TFN": "NATIONAL_ID", "AU_MEDICARE": "NATIONAL_ID",
    "IN_AADHAAR": "NATIONAL_ID", "IN_PAN": "NATIONAL_ID", "PL_PESEL": "NATIONAL_ID", "FI_PERSONAL_IDENTITY_CODE":
    "NATIONAL_ID", "KR_RRN": "NATIONAL_ID", "TH_TNIN": "NATIONAL_ID",
}
ENGLISH_PIPELINES = ("en_core_web_lg", "en_core_web_md", "en_core_web_sm", "en_core_web_trf")


class PresidioDefault:
    """Presidio's default English AnalyzerEngine, offline (see the module docstring)."""

    def __init__(self):
        from privacy._imports import import_nlp_stack

        import_nlp_stack()
        import spacy

        # Presidio's e-mail recognizer asks tldextract, which would fetch the public suffix list
        # from the internet; use the snapshot bundled with tldextract instead (nothing downloaded).
        import tldextract
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import SpacyNlpEngine

        tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), fallback_to_snapshot=True)
        self.ner_model = next((name for name in ENGLISH_PIPELINES if spacy.util.is_package(name)), None)
        chosen = self.ner_model

        class OfflineEnglish(SpacyNlpEngine):
            def load(self):  # Presidio's own load() downloads a missing model; we never do
                self.nlp = {"en": spacy.load(chosen) if chosen else spacy.blank("en")}

        nlp = OfflineEnglish(models=[{"lang_code": "en", "model_name": chosen or "blank:en"}])
        nlp.load()
        self.engine = AnalyzerEngine(nlp_engine=nlp, supported_languages=["en"])
        self.name = "presidio-analyzer default (en)"

    def analyze(self, text: str, lang: str | None = None):
        from privacy.redactor import resolve_overlaps
        from privacy.types import Entity

        found = [Entity(r.start, r.end, PRESIDIO_TO_OURS[r.entity_type], r.score)
                 for r in self.engine.analyze(text=text, language="en")
                 if r.entity_type in PRESIDIO_TO_OURS and r.end > r.start]
        return resolve_overlaps(found)


def _predict(analyzer, rows, out_path=None) -> tuple[dict[str, list[dict]], list[float]]:
    predictions: dict[str, list[dict]] = {}
    latencies = []
    analyzer.analyze("warm up", "nb")
    fh = Path(out_path).open("w", encoding="utf-8") if out_path else None
    try:
        for row in rows:
            t0 = time.perf_counter()
            entities = analyzer.analyze(row["text"], row.get("lang"))
            latencies.append((time.perf_counter() - t0) * 1000)
            spans = [{"start": e.start, "end": e.end, "label": e.label} for e in entities]
            predictions[row["id"]] = spans
            if fh:
                fh.write(json.dumps({"id": row["id"], "spans": spans}, ensure_ascii=False) + "\n")
    finally:
        if fh:
            fh.close()
    return predictions, latencies


def _latency(latencies: list[float]) -> dict:
    latencies = sorted(latencies)
    if not latencies:
        return {}
    return {"p50": round(latencies[len(latencies) // 2], 2),
            "p95": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))], 2)}


def _ratios(ours: dict, base: dict) -> dict:
    def ratio(a: dict, b: dict):
        return round(a["f1"] / b["f1"], 2) if b["f1"] else None

    mode_ours, mode_base = ours["overlap"], base["overlap"]
    return {"metric": "f1 ours / f1 presidio (overlap)",
            "per_label": {k: ratio(v, mode_base["per_label"][k]) for k, v in mode_ours["per_label"].items()
                          if k in mode_base["per_label"]},
            "per_lang": {k: ratio(v, mode_base["per_lang"][k]) for k, v in mode_ours["per_lang"].items()
                         if k in mode_base["per_lang"]},
            "overall": ratio(mode_ours["overall"], mode_base["overall"])}


def run_eval(input_path, predictions_path, redactor=None, baseline: bool = True) -> dict:
    """Redact every row of ``input_path``, write predictions, return the summary dict (with
    Presidio's default English configuration beside it unless ``baseline`` is False)."""
    from privacy import get_redactor

    redactor = redactor or get_redactor()
    from tinget.jsonl import read_jsonl

    rows = read_jsonl(input_path, ("id", "text"), "redaction")
    Path(predictions_path).parent.mkdir(parents=True, exist_ok=True)
    predictions, latencies = _predict(redactor, rows, predictions_path)
    summary = score(rows, predictions)
    summary["latency_ms"] = _latency(latencies)
    if baseline:
        presidio = PresidioDefault()
        base_predictions, base_latencies = _predict(presidio, rows)
        base = score(rows, base_predictions)
        base["latency_ms"] = _latency(base_latencies)
        summary["baseline"] = {"name": presidio.name, "ner_model": presidio.ner_model or "none (blank en tokenizer)",
                               "entity_map": PRESIDIO_TO_OURS, **base}
        summary["ratio"] = _ratios(summary, base)
    return summary


def format_summary(summary: dict) -> str:
    base = summary.get("baseline")
    head = f"items: {summary['n_items']}   leak rate: {summary['leak_rate']:.3f}"
    if base:
        head += f"   (Presidio default: {base['leak_rate']:.3f}; its NER model: {base['ner_model']})"
    lines = [head]
    for mode in ("overlap", "exact"):
        title = f"[{mode}]  {'':<14} ours P   R      F1    "
        lines.append(title + ("| presidio P  R      F1    | F1 ratio  support" if base else "support"))
        groups = [("", summary[mode]["per_label"], base[mode]["per_label"] if base else {}),
                  ("lang ", summary[mode]["per_lang"], base[mode]["per_lang"] if base else {}),
                  ("", {"overall": summary[mode]["overall"]}, {"overall": base[mode]["overall"]} if base else {})]
        for prefix, ours, theirs in groups:
            for key, m in ours.items():
                line = f"  {prefix + key:<20} {m['precision']:.3f} {m['recall']:.3f} {m['f1']:.3f} "
                if base:
                    b = theirs.get(key) or {"precision": 0.0, "recall": 0.0, "f1": 0.0}
                    ratio = f"{m['f1'] / b['f1']:.2f}" if b["f1"] else "  -"
                    line += f"| {b['precision']:.3f} {b['recall']:.3f} {b['f1']:.3f} | {ratio:>7}  "
                lines.append(line + str(m["support"]))
    lat = summary.get("latency_ms") or {}
    if lat:
        line = f"latency ms p50/p95: ours {lat['p50']}/{lat['p95']}"
        if base and base.get("latency_ms"):
            line += f", presidio {base['latency_ms']['p50']}/{base['latency_ms']['p95']}"
        lines.append(line)
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file")
    parser.add_argument("--predictions", required=True)
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--no-baseline", action="store_true", help="skip Presidio's default configuration")
    args = parser.parse_args(argv)
    summary = run_eval(args.file, args.predictions, baseline=not args.no_baseline)
    print(json.dumps(summary, indent=2) if args.json else format_summary(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
