"""Message round trip through the app vs a bare Rasa REST webhook, in the same run.

    .venv/bin/python benchmarks/roundtrip.py [--seconds 15] [--sustain 60] [--levels 1,5,20] [--turns 6]
        [--rasa-servers 1] [--think 2-5 --think-levels 20 --think-seconds 60] [--postgres]

Starts the Rasa server(s) and the action server with the current model (bot.servers.Stack) on a temporary
database with the demo KB, and the app under gunicorn (gunicorn.conf.py, 1 worker x 8 threads, as `make run`)
pointing at them. For each number of concurrent residents it runs, for a fixed time each:

- bare:  POST {rasa}/webhooks/rest/webhook  (Rasa + action server + KB lookup)
- app:   POST /api/v1/conversations/<id>/messages  (validation, redaction, language detection, DB
         writes, Rasa as above, transparency record, rate limiter)

Residents are closed-loop: each sends its next message as soon as the previous one is answered, with no
think time, so at N residents there are always N messages in flight and latency includes queueing
(latency ~= N / throughput once the stack is saturated).

Conversation length (--turns, default 6): each resident starts a new conversation after that many
messages, identically on both sides (bare: a new sender id; app: a new conversation, whose creation is
not timed). Residents' conversations are a handful of messages; Rasa rebuilds the whole conversation
session from the tracker store and replays it on every message, so its cost per message grows with the
conversation (one resident, bare Rasa, busy shared machine: ~20 ms for a fresh conversation's first message,
then roughly +0.6 ms for every earlier message; it was ~1 ms before the speed-ups in bot/rasa_server.py).
``--turns 0`` keeps one conversation per resident for the whole run (the old definition: a bare sender
id never changes, an app conversation lasts until it is handed off). In the app a conversation that is
handed off is also replaced by a new one, so every timed app message goes through Rasa.

--rasa-servers K starts K Rasa servers sharing the tracker store and the action server; the app gets all
of them in RASA_URL and bare residents pick a server the way the app does (sticky per conversation,
web.services.rasa_client), so both sides spread the same load the same way.

--think MIN-MAX adds a second table (beside the closed-loop one, never instead of it): residents who read
the answer and type for MIN-MAX seconds (uniform) before each message, at --think-levels residents.

Prints p50/p95 latency, messages/s, errors and the app/bare ratios, the CPU time each part of the stack
spent per answered message (independent of other load on the machine, unlike the latencies), then a
sustained closed-loop run at the highest level and the resident-facing memory of the stack (RSS of
Rasa, actions and gunicorn). The suggester is off: every question here is answered by the bot and opens no
case. (A handoff drafts its replies in the resident's request after the case is committed: about 5-10 ms on
the demo index, plus about 220 ms once per web worker to load the encoder.) Never part of `make test`;
never fails.
"""

from __future__ import annotations

import argparse
import os
import random
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
    def __init__(self, base: str, turns: int = 0):
        self.base, self.turns, self.http, self.conv, self.sent = base, turns, requests.Session(), None, 0

    def _new(self):
        data = self.http.post(f"{self.base}/api/v1/conversations", json={"municipality": "fjordvik", "lang": "nb"},
                              timeout=30).json()
        self.conv, self.sent = (data["id"], {"X-Conversation-Token": data["token"]}), 0

    def send(self, text: str) -> tuple[float, bool, str]:
        if self.conv is None or (self.turns and self.sent >= self.turns):
            self._new()  # untimed
        cid, headers = self.conv
        self.sent += 1
        t0 = time.perf_counter()
        resp = self.http.post(f"{self.base}/api/v1/conversations/{cid}/messages", json={"text": text},
                              headers=headers, timeout=60)
        elapsed = time.perf_counter() - t0
        # The answer is parsed once, as BareResident does: this load generator shares the machine's cores
        # with the stack, and parsing it three times inflated the app side's CPU and latency figures.
        data = resp.json() if resp.status_code == 201 else {}
        ok = bool(data.get("replies"))
        route = data.get("route", "") if ok else f"HTTP {resp.status_code}"
        if ok and data.get("state") != "bot":
            self.conv = None  # handed off: the next message starts a new conversation (untimed)
        return elapsed, ok, route


