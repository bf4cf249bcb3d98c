"""CLINC150: the project's NLU pipeline (bot/config.yml) trained on the public CLINC150 train split,
evaluated on its validation split: in-scope accuracy and out-of-scope recall, next to the same
pipeline without the fallback threshold and next to Rasa's default pipeline (--baseline).

    .venv/bin/python benchmarks/clinc150.py [--baseline] [--limit N] [--config CONFIG.yml] [--threshold T]

The out-of-scope threshold is never chosen on the validation split: by default it is calibrated on a
held-out fifth of the TRAIN split (one extra training); --threshold T uses a T calibrated that way before
(benchmarks/clinc150_calibrate.py does the same on the train split in-process, several settings at once).

CLINC150 is used only here (a standard out-of-scope benchmark), never for the product's model.
Prints figures; never fails.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "eval-data" / "public"


def to_rasa_nlu(rows: list[dict], path: Path) -> None:
    by_intent: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        by_intent[r["intent"]].append(r["text"].replace("\n", " "))
    lines = ['version: "3.1"', "nlu:"]
    for intent, texts in sorted(by_intent.items()):
        lines.append(f"- intent: {intent}")
        lines.append("  examples: |")
        lines += [f"    - {json.dumps(t, ensure_ascii=False)[1:-1]}" for t in dict.fromkeys(texts)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def score(rows: list[dict], preds: list[dict], threshold: float | None, fallback: bool = True) -> dict:
    """Accuracy and OOS recall. fallback=False undoes the model's nlu_fallback (the bare classifier);
    threshold adds a post-hoc confidence threshold on the top intent (a sweep, to show the trade-off)."""
    ins = [(r, p) for r, p in zip(rows, preds, strict=True) if r["intent"] != "out_of_scope"]
    oos = [(r, p) for r, p in zip(rows, preds, strict=True) if r["intent"] == "out_of_scope"]

    def label(p):
        top = [x for x in p["ranking"] if x["name"] != "nlu_fallback"]
        intent = p["intent"]
        if intent == "nlu_fallback":
            intent = top[0]["name"] if (top and not fallback) else "out_of_scope"
        if threshold is not None and top and top[0]["confidence"] < threshold:
            intent = "out_of_scope"
        return intent

    in_acc = sum(label(p) == r["intent"] for r, p in ins) / len(ins)
    oos_recall = sum(label(p) == "out_of_scope" for _, p in oos) / max(len(oos), 1)
    ms = sorted(p["parse_ms"] for p in preds)
    return {"in_scope_accuracy": round(100 * in_acc, 2), "oos_recall": round(100 * oos_recall, 2),
            "parse_ms_p50": ms[len(ms) // 2], "parse_ms_p95": ms[int(len(ms) * 0.95)]}


def run(config: Path, name: str, train_rows, dev_rows, tmp: Path) -> list[dict]:
    from bot.training import parse_file, train_nlu

    nlu = tmp / f"{name}-train.yml"
    to_rasa_nlu(train_rows, nlu)
    dev = tmp / f"{name}-dev.jsonl"
    dev.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in dev_rows), encoding="utf-8")
    started = time.monotonic()
    model = train_nlu(nlu, config, tmp / "models", name)
    print(f"  {name}: trained in {time.monotonic() - started:.0f} s", flush=True)
    return parse_file(model, dev, tmp / f"{name}-pred.jsonl")


THRESHOLDS = [round(0.05 * i, 2) for i in range(1, 13)]
TARGET_IN_SCOPE, TARGET_OOS = 95.0, 80.0


def held_out_fifth(train_rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """Every fifth example of each intent (out_of_scope included) held out of the train split."""
    seen: dict[str, int] = defaultdict(int)
    fit, held = [], []
    for r in train_rows:
        seen[r["intent"]] += 1
        (held if seen[r["intent"]] % 5 == 0 else fit).append(r)
    return fit, held


def choose_threshold(sweep: dict[float, dict]) -> float:
    """The operating point with the most room above both targets on held-out TRAIN data:
    max over t of min(in-scope accuracy − 95, out-of-scope recall − 80). A threshold trades one
    against the other; this spends the slack evenly instead of maximising one figure."""
    return max(sweep, key=lambda t: (min(sweep[t]["in_scope_accuracy"] - TARGET_IN_SCOPE,
                                         sweep[t]["oos_recall"] - TARGET_OOS), -t))


def calibrate(train_rows: list[dict], tmp: Path, config: Path) -> tuple[float, dict]:
    """The fallback threshold chosen on the TRAIN split only (see choose_threshold)."""
    fit, held = held_out_fifth(train_rows)
    preds = run(config, "calibration", fit, held, tmp)
    sweep = {t: score(held, preds, t, fallback=False) for t in THRESHOLDS}
    best = choose_threshold(sweep)
    return best, sweep[best]


def rescore(pred_file: Path, threshold: float) -> dict:
    """Scores of saved predictions (--keep) without training again, at a threshold calibrated on train."""
    read = lambda p: [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]  # noqa: E731
    dev_rows, preds = read(DATA / "clinc150-dev.jsonl"), read(pred_file)
    results = {f"tinget, threshold {threshold} (given)": score(dev_rows, preds, threshold, fallback=False),
               "tinget (fallback as configured)": score(dev_rows, preds, None),
               "tinget without fallback": score(dev_rows, preds, None, fallback=False)}
    for t in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.5):
        results[f"tinget, threshold {t}"] = score(dev_rows, preds, t, fallback=False)
    return results


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline", action="store_true", help="also train Rasa's default pipeline (slow)")
    ap.add_argument("--keep", type=Path, help="copy the predictions to this directory")
    ap.add_argument("--limit", type=int, default=0, help="use only N training rows (quick check)")
    ap.add_argument("--config", type=Path, default=ROOT / "bot" / "config.yml",
                    help="pipeline config (default: the product's bot/config.yml)")
    ap.add_argument("--threshold", type=float,
                    help="skip calibration: a threshold calibrated on the train split before")
    ap.add_argument("--rescore", type=Path, help="score predictions saved with --keep (needs --threshold)")
    args = ap.parse_args()
    if args.rescore:
        return report(rescore(args.rescore, args.threshold), 3100, 15100)
    read = lambda p: [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]  # noqa: E731
    train_rows, dev_rows = read(DATA / "clinc150-train.jsonl"), read(DATA / "clinc150-dev.jsonl")
    if args.limit:
        train_rows = train_rows[:: max(1, len(train_rows) // args.limit)]
    with tempfile.TemporaryDirectory(prefix="tinget-clinc-") as tmp:
        tmp = Path(tmp)
        results = {}
        if args.threshold is None:
            threshold, held = calibrate(train_rows, tmp, args.config)
            print(f"  calibrated threshold {threshold} on a held-out fifth of the train split "
                  f"(in-scope {held['in_scope_accuracy']} %, oos recall {held['oos_recall']} %)", flush=True)
        else:
            threshold = args.threshold
            print(f"  threshold {threshold} given", flush=True)
        print(f"  config: {args.config.relative_to(ROOT) if args.config.is_relative_to(ROOT) else args.config}",
              flush=True)
        preds = run(args.config, "tinget", train_rows, dev_rows, tmp)
        source = "calibrated on train" if args.threshold is None else "given"
        results[f"tinget, threshold {threshold} ({source})"] = score(dev_rows, preds, threshold, fallback=False)
        results["tinget (fallback as configured)"] = score(dev_rows, preds, None)
        results["tinget without fallback"] = score(dev_rows, preds, None, fallback=False)
        for t in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.5):
            results[f"tinget, threshold {t}"] = score(dev_rows, preds, t, fallback=False)
        if args.keep:
            (args.keep / "tinget-pred.jsonl").write_text((tmp / "tinget-pred.jsonl").read_text())
        if args.baseline:
            base = run(ROOT / "benchmarks" / "configs" / "rasa-default.yml", "rasa-default", train_rows, dev_rows, tmp)
            results["rasa default pipeline"] = score(dev_rows, base, None)
    report(results, len(dev_rows), len(train_rows))


def report(results: dict, n_dev: int, n_train: int) -> None:
    import os

    print(f"CLINC150 validation: {n_dev} messages; training rows: {n_train}; "
          f"targets: in-scope >= 95 %, oos recall >= 80 %; load average {os.getloadavg()[0]:.2f}")
    for name, r in results.items():
        print(f"  {name:38} in-scope acc {r['in_scope_accuracy']:6.2f} %   oos recall {r['oos_recall']:6.2f} %"
              f"   parse p50 {r['parse_ms_p50']:.1f} ms  p95 {r['parse_ms_p95']:.1f} ms")
    if "rasa default pipeline" in results:
        a, b = next(iter(results.values())), results["rasa default pipeline"]
        print(f"  ratio tinget/default: in-scope {a['in_scope_accuracy'] / b['in_scope_accuracy']:.2f}x, "
              f"oos recall {a['oos_recall'] / max(b['oos_recall'], 0.01):.2f}x")


if __name__ == "__main__":
    main()
