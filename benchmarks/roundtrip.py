"""Message round trip through the app vs a bare Rasa REST webhook, in the same run.

    .venv/bin/python benchmarks/roundtrip.py [--seconds 15] [--sustain 60] [--levels 1,5,20] [--postgres]

Starts the Rasa server and the action server with the current model (bot.servers.Stack) on a temporary
database with the demo KB, and the app under gunicorn (2 workers x 4 threads, as `make run`) pointing
at them. For each number of concurrent residents it runs, for a fixed time each:

- bare:  POST {rasa}/webhooks/rest/webhook  (Rasa + action server + KB lookup)
- app:   POST /api/v1/conversations/<id>/messages  (validation, redaction, language detection, DB
         writes, Rasa as above, transparency record, rate limiter)

Each resident sends nb questions one after another (a conversation that is handed off is replaced by
a new one, so every timed app message goes through Rasa). Prints p50/p95 latency, messages/s, errors
and the app/bare ratios, then a sustained run at the highest level and the resident-facing memory of
the stack (RSS of Rasa, actions and gunicorn). The suggester is off: drafts are built after a case is
opened and are not on the resident's path. Never part of `make test`; never fails.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

# Residents' questions written for this benchmark (topics the demo KB answers).
QUESTIONS = [
    "Når er biblioteket åpent på lørdag?",
    "Når blir søppelet hentet hos meg?",
    "Hvordan søker jeg barnehageplass?",
    "Hva koster det å bade i svømmehallen?",
    "Når må eiendomsskatten betales?",
    "Hvordan får jeg parkeringsbevis?",
    "Hva er besøkstiden på sykehjemmet?",
    "Hvordan melder jeg barnet på SFO?",
    "Hvor leverer jeg gamle møbler?",
    "Må jeg søke for å bygge en garasje?",
]


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


class AppResident:
    def __init__(self, base: str):
        self.base, self.http, self.conv = base, requests.Session(), None

    def _new(self):
        data = self.http.post(f"{self.base}/api/v1/conversations", json={"municipality": "fjordvik", "lang": "nb"},
                              timeout=30).json()
        self.conv = (data["id"], {"X-Conversation-Token": data["token"]})

    def send(self, text: str) -> tuple[float, bool, str]:
        if self.conv is None:
            self._new()
        cid, headers = self.conv
        t0 = time.perf_counter()
        resp = self.http.post(f"{self.base}/api/v1/conversations/{cid}/messages", json={"text": text},
                              headers=headers, timeout=60)
        elapsed = time.perf_counter() - t0
        ok = resp.status_code == 201 and bool(resp.json().get("replies"))
        route = resp.json().get("route", "") if ok else f"HTTP {resp.status_code}"
        if ok and resp.json().get("state") != "bot":
            self.conv = None  # handed off: the next message starts a new conversation (untimed)
        return elapsed, ok, route


class BareResident:
    def __init__(self, rasa: str):
        self.rasa, self.http, self.sender = rasa, requests.Session(), uuid.uuid4().hex

    def send(self, text: str) -> tuple[float, bool, str]:
        t0 = time.perf_counter()
        resp = self.http.post(f"{self.rasa}/webhooks/rest/webhook",
                              json={"sender": self.sender, "message": text, "metadata": {"lang": "nb",
                                                                                          "municipality": "fjordvik"}},
                              timeout=60)
        elapsed = time.perf_counter() - t0
        ok = resp.status_code == 200 and bool(resp.json())
        return elapsed, ok, "ok" if ok else f"HTTP {resp.status_code}"


def run_load(make_resident, users: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    routes: dict[str, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker(n: int):
        resident = make_resident()
        i = n
        while time.monotonic() < stop_at:
            text = QUESTIONS[i % len(QUESTIONS)]
            i += 1
            try:
                elapsed, ok, route = resident.send(text)
            except (requests.RequestException, ValueError) as exc:
                with lock:
                    errors.append(exc.__class__.__name__)
                continue
            with lock:
                routes[route] = routes.get(route, 0) + 1
                if ok:
                    latencies.append(elapsed)
                else:
                    errors.append(route)

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    return {"n": len(latencies), "errors": len(errors), "error_kinds": sorted(set(errors))[:5],
            "p50": pct(latencies, 50) * 1000, "p95": pct(latencies, 95) * 1000,
            "mean": (statistics.fmean(latencies) * 1000) if latencies else float("nan"),
            "rate": len(latencies) / wall, "routes": routes}


def stack_memory_mb(pids: list[int]) -> float:
    import psutil

    total = 0
    for pid in pids:
        try:
            proc = psutil.Process(pid)
            total += proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(recursive=True))
        except psutil.NoSuchProcess:
            pass
    return total / 2**20


def start_web(tmp: Path, db_url: str, rasa_url: str, tracker_url: str, workers: int, threads: int):
    from bot.servers import free_port

    port = free_port()
    env = dict(os.environ, TINGET_CONFIG="development", TINGET_INSTANCE=str(tmp), DATABASE_URL=db_url,
               RASA_URL=rasa_url, RASA_TRACKER_URL=tracker_url, TINGET_SUGGESTER="0",
               TINGET_RATE_LIMIT_MESSAGES="1000000 per minute", TINGET_RATE_LIMIT_NEW_CONVERSATIONS="1000000 per minute",
               TINGET_RATE_LIMIT_POLLS="1000000 per minute", TINGET_SECRET_KEY="benchmark-only")  # noqa: S106 - throw-away
    log = open(tmp / "web.log", "ab")  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "--workers", str(workers), "--threads",
                             str(threads), "--bind", f"127.0.0.1:{port}", "--timeout", "120", "web.wsgi:app"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited; see {tmp / 'web.log'}")
        try:
            if requests.get(f"{url}/healthz", timeout=2).ok:
                return proc, url
        except requests.RequestException:
            pass
        time.sleep(1)
    raise TimeoutError("the web app did not start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=15, help="measuring time per level and side")
    ap.add_argument("--sustain", type=float, default=60, help="sustained run at the highest level (0: skip)")
    ap.add_argument("--levels", default="1,5,20")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--postgres", action="store_true", help="app database and tracker on a throw-away Postgres")
    ap.add_argument("--model", type=Path, help="Rasa model (default: the current one)")
    args = ap.parse_args()
    levels = [int(x) for x in args.levels.split(",")]

    from bot.servers import Stack
    from bot.training import current_model
    from web.evaluation import _eval_app

    model = args.model or current_model()
    if model is None:
        sys.exit("no trained Rasa model: run `make train` first")
    pg = None
    with tempfile.TemporaryDirectory(prefix="tinget-roundtrip-") as tmp_name:
        tmp = Path(tmp_name)
        if args.postgres:
            from tests.scale.servers import Postgres

            pg = Postgres().start()
            db_url, tracker_url = pg.create_database("bench_app"), pg.create_database("bench_tracker")
        else:
            db_url, tracker_url = f"sqlite:///{tmp / 'app.db'}", f"sqlite:///{tmp / 'tracker.db'}"
        app = _eval_app(tmp, db_url)
        with app.app_context():
            from web.extensions import db

            db.engine.dispose()
        print(f"model {model.name}; database {'postgres' if pg else 'sqlite'}; starting Rasa, actions, gunicorn "
              f"({args.workers}x{args.threads}) …", flush=True)
        web = None
        try:
            with Stack(model, db_url, tracker_url, log_dir=tmp / "logs") as stack:
                web, base = start_web(tmp, db_url, stack.rasa_url, tracker_url, args.workers, args.threads)
                for make in (lambda: BareResident(stack.rasa_url), lambda: AppResident(base)):  # warm up
                    run_load(make, 2, 5)
                print(f"\n{'residents':>9} | {'bare p50':>8} {'p95':>7} {'msg/s':>6} {'err':>4} | "
                      f"{'app p50':>8} {'p95':>7} {'msg/s':>6} {'err':>4} | {'p50 x':>6} {'p95 x':>6} {'rate x':>6}")
                rows = []
                for users in levels:
                    bare = run_load(lambda: BareResident(stack.rasa_url), users, args.seconds)
                    appr = run_load(lambda: AppResident(base), users, args.seconds)
                    rows.append((users, bare, appr))
                    print(f"{users:>9} | {bare['p50']:8.0f} {bare['p95']:7.0f} {bare['rate']:6.1f} {bare['errors']:4d} | "
                          f"{appr['p50']:8.0f} {appr['p95']:7.0f} {appr['rate']:6.1f} {appr['errors']:4d} | "
                          f"{appr['p50'] / bare['p50']:6.2f} {appr['p95'] / bare['p95']:6.2f} "
                          f"{appr['rate'] / bare['rate']:6.2f}", flush=True)
                for users, bare, appr in rows:
                    print(f"  routes at {users}: app {appr['routes']}; errors app {appr['error_kinds']} "
                          f"bare {bare['error_kinds']}")
                if args.sustain:
                    users = max(levels)
                    bare = run_load(lambda: BareResident(stack.rasa_url), users, args.sustain)
                    appr = run_load(lambda: AppResident(base), users, args.sustain)
                    print(f"\nsustained {args.sustain:.0f} s at {users} residents: app {appr['rate']:.1f} msg/s "
                          f"({appr['n']} answered, {appr['errors']} errors, p95 {appr['p95']:.0f} ms) vs bare "
                          f"{bare['rate']:.1f} msg/s ({bare['errors']} errors, p95 {bare['p95']:.0f} ms): "
                          f"ratio {appr['rate'] / bare['rate']:.2f}")
                pids = [p.pid for p in stack.procs.values()] + [web.pid]
                print(f"stack memory (RSS of Rasa, action server, gunicorn master+workers): "
                      f"{stack_memory_mb(pids):.0f} MB")
                print("targets: p95 <= 1.3x bare and <= 150 ms at 20 residents; >= 30 msg/s sustained, 0 errors")
        finally:
            if web is not None:
                web.terminate()
                web.wait(timeout=30)
            if pg is not None:
                pg.remove()


if __name__ == "__main__":
    main()
