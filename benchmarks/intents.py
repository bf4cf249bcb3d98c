"""Intent benchmark: the project's pipeline (bot/config.yml) next to Rasa's default pipeline
(benchmarks/configs/rasa-default.yml) trained on the same training data, both measured in this run
through the same resident path as `tinget eval intents` (redaction, language detection, Rasa, the
dialogue's fallback rules), plus the NLU parse latency of the project's model.

    .venv/bin/python benchmarks/intents.py [--file DEV.jsonl] [--no-baseline] [--json OUT.json]

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
    from bot.training import current_model, parse_file, train
    from web.evaluation import evaluate_intents

    ap = argparse.ArgumentParser()
    ap.add_argument("--file", type=Path, default=DEV)
    ap.add_argument("--no-baseline", action="store_true", help="skip training Rasa's default pipeline (~10 min)")
    ap.add_argument("--json", type=Path, help="also write all figures as JSON")
    args = ap.parse_args()

    quiet = lambda *a, **k: None  # noqa: E731
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="tinget-bench-intents-") as tmp:
        tmp = Path(tmp)
        started = time.monotonic()
        model = current_model() or train()
        print(f"project model: {model.name}", flush=True)
        results["tinget"] = evaluate_intents(args.file, tmp / "tinget.jsonl", model=model, log=quiet)
        print(f"  evaluated in {time.monotonic() - started:.0f} s", flush=True)

        parsed = parse_file(model, args.file, tmp / "parse.jsonl")
        ms = sorted(p["parse_ms"] for p in parsed)
        results["tinget"]["nlu_parse_ms"] = {"p50": ms[len(ms) // 2], "p95": ms[int(len(ms) * 0.95)],
                                             "n": len(ms)}

        if not args.no_baseline:
            started = time.monotonic()
            print("training Rasa's default pipeline on the same data …", flush=True)
            base = train(tmp / "models", config=ROOT / "benchmarks" / "configs" / "rasa-default.yml",
                         out_name="rasa-default", quiet=True)
            print(f"  trained in {time.monotonic() - started:.0f} s", flush=True)
            results["rasa-default"] = evaluate_intents(args.file, tmp / "default.jsonl", model=base, log=quiet)
            parsed = parse_file(base, args.file, tmp / "parse-default.jsonl")
            ms = sorted(p["parse_ms"] for p in parsed)
            results["rasa-default"]["nlu_parse_ms"] = {"p50": ms[len(ms) // 2], "p95": ms[int(len(ms) * 0.95)],
                                                       "n": len(ms)}

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
    p = ours["nlu_parse_ms"]
    print(f"NLU parse (in-process, {p['n']} messages): p50 {p['p50']:.1f} ms, p95 {p['p95']:.1f} ms (target ≤ 30 ms)"
          + (f"; default pipeline p95 {base['nlu_parse_ms']['p95']:.1f} ms" if base else ""))
    print(f"resident path through the app (redaction + Rasa + actions): p50 {ours['latency_ms_p50']} ms, "
          f"p95 {ours['latency_ms_p95']} ms")
    print("top confusions:", json.dumps(ours["top_confusions"], ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
