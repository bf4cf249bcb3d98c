"""Mail triage: accuracy on the shared dev set and on the project's own test mails, and throughput.

    .venv/bin/python benchmarks/mail_triage.py [--dev ../shared/eval-data/mail] [--rounds 3]

Accuracy: action accuracy, department accuracy on routed mails, auto-reply precision and set-aside
precision/recall under the demo municipality's settings (the path of `tinget eval mail`).
Throughput: every mail parsed, redacted and triaged (segments of many mails encoded in one batch),
with the encoder's cache cleared before each round, so no mail is faster for having been seen.
Baseline of the same run: one mail at a time (what a per-mail parse would cost); with --overlap,
interleaved rounds of a variant that reads the next batch in a worker thread while the encoder
works (mail.pipeline; it measured no faster on 2 cores). The machine's load average is printed with the
figures: other processes on a shared machine slow the encoder.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _warm(nlu) -> None:
    from privacy import redact

    nlu.parse_many(["warm up"])
    for lang, text in (("nb", "Kari Nordmann, Storgata 1"), ("sv", "Anna Ek"), ("da", "Ole Nielsen"),
                       ("fi", "Juha Salo"), ("en", "Sarah Miller"), ("nn", "Ivar Hauge")):
        redact(text, lang)


def throughput(raws: list[bytes], nlu, settings, batch: int, *, overlap: bool = False) -> tuple[float, float]:
    """(mails per wall-clock minute, estimated mails per minute on idle cores). The estimate divides
    the process's CPU time (parsing, redaction and triage; the encoder runs on every core) by the
    number of cores: what the same work takes when nothing else runs."""
    from mail.pipeline import triage_stream

    nlu.encoder.clear_cache()
    started, cpu0 = time.perf_counter(), time.process_time()
    n = sum(len(decisions) for _mails, decisions in triage_stream(raws, nlu, settings, batch=batch, overlap=overlap))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu0
    assert n == len(raws)
    return 60 * n / wall, 60 * n / (cpu / (os.cpu_count() or 1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dev", type=Path, default=ROOT.parent / "shared" / "eval-data" / "mail")
    ap.add_argument("--own", type=Path, default=ROOT / "tests" / "mail" / "data")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--overlap", action="store_true",
                    help="also measure reading the next batch in a thread (mail.pipeline; slower on 2 cores)")
    args = ap.parse_args()

    from mail.evaluation import run_eval
    from mail.nlu import load_nlu
    from mail.triage import MailSettings
    from web.demo import DEMO_MAIL_SETTINGS

    nlu = load_nlu()
    _warm(nlu)
    report: dict = {"model": nlu.name}
    with tempfile.TemporaryDirectory() as tmp:
        for name, directory in (("dev", args.dev), ("own_test_mails", args.own)):
            if directory.exists():
                summary = run_eval(directory, Path(tmp) / f"{name}.jsonl", DEMO_MAIL_SETTINGS)
                report[name] = {k: summary[k] for k in ("n", "action_accuracy", "department_accuracy_routed",
                                                        "auto_reply_precision", "auto_replies", "set_aside_precision",
                                                        "set_aside_recall", "errors") if k in summary}
    raws = [p.read_bytes() for d in (args.dev, args.own) if d.exists() for p in sorted(d.glob("*.eml"))]
    settings = MailSettings.from_settings({"mail": DEMO_MAIL_SETTINGS})
    # interleaved rounds: the load of a shared machine changes by the second, so the figure and its
    # baseline get rounds spread over the same minutes
    runs: dict[str, list[tuple[float, float]]] = {"sequential": [], "overlapped": [], "single": []}
    for _ in range(args.rounds):
        runs["sequential"].append(throughput(raws, nlu, settings, args.batch, overlap=False))
        runs["single"].append(throughput(raws, nlu, settings, 1, overlap=False))
        if args.overlap:
            runs["overlapped"].append(throughput(raws, nlu, settings, args.batch, overlap=True))
    best = {k: max(w for w, _ in v) for k, v in runs.items() if v}
    single, single_cpu = best["single"], max(c for _, c in runs["single"])
    report["throughput"] = {
        "mails": len(raws), "rounds": args.rounds, "batch": args.batch, "cpu_count": os.cpu_count(),
        "load_average_1_5_15min": [round(x, 2) for x in os.getloadavg()],
        "batched_mails_per_minute": round(best["sequential"]),
        "batched_mails_per_minute_all_rounds": [round(w) for w, _ in runs["sequential"]],
        "baseline_one_at_a_time_mails_per_minute": round(single),
        "baseline_one_at_a_time_all_rounds": [round(w) for w, _ in runs["single"]],
        "ratio_batched_vs_one_at_a_time": round(best["sequential"] / single, 2) if single else None,
        "batched_mails_per_minute_on_idle_cores_est": round(max(c for _, c in runs["sequential"])),
        "one_at_a_time_mails_per_minute_on_idle_cores_est": round(single_cpu),
        "target_mails_per_minute": 1000,
    }
    if args.overlap:
        report["throughput"]["variant_read_next_batch_in_a_thread_all_rounds"] = [round(w) for w, _ in runs["overlapped"]]
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
