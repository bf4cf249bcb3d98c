"""Load test with locust: 20 concurrent residents in realistic conversations against the whole stack.

    .venv/bin/python benchmarks/load_locust.py [--minutes 10] [--users 20] [--bare-minutes M] [--think 0.5-2]

Starts the Rasa server and the action server with the current model and the app under gunicorn
(1 worker x 8 threads, as `make run`), as benchmarks/roundtrip.py does, all on 127.0.0.1 with a temporary database.
Then runs locust headless (no web UI, loopback only, bounded time):

1. the baseline: the same number of residents sending the same messages straight to Rasa's REST
   webhook (``RasaResident`` in benchmarks/loadtest/locustfile.py) for --bare-minutes
   (default: a fifth of --minutes, at least 30 s);
2. the app: ``AppResident`` (open a conversation, ask, poll, follow up or press a button, thank;
   sometimes a personal case that goes to a caseworker) for --minutes.

Prints requests/s, p50/p95 and errors per request kind and overall, the app/bare ratio for messages,
and the stack's memory at the end. Locust runs on the same machine and takes CPU too. Never part of
`make test`; never fails.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
LOCUSTFILE = ROOT / "benchmarks" / "loadtest" / "locustfile.py"


def run_locust(user_class: str, host: str, users: int, seconds: float, think: str, out: Path) -> list[dict]:
    """One headless locust run; returns the rows of its stats CSV (one per request name + Aggregated)."""
    prefix = out / user_class
    spawn_rate = max(1, users // 5)  # all residents within ~5 s
    cmd = [str(ROOT / ".venv" / "bin" / "locust"), "-f", str(LOCUSTFILE), "--headless", "--only-summary",
           "-u", str(users), "-r", str(spawn_rate), "-t", f"{int(seconds)}s", "--stop-timeout", "30",
           "--host", host, "--csv", str(prefix), "--loglevel", "WARNING", "--exit-code-on-error", "0",
           user_class]
    env = dict(os.environ, TINGET_LOCUST_THINK=think)
    with open(out / f"{user_class}.log", "wb") as log:
        subprocess.run(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=seconds + 300,
                       check=False)
    stats = Path(f"{prefix}_stats.csv")
    if not stats.exists():
        sys.exit(f"locust wrote no statistics; see {out / (user_class + '.log')}:\n"
                 + (out / f"{user_class}.log").read_text(errors="replace")[-2000:])
    with stats.open(newline="") as f:
        return list(csv.DictReader(f))


def _num(row: dict, key: str) -> float:
    try:
        return float(row.get(key) or "nan")
    except ValueError:
        return float("nan")


def print_rows(title: str, rows: list[dict]) -> None:
    print(f"\n{title}")
    print(f"  {'request':<24} {'count':>7} {'errors':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    for row in rows:
        print(f"  {row['Name']:<24} {int(_num(row, 'Request Count')):>7} {int(_num(row, 'Failure Count')):>6} "
              f"{_num(row, 'Requests/s'):>7.1f} {_num(row, '50%'):>7.0f} {_num(row, '95%'):>7.0f} "
              f"{_num(row, 'Max Response Time'):>7.0f}")


def by_name(rows: list[dict], name: str) -> dict:
    return next((r for r in rows if r["Name"] == name), {})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=10, help="length of the app run (default 10)")
    ap.add_argument("--bare-minutes", type=float, help="length of the bare Rasa run (default minutes/5, >= 0.5)")
    ap.add_argument("--users", type=int, default=20, help="concurrent residents (default 20)")
    ap.add_argument("--think", default="0.5-2", help="seconds between a resident's actions, min-max")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--model", type=Path, help="Rasa model (default: the current one)")
    args = ap.parse_args()
    bare_minutes = args.bare_minutes or max(0.5, args.minutes / 5)

    from benchmarks.roundtrip import stack_memory_mb, start_web
    from bot.servers import Stack
    from bot.training import current_model
    from web.evaluation import _eval_app

    model = args.model or current_model()
    if model is None:
        sys.exit("no trained Rasa model: run `make train` first")
    with tempfile.TemporaryDirectory(prefix="tinget-locust-") as tmp_name:
        tmp = Path(tmp_name)
        db_url, tracker_url = f"sqlite:///{tmp / 'app.db'}", f"sqlite:///{tmp / 'tracker.db'}"
        app = _eval_app(tmp, db_url)
        with app.app_context():
            from web.extensions import db

            db.engine.dispose()
        print(f"model {model.name}; {args.users} residents, think {args.think} s; bare Rasa {bare_minutes:g} min, "
              f"app {args.minutes:g} min; starting Rasa, actions, gunicorn ({args.workers}x{args.threads}) …",
              flush=True)
        web = None
        try:
            with Stack(model, db_url, tracker_url, log_dir=tmp / "logs") as stack:
                web, base = start_web(tmp, db_url, stack.rasa_url, tracker_url, args.workers, args.threads)
                started = time.strftime("%H:%M:%S")
                load_before = os.getloadavg()
                bare = run_locust("RasaResident", stack.rasa_url, args.users, bare_minutes * 60, args.think, tmp)
                appr = run_locust("AppResident", base, args.users, args.minutes * 60, args.think, tmp)
                load_after = os.getloadavg()
                pids = [p.pid for p in stack.procs.values()] + [web.pid]
                memory = stack_memory_mb(pids)
                print_rows(f"bare Rasa REST webhook ({bare_minutes:g} min, started {started})", bare)
                print_rows(f"app, whole conversations ({args.minutes:g} min)", appr)
                b, a = by_name(bare, "rasa: webhook"), by_name(appr, "app: send message")
                agg = by_name(appr, "Aggregated")
                print(f"\nmessages: app p50 {_num(a, '50%'):.0f} ms / p95 {_num(a, '95%'):.0f} ms vs bare "
                      f"p50 {_num(b, '50%'):.0f} ms / p95 {_num(b, '95%'):.0f} ms: ratio p50 "
                      f"{_num(a, '50%') / _num(b, '50%'):.2f}, p95 {_num(a, '95%') / _num(b, '95%'):.2f}")
                print(f"app: {_num(agg, 'Requests/s'):.1f} requests/s ({_num(a, 'Requests/s'):.1f} messages/s), "
                      f"{int(_num(agg, 'Failure Count'))} errors of {int(_num(agg, 'Request Count'))} requests")
                print(f"stack memory (RSS of Rasa, action server, gunicorn master+workers): {memory:.0f} MB")
                print("load average before/after: " + " ".join(f"{x:.2f}" for x in load_before) + " / "
                      + " ".join(f"{x:.2f}" for x in load_after))
                failures = tmp / "AppResident_failures.csv"
                if failures.exists() and failures.read_text().count("\n") > 1:
                    print("app failures:\n" + failures.read_text()[:2000])
        finally:
            if web is not None:
                web.terminate()
                web.wait(timeout=30)


if __name__ == "__main__":
    main()
