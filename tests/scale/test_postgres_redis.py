"""The scale path on real servers: the app migrated onto Postgres, a resident's conversation becoming a
case and the caseworker's reply reaching the widget; rate limits shared by two web workers through
Redis; a Postgres restart; and (with the Rasa model) the bot answering with its tracker store in
Postgres and its lock store in Redis."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import Resident, csrf_token, login, make_app

pytestmark = pytest.mark.scale
ADMIN = ("admin@fjordvik.example", "demo-admin")


def _dispose(app):
    with app.app_context():
        from web.extensions import db

        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def pg_app(tmp_path, pg_url):
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=pg_url)
    yield app
    _dispose(app)


def test_migrations_and_demo_content_on_postgres(pg_app, pg_url):
    from alembic.script import ScriptDirectory
    from flask_migrate import Migrate  # noqa: F401  (the app's migrate extension is configured)

    with pg_app.app_context():
        config = pg_app.extensions["migrate"].migrate.get_config()
        head = ScriptDirectory.from_config(config).get_current_head()
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        assert engine.dialect.name == "postgresql"
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
        assert conn.execute(text("SELECT count(*) FROM kb_article")).scalar() > 10
        assert conn.execute(text('SELECT count(*) FROM "user"')).scalar() >= 1
    engine.dispose()


def test_conversation_case_and_reply_on_postgres(pg_app):
    client = pg_app.test_client()
    resident = Resident(client)
    resp = resident.say("Jeg vil klage på vedtaket om hjemmetjenester for min mor")
    assert resp.status_code == 201
    data = resp.get_json()
    assert data["state"] == "handoff" and data["case"]["status"] == "new"  # Rasa is down in this test
    assert data["replies"][0]["sender"] == "bot"  # the resident is told a caseworker will answer
    case_id = data["case"]["id"]

    worker = pg_app.test_client()
    assert login(worker, *ADMIN).status_code == 302
    page = worker.get(f"/console/cases/{case_id}").get_data(as_text=True)
    assert "hjemmetjenester" in page
    resp = worker.post(f"/console/cases/{case_id}/reply",
                       data={"text": "Klagen er mottatt; du får svar innen tre uker.", "csrf_token": csrf_token(page)})
    assert resp.status_code == 302
    messages = resident.messages().get_json()
    assert messages["messages"][-1]["sender"] == "caseworker"
    assert "innen tre uker" in messages["messages"][-1]["text"]
    assert messages["case"]["status"] == "answered"


OTHER_WORKER = """
import json, sys
from web import create_app
config = json.loads(sys.argv[1])
conv = json.loads(sys.argv[2])
client = create_app(config).test_client()
resp = client.post(f"/api/v1/conversations/{conv['id']}/messages", json={"text": "fra en annen prosess"},
                   headers={"X-Conversation-Token": conv["token"]})
print(resp.status_code)
"""


def test_rate_limits_are_shared_by_web_workers_through_redis(tmp_path, pg_url, redis_server):
    """A conversation's message budget is counted in Redis, so another worker process (as under
    gunicorn --workers N) sees the same count and refuses the message over the limit."""
    import json
    import subprocess
    import sys

    import redis

    from tests.conftest import ROOT

    limits = {"SQLALCHEMY_DATABASE_URI": pg_url, "RATELIMIT_ENABLED": True, "RASA_URL": "http://127.0.0.1:9",
              "RATELIMIT_STORAGE_URI": redis_server.url, "RATE_LIMIT_MESSAGES": "3 per minute",
              "INSTANCE_PATH": str(tmp_path), "SUGGESTER_ENABLED": False, "RASA_TRACKER_URL": ""}
    worker_a = make_app(tmp_path, **limits)
    try:
        conv = Resident(worker_a.test_client())
        assert [conv.say(f"spørsmål {n}").status_code for n in range(3)] == [201, 201, 201]
        assert any(b"tinget-rl" in k for k in redis.Redis.from_url(redis_server.url).keys("*"))
        worker_b = subprocess.run([sys.executable, "-c", OTHER_WORKER, json.dumps(limits),
                                   json.dumps({"id": conv.id, "token": conv.token})],
                                  cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert worker_b.stdout.strip().splitlines()[-1] == "429", worker_b.stderr[-2000:]
        refused = conv.say("en gang til")
        assert refused.status_code == 429 and refused.headers.get("Retry-After")
        assert refused.get_json()["error"]["message"]
        other = Resident(worker_a.test_client())  # another conversation has its own budget
        assert other.say("hei").status_code == 201
    finally:
        _dispose(worker_a)
        from web.extensions import limiter

        limiter.enabled = False  # the limiter is process-wide; later tests' apps run without limits


def test_postgres_restart_loses_no_message(pg_app, postgres):
    """While Postgres is down the widget gets a clear 503 (nothing stored, send again); after the restart
    the same web worker carries on with fresh connections."""
    resident = Resident(pg_app.test_client())
    assert resident.say("Første melding før omstart").status_code == 201
    postgres.stop()
    try:
        down = resident.say("Melding mens databasen er nede")
        assert down.status_code == 503
        assert down.get_json()["error"]["code"] == "storage_unavailable"
        assert "send it again" in down.get_json()["error"]["message"]
    finally:
        postgres.start()
    again = resident.say("Melding mens databasen er nede")  # the resident sends the kept text again
    assert again.status_code == 201
    texts = [m["text"] for m in resident.messages().get_json()["messages"] if m["sender"] == "resident"]
    assert texts == ["Første melding før omstart", "Melding mens databasen er nede"]


@pytest.mark.rasa
def test_bot_answers_with_tracker_in_postgres_and_locks_in_redis(rasa_model, tmp_path, postgres, redis_server):
    import redis

    from bot.servers import Stack

    app_url = postgres.create_database("tinget_stack_app")
    tracker_url = postgres.create_database("tinget_stack_tracker")
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=app_url, RASA_TRACKER_URL=tracker_url)
    stats_before = redis.Redis.from_url(redis_server.url).info("stats")["total_commands_processed"]
    stack = Stack(rasa_model, app_url, tracker_url, redis_url=redis_server.url, log_dir=tmp_path / "logs")
    stack.start(timeout=600)
    try:
        app.config["RASA_URL"] = stack.rasa_url
        resident = Resident(app.test_client())
        data = resident.say("Når er biblioteket åpent?").get_json()
        assert data["route"] in ("answer", "clarify"), data
        assert data["replies"] and data["replies"][0]["text"]
        engine = create_engine(tracker_url)
        with engine.connect() as conn:
            events = conn.execute(text("SELECT count(*) FROM events WHERE sender_id = :s"),
                                  {"s": resident.id}).scalar()
        assert events > 0  # the conversation's tracker lives in Postgres
        stats_after = redis.Redis.from_url(redis_server.url).info("stats")["total_commands_processed"]
        assert stats_after - stats_before >= 3  # Rasa took and released its conversation lock in Redis
        # Deleting the conversation removes its tracker events from Postgres too.
        assert app.test_client().delete(f"/api/v1/conversations/{resident.id}", headers=resident.headers).status_code == 200
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM events WHERE sender_id = :s"),
                                {"s": resident.id}).scalar() == 0
        engine.dispose()
    finally:
        stack.stop()
        _dispose(app)