class BareResident:
    def __init__(self, rasa_urls: list[str], turns: int = 0):
        from web.services.rasa_client import RasaClient

        self.client = RasaClient(",".join(rasa_urls))  # only to pick the server the way the app does
        self.turns, self.http, self.sender, self.sent = turns, requests.Session(), uuid.uuid4().hex, 0

    def send(self, text: str) -> tuple[float, bool, str]:
        if self.turns and self.sent >= self.turns:
            self.sender, self.sent = uuid.uuid4().hex, 0  # a new conversation
        self.sent += 1
        rasa = self.client.servers_for(self.sender)[0]
        t0 = time.perf_counter()
        resp = self.http.post(f"{rasa}/webhooks/rest/webhook",
                              json={"sender": self.sender, "message": text, "metadata": {"lang": "nb",
                                                                                          "municipality": "fjordvik"}},
                              timeout=60)
        elapsed = time.perf_counter() - t0
        ok = resp.status_code == 200 and bool(resp.json())
        return elapsed, ok, "ok" if ok else f"HTTP {resp.status_code}"


def run_load(make_resident, users: int, seconds: float, think: tuple[float, float] | None = None,
             cpu: CpuMeter | None = None) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    routes: dict[str, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker(n: int):
        resident = make_resident()
        rng = random.Random(n)
        i = n
        if think:  # residents arrive spread over the first think time, not all at once
            time.sleep(rng.uniform(0, think[1]))
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
            if think:
                time.sleep(min(rng.uniform(*think), max(0.0, stop_at - time.monotonic())))

    before = cpu.read() if cpu else {}
    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    after = cpu.read() if cpu else {}
    cpu_ms = {k: 1000 * (after[k] - before[k]) / max(1, len(latencies)) for k in after}
    return {"n": len(latencies), "errors": len(errors), "error_kinds": sorted(set(errors))[:5],
            "p50": pct(latencies, 50) * 1000, "p95": pct(latencies, 95) * 1000,
            "mean": (statistics.fmean(latencies) * 1000) if latencies else float("nan"),
            "rate": len(latencies) / wall, "routes": routes, "cpu_ms": cpu_ms}


class CpuMeter:
    """CPU seconds (user + system) used so far by each part of the stack, children included."""

    def __init__(self, parts: dict[str, list[int]]):
        self.parts = parts

    def read(self) -> dict[str, float]:
        import psutil

        out = {}
        for name, pids in self.parts.items():
            total = 0.0
            for pid in pids:
                try:
                    proc = psutil.Process(pid)
                    for p in [proc, *proc.children(recursive=True)]:
                        t = p.cpu_times()
                        total += t.user + t.system
                except psutil.NoSuchProcess:
                    pass
            out[name] = total
        return out


def cpu_line(result: dict) -> str:
    cpu = result["cpu_ms"]
    return " ".join(f"{k} {v:.1f}" for k, v in cpu.items() if v >= 0.05) + f" = {sum(cpu.values()):.1f} ms"


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


def start_web(tmp: Path, db_url: str, rasa_url: str, tracker_url: str, workers: int = 1, threads: int = 8,
              code: Path = ROOT, wait: float = 300, poll: float = 1):
    """Gunicorn serving the app in ``code`` as `make run` does (gunicorn.conf.py), with high rate limits and
    the suggester off, on a free port; returns (process, base URL) once /healthz answers. Shared with
    benchmarks/web_cpu.py."""
    from bot.servers import free_port

    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(code), TINGET_CONFIG="development", TINGET_INSTANCE=str(tmp),
               DATABASE_URL=db_url, RASA_URL=rasa_url, RASA_TRACKER_URL=tracker_url, TINGET_SUGGESTER="0",
               TINGET_RATE_LIMIT_MESSAGES="1000000 per minute", TINGET_RATE_LIMIT_NEW_CONVERSATIONS="1000000 per minute",
               TINGET_RATE_LIMIT_POLLS="1000000 per minute", TINGET_SECRET_KEY="benchmark-only")  # noqa: S106 - throw-away
    log = open(tmp / f"web-{port}.log", "ab")  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py", "--workers",
                             str(workers), "--threads", str(threads), "--bind", f"127.0.0.1:{port}", "--timeout",
                             "120", "web.wsgi:app"],
                            cwd=code, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited; see {log.name}")
        try:
            if requests.get(f"{url}/healthz", timeout=2).ok:
                return proc, url
        except requests.RequestException:
            pass
        time.sleep(poll)
    raise TimeoutError("the web app did not start")


