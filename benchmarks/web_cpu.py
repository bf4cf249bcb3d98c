"""The gunicorn web worker's CPU per resident message, as `make run` serves it, with Rasa replaced by a fake.

    .venv/bin/python benchmarks/web_cpu.py [--residents 20] [--messages 1500] [--rounds 3] [--turns 6]
        [--compare DIR]

benchmarks/app_cpu.py measures the app's own code in-process; this adds what gunicorn does around it (the
worker's poller and thread pool, HTTP parsing, the access log), which the roundtrip benchmark showed to be
about a third of the web worker's CPU. It starts gunicorn exactly as the roundtrip benchmark does
(gunicorn.conf.py, 1 worker x 8 threads, development config, high rate limits, SQLite with the demo KB) with
RASA_URL pointing at the fake Rasa of app_cpu.py (tests/fake_rasa.py, kept-alive connections) in this
process, and runs closed-loop residents (requests sessions, new conversations untimed every --turns
messages, as roundtrip.AppResident). Reports the worker's CPU time (user + system, from /proc) per answered
message; the fake Rasa's and the load generator's CPU are this process's, not counted. CPU time moves with
the machine's load too (shared cores and caches: 4.2 to 7.7 ms per message within one run at load 5 to 13),
less than latency does: compare sides within one run, over several rounds.

--compare DIR also serves the code in DIR (e.g. main's: `git archive main | tar -x -C /tmp/old`), each
side with its own copy of the same database, and alternates the two sides in one run (A B, B A, ...: the
machine's load drifts, and the second of a pair was measured under more of it).
Never part of `make test`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402

from benchmarks.app_cpu import answer  # noqa: E402
from benchmarks.roundtrip import QUESTIONS, AppResident, start_web  # noqa: E402
from tests.fake_rasa import fake_rasa  # noqa: E402


def start(code: Path, tmp: Path, db: Path, rasa_url: str) -> tuple[subprocess.Popen, str]:
    return start_web(tmp, f"sqlite:///{db}", rasa_url, "", workers=1, threads=8, code=code, wait=120, poll=0.5)


def worker_cpu(master: subprocess.Popen) -> float:
    total = 0.0
    for p in psutil.Process(master.pid).children(recursive=True):
        t = p.cpu_times()
        total += t.user + t.system
    return total


def load(base: str, residents: int, messages: int, turns: int) -> int:
    """Closed-loop residents until ``messages`` are answered in all; returns the number answered."""
    lock = threading.Lock()
    state = {"left": messages, "ok": 0}

    def resident(n: int):
        r = AppResident(base, turns)
        i = n
        while True:
            with lock:
                if state["left"] <= 0:
                    return
                state["left"] -= 1
            _, ok, route = r.send(QUESTIONS[i % len(QUESTIONS)])
            i += 1
            if not ok:
                raise RuntimeError(f"message failed: {route}")
            with lock:
                state["ok"] += 1

    threads = [threading.Thread(target=resident, args=(n,)) for n in range(residents)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return state["ok"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--residents", type=int, default=20)
    ap.add_argument("--messages", type=int, default=1500, help="answered messages per round and side")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--turns", type=int, default=6)
    ap.add_argument("--compare", type=Path, help="a second source tree to serve and measure alternately")
    args = ap.parse_args()
    sides = {"this": ROOT}
    if args.compare:
        sides["compare"] = args.compare.resolve()
    from web.evaluation import _eval_app

    procs = []
    with tempfile.TemporaryDirectory(prefix="tinget-webcpu-") as tmp_name, \
            fake_rasa(answer, keep_alive=True) as (rasa_url, _):
        tmp = Path(tmp_name)
        app = _eval_app(tmp, f"sqlite:///{tmp / 'app.db'}")
        with app.app_context():
            from web.extensions import db

            db.engine.dispose()
        try:
            urls = {}
            for name, code in sides.items():
                shutil.copy(tmp / "app.db", tmp / f"{name}.db")
                proc, urls[name] = start(code, tmp, tmp / f"{name}.db", rasa_url)
                procs.append((name, proc))
                load(urls[name], 4, 200, args.turns)  # warm up
            results: dict[str, list[float]] = {name: [] for name in sides}
            for rnd in range(args.rounds):
                for name, proc in procs if rnd % 2 == 0 else procs[::-1]:  # ABBA: load drifts during a run
                    before = worker_cpu(proc)
                    n = load(urls[name], args.residents, args.messages, args.turns)
                    ms = 1000 * (worker_cpu(proc) - before) / n
                    results[name].append(ms)
                    print(f"round {rnd + 1} {name:>7} ({sides[name]}): web worker CPU {ms:.2f} ms per message "
                          f"({n} messages, {args.residents} residents, load {os.getloadavg()[0]:.2f})", flush=True)
            for name, values in results.items():
                print(f"{name:>7}: median {statistics.median(values):.2f} ms per message over {len(values)} rounds "
                      f"({', '.join(f'{v:.2f}' for v in values)})")
        finally:
            for _, proc in procs:
                proc.terminate()
                proc.wait(timeout=30)


if __name__ == "__main__":
    main()
