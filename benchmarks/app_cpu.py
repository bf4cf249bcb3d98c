"""The web app's own CPU per resident message, in-process, with Rasa replaced by a fake on loopback.

    .venv/bin/python benchmarks/app_cpu.py [--messages 600] [--turns 6] [--profile out.html]

Builds the app as the roundtrip benchmark's gunicorn does (development config, rate limits on with high
limits, SQLite with the demo KB), answers every Rasa call with a fixed "answer" payload from a fake
Rasa server (tests/fake_rasa.py, with kept-alive HTTP/1.1 connections as Rasa's Sanic server has them:
no TCP connection per message, as in production) and posts residents' messages through the Flask test
client. Reports the CPU time of the posting thread per message (time.thread_time: the fake server's
thread is not counted), median and p90 over all messages; creating a conversation is not counted. With
--profile, writes cProfile stats of the timed messages. Never part of `make test`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["TINGET_CONFIG"] = "development"
os.environ.setdefault("TINGET_SECRET_KEY", "benchmark-only")
for name in ("MESSAGES", "NEW_CONVERSATIONS", "POLLS"):
    os.environ[f"TINGET_RATE_LIMIT_{name}"] = "1000000 per minute"

from benchmarks.roundtrip import QUESTIONS  # noqa: E402
from tests.fake_rasa import fake_rasa  # noqa: E402


def answer(body: dict) -> list:
    return [{"recipient_id": body["sender"], "custom": {"tinget": {
        "type": "answer", "intent": "library_hours", "confidence": 0.93, "title": "Biblioteket",
        "text": "Biblioteket er åpent 10-16 på lørdager.", "html": "<p>Biblioteket er åpent 10-16 på lørdager.</p>",
        "source_url": "https://fjordvik.example/bibliotek", "article_id": 1, "article_lang": "nb",
        "buttons": [{"title": "Og på søndag?", "payload": "/library_hours"}]}}}]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=600)
    ap.add_argument("--turns", type=int, default=6)
    ap.add_argument("--profile", type=Path)
    args = ap.parse_args()
    from flask_migrate import upgrade

    from web import create_app
    from web.demo import load_demo

    with tempfile.TemporaryDirectory(prefix="tinget-appcpu-") as tmp, fake_rasa(answer, keep_alive=True) as (url, _):
        os.environ["TINGET_INSTANCE"] = tmp
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/app.db", "INSTANCE_PATH": tmp,
                          "RASA_URL": url, "SUGGESTER_ENABLED": False, "RASA_TRACKER_URL": ""})
        with app.app_context():
            upgrade()
            load_demo()
        client = app.test_client()

        def new_conversation():
            data = client.post("/api/v1/conversations", json={"municipality": "fjordvik", "lang": "nb"}).get_json()
            return data["id"], {"X-Conversation-Token": data["token"]}

        def run(n: int, profiler=None) -> list[float]:
            cpu = []
            cid, headers = new_conversation()
            for i in range(n):
                if args.turns and i and i % args.turns == 0:
                    cid, headers = new_conversation()
                body = {"text": QUESTIONS[i % len(QUESTIONS)]}
                if profiler:
                    profiler.start()
                started = time.thread_time()
                resp = client.post(f"/api/v1/conversations/{cid}/messages", json=body, headers=headers)
                cpu.append((time.thread_time() - started) * 1000)
                if profiler:
                    profiler.stop()
                assert resp.status_code == 201 and resp.get_json()["route"] == "answer", resp.get_json()
            return cpu

        run(30)  # warm up: language models, SQLAlchemy statement cache, redaction engine
        profiler = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.start, profiler.stop = profiler.enable, profiler.disable
        cpu = run(args.messages, profiler)
        cpu.sort()
        print(f"app CPU ms per message over {len(cpu)} messages ({args.turns} per conversation): "
              f"median {statistics.median(cpu):.2f}, p90 {cpu[int(len(cpu) * 0.9)]:.2f}, "
              f"mean {statistics.fmean(cpu):.2f} (load {os.getloadavg()[0]:.2f})")
        statements: list[str] = []
        with app.app_context():
            from sqlalchemy import event

            from web.extensions import db

            engine = db.engine
        listener = lambda conn, cursor, statement, *a: statements.append(" ".join(statement.split())[:110])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        run(2)
        event.remove(engine, "before_cursor_execute", listener)
        print(f"SQL statements for a new conversation and its first two messages ({len(statements)}):")
        print("\n".join("  " + s for s in statements))
        if profiler:
            profiler.dump_stats(args.profile)
            print(f"cProfile stats in {args.profile} (python -m pstats)")


if __name__ == "__main__":
    main()
