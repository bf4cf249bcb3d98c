"""Intent benchmark: the project's pipeline (bot/config.yml) next to Rasa's default pipeline
(benchmarks/configs/rasa-default.yml) trained on the same training data, both measured in this run
through the same resident path as `tinget eval intents` (redaction, language detection, Rasa, the
dialogue's fallback rules), plus the NLU parse latency of both models.

    .venv/bin/python benchmarks/intents.py [--file DEV.jsonl] [--no-baseline] [--baseline-model M.tar.gz]
                                           [--latency-only] [--json OUT.json]

NLU parse latency: both models loaded in one process, warmed up on messages outside the dev set (not
counted), then every dev message parsed once by each model, the two taking turns so that both meet the
same load (bot/nlu_parse.py). Printed per message: wall-clock p50/p95 and the CPU time the parse used,
with the machine's load average, since on a shared 2-core machine the wall clock is mostly other work.

The dev set is for measuring only: it is never used for training. Prints figures, never fails.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEV = ROOT.parent / "shared" / "eval-data" / "municipal" / "intents-dev.jsonl"
TARGETS = {"nb": 97.0, "nn": 93.0, "sv": 93.0, "da": 93.0, "fi": 90.0, "en": 90.0}


def _fmt(v) -> str:
    return "   –  " if v is None else f"{v:5.1f} "


def _ratio(a, b) -> str:
    return "  –  " if not a or not b else f"{a / b:4.2f}x"


def main() -> None:
    import os

    os.environ.setdefault("TINGET_CONFIG", "testing")
    from bot.training import current_model, parse_latency, train
    from web.evaluation import evaluate_intents

    ap = argparse.ArgumentParser()
    ap.add_argument("--file", type=Path, default=DEV)
    ap.add_argument("--no-baseline", action="store_true", help="skip training Rasa's default pipeline (about an hour on the shared 2-core machine)")
    ap.add_argument("--baseline-model", type=Path,
                    help="a default-pipeline model already trained on the same data (skips its training)")
    ap.add_argument("--latency-only", action="store_true", help="only the NLU parse latency, no accuracy run")
    ap.add_argument("--json", type=Path, help="also write all figures as JSON")
    args = ap.parse_args()
    if args.latency_only:
        return latency_only(args)

    quiet = lambda *a, **k: None  # noqa: E731
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="tinget-bench-intents-") as tmp:
        tmp = Path(tmp)
        started = time.monotonic()
        model = current_model() or train()
        print(f"project model: {model.name}", flush=True)
        results["tinget"] = evaluate_intents(args.file, tmp / "tinget.jsonl", model=model, log=quiet)
        print(f"  evaluated in {time.monotonic() - started:.0f} s", flush=True)

        base = args.baseline_model
        if base is None and not args.no_baseline:
            started = time.monotonic()
            print("training Rasa's default pipeline on the same data …", flush=True)
            base = train(tmp / "models", config=ROOT / "benchmarks" / "configs" / "rasa-default.yml",
                         out_name="rasa-default", quiet=True)
            print(f"  trained in {time.monotonic() - started:.0f} s", flush=True)
        if base is not None:
            print(f"default-pipeline model: {base.name}", flush=True)
            results["rasa-default"] = evaluate_intents(args.file, tmp / "default.jsonl", model=base, log=quiet)
        results["nlu_parse"] = parse_latency([model] + ([base] if base else []), args.file, tmp / "latency.json")

    ours, base = results["tinget"], results.get("rasa-default")
    print(f"\nIntent benchmark on {args.file.name} (topic accuracy %; target per language)")
    print("lang  target   tinget  default  ratio   special-answered tinget/default   personal->handoff tinget/default")
    langs = list(ours["per_language"]) + ["overall"]
    for lang in langs:
        a = ours["overall"] if lang == "overall" else ours["per_language"][lang]
        b = (base["overall"] if lang == "overall" else base["per_language"].get(lang, {})) if base else {}
        target = TARGETS.get(lang)
        mark = "" if target is None or a["topic_accuracy"] is None else ("ok" if a["topic_accuracy"] >= target else "MISS")
        print(f"{lang:8} {'' if target is None else target:>5}  {_fmt(a['topic_accuracy'])}  "
              f"{_fmt(b.get('topic_accuracy'))} {_ratio(a['topic_accuracy'], b.get('topic_accuracy'))} {mark:4}"
              f"       {_fmt(a['special_answered_with_topic'])} / {_fmt(b.get('special_answered_with_topic'))}"
              f"                {_fmt(a['personal_case_to_handoff'])} / {_fmt(b.get('personal_case_to_handoff'))}")
    o = ours["overall"]
    print(f"\nspecial (personal_case + out_of_scope) answered with a topic: {o['special_answered_with_topic']} % "
          f"(target ≤ 3 %); personal_case to handoff: {o['personal_case_to_handoff']} % (target ≥ 90 %)")
    print_latency(results["nlu_parse"])
    print(f"resident path through the app (redaction + Rasa + actions): p50 {ours['latency_ms_p50']} ms, "
          f"p95 {ours['latency_ms_p95']} ms")
    print("top confusions:", json.dumps(ours["top_confusions"], ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")


def print_latency(lat: dict) -> None:
    first, *rest = list(lat["models"].items())
    print(f"NLU parse per message (in-process, {first[1]['wall_ms']['n']} messages each, {lat['warm_up_messages']} "
          f"warm-up messages excluded, models taking turns; {lat['cores']} cores, OMP_NUM_THREADS="
          f"{lat['omp_num_threads']}, load average {lat['load_1min'][0]} → {lat['load_1min'][1]}; target p95 ≤ 30 ms):")
    for label, (name, m) in zip(["tinget", "default"], [first, *rest], strict=False):
        w, c = m["wall_ms"], m["cpu_ms"]
        mark = "" if label != "tinget" else ("ok" if w["p95"] <= 30 else "MISS")
        print(f"  {label:8} {name:34} wall p50 {w['p50']:6.1f}  p95 {w['p95']:6.1f}  max {w['max']:6.1f} ms {mark:4}"
              f"   cpu p50 {c['p50']:6.1f}  p95 {c['p95']:6.1f} ms")
    if not rest:
        print("  (default pipeline not run: --no-baseline)")


def latency_only(args) -> None:
    from bot.training import current_model, parse_latency, train

    model = current_model() or train()
    models = [model] + ([args.baseline_model] if args.baseline_model else [])
    with tempfile.TemporaryDirectory(prefix="tinget-bench-latency-") as tmp:
        lat = parse_latency(models, args.file, Path(tmp) / "latency.json")
    print_latency(lat)
    if args.json:
        args.json.write_text(json.dumps({"nlu_parse": lat}, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