def print_table(title: str, rows: list[tuple[int, dict, dict]]) -> None:
    print(f"\n{title}")
    print(f"{'residents':>9} | {'bare p50':>8} {'p95':>7} {'msg/s':>6} {'err':>4} | "
          f"{'app p50':>8} {'p95':>7} {'msg/s':>6} {'err':>4} | {'p50 x':>6} {'p95 x':>6} {'rate x':>6}")
    for users, bare, appr in rows:
        print(f"{users:>9} | {bare['p50']:8.0f} {bare['p95']:7.0f} {bare['rate']:6.1f} {bare['errors']:4d} | "
              f"{appr['p50']:8.0f} {appr['p95']:7.0f} {appr['rate']:6.1f} {appr['errors']:4d} | "
              f"{appr['p50'] / bare['p50']:6.2f} {appr['p95'] / bare['p95']:6.2f} "
              f"{appr['rate'] / bare['rate']:6.2f}", flush=True)


def print_details(rows: list[tuple[int, dict, dict]]) -> None:
    for users, bare, appr in rows:
        print(f"  at {users}: CPU ms per answered message: bare {cpu_line(bare)} | app {cpu_line(appr)}")
        print(f"         routes: app {appr['routes']}; errors app {appr['error_kinds']} bare {bare['error_kinds']}")


def load_average() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=15, help="measuring time per level and side")
    ap.add_argument("--sustain", type=float, default=60, help="sustained run at the highest level (0: skip)")
    ap.add_argument("--levels", default="1,5,20")
    ap.add_argument("--turns", type=int, default=6,
                    help="messages per conversation before a resident starts a new one (0: one per resident)")
    ap.add_argument("--rasa-servers", type=int, default=1, help="Rasa servers behind the app (and for bare)")
    ap.add_argument("--think", help="MIN-MAX seconds: also run residents who read and type between messages")
    ap.add_argument("--think-levels", default="20", help="residents for the --think table")
    ap.add_argument("--think-seconds", type=float, default=60, help="measuring time per --think level and side")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--postgres", action="store_true", help="app database and tracker on a throw-away Postgres")
    ap.add_argument("--model", type=Path, help="Rasa model (default: the current one)")
    args = ap.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    think = tuple(float(x) for x in args.think.split("-")) if args.think else None

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
        print(f"model {model.name}; database {'postgres' if pg else 'sqlite'}; {args.rasa_servers} Rasa server(s); "
              f"{args.turns or 'unbounded'} messages per conversation; closed loop (no think time); starting Rasa, "
              f"actions, gunicorn ({args.workers}x{args.threads}) … ({load_average()})", flush=True)
        web = None
        try:
            with Stack(model, db_url, tracker_url, log_dir=tmp / "logs", rasa_servers=args.rasa_servers) as stack:
                urls = stack.rasa_urls
                web, base = start_web(tmp, db_url, ",".join(urls), tracker_url, args.workers, args.threads)
                rasa = [p.pid for name, p in stack.procs.items() if name.startswith("rasa")]
                bare_cpu = CpuMeter({"rasa": rasa, "actions": [stack.procs["actions"].pid]})
                app_cpu = CpuMeter({"rasa": rasa, "actions": [stack.procs["actions"].pid], "web": [web.pid]})

                def bare_load(users, seconds, think=None):
                    return run_load(lambda: BareResident(urls, args.turns), users, seconds, think, bare_cpu)

                def app_load(users, seconds, think=None):
                    return run_load(lambda: AppResident(base, args.turns), users, seconds, think, app_cpu)

                bare_load(2, 5), app_load(2, 5)  # warm up
                rows = []
                for users in levels:
                    rows.append((users, bare_load(users, args.seconds), app_load(users, args.seconds)))
                print_table(f"closed loop, ms ({load_average()})", rows)
                print_details(rows)
                if think:
                    trows = [(users, bare_load(users, args.think_seconds, think),
                              app_load(users, args.think_seconds, think))
                             for users in (int(x) for x in args.think_levels.split(","))]
                    print_table(f"with think time {args.think} s between a resident's messages, ms "
                                f"({load_average()})", trows)
                    print_details(trows)
                if args.sustain:
                    users = max(levels)
                    bare = bare_load(users, args.sustain)
                    appr = app_load(users, args.sustain)
                    print(f"\nsustained {args.sustain:.0f} s closed loop at {users} residents: app {appr['rate']:.1f} "
                          f"msg/s ({appr['n']} answered, {appr['errors']} errors, p95 {appr['p95']:.0f} ms) vs bare "
                          f"{bare['rate']:.1f} msg/s ({bare['errors']} errors, p95 {bare['p95']:.0f} ms): "
                          f"ratio {appr['rate'] / bare['rate']:.2f} ({load_average()})")
                    print(f"  CPU ms per answered message: bare {cpu_line(bare)} | app {cpu_line(appr)}")
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
