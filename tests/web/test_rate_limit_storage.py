"""The default (no Redis) rate-limit storage: limits hold for residents, expired counters are dropped,
and a steady stream of messages does not start a thread per message."""

from __future__ import annotations

import threading
import time

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter

from tests.conftest import make_app
from web import ratelimit_storage
from web.ratelimit_storage import QuietMemoryStorage


def _conversation(client):
    data = client.post("/api/v1/conversations", json={"municipality": "fjordvik", "lang": "nb"}).get_json()
    return data["id"], {"X-Conversation-Token": data["token"]}


def test_default_storage_is_the_quiet_one_and_limits_residents(tmp_path):
    from web.extensions import db, limiter

    app = make_app(tmp_path, RATELIMIT_ENABLED=True, RATE_LIMIT_MESSAGES="3 per minute", RASA_URL="http://127.0.0.1:9")
    try:
        limiter.reset()
        assert app.config["RATELIMIT_STORAGE_URI"] == "tinget-memory://"
        assert isinstance(limiter.storage, QuietMemoryStorage)
        client = app.test_client()
        cid, headers = _conversation(client)
        codes = [client.post(f"/api/v1/conversations/{cid}/messages", json={"text": "Hei"}, headers=headers).status_code
                 for _ in range(4)]
        assert codes == [201, 201, 201, 429], "Rasa is down: three messages become cases, the fourth waits"
        other, other_headers = _conversation(client)
        assert client.post(f"/api/v1/conversations/{other}/messages", json={"text": "Hei"},
                           headers=other_headers).status_code == 201, "the limit is per conversation"
    finally:
        limiter.reset()
        limiter.enabled = False  # process-wide: later tests' apps run without limits
        with app.app_context():
            db.engine.dispose()


def test_counter_updates_start_no_threads():
    storage = storage_from_string("tinget-memory://")
    limiter = FixedWindowRateLimiter(storage)
    item = parse("1000 per minute")
    time.sleep(0.05)  # the constructor's one timer has run
    before = threading.active_count()
    started = []
    original = threading.Thread.start
    threading.Thread.start = lambda self: (started.append(self), original(self))[1]
    try:
        for n in range(50):
            assert limiter.hit(item, f"conversation-{n % 5}")
            time.sleep(0.002)  # longer than nothing, as between residents' messages
    finally:
        threading.Thread.start = original
    assert started == [] and threading.active_count() <= before


def test_expired_counters_are_swept_inline(monkeypatch):
    monkeypatch.setattr(ratelimit_storage, "SWEEP_SECONDS", 0.0)
    storage = QuietMemoryStorage()
    fixed, moving = FixedWindowRateLimiter(storage), MovingWindowRateLimiter(storage)
    short = parse("2 per 1 second")
    assert fixed.hit(short, "a") and fixed.hit(short, "a") and not fixed.hit(short, "a")
    assert moving.hit(short, "b")
    assert [k for k in storage.storage if "/a/" in k] and storage.events
    time.sleep(1.05)
    assert fixed.hit(short, "c")  # an update sweeps what has expired, in the updating thread
    assert [k for k in storage.storage if "/a/" in k] == [] and all(v == [] for v in storage.events.values())
    assert fixed.hit(short, "a"), "an expired window counts again from zero"


def test_someone_with_the_conversation_id_but_not_its_token_cannot_use_up_the_residents_limit(tmp_path):
    """The limit is checked before the token: keyed by the id alone, wrong-token requests ate the
    resident's messages. Now they fill their own bucket; the resident still has all of theirs."""
    from web.extensions import db, limiter

    app = make_app(tmp_path, RATELIMIT_ENABLED=True, RATE_LIMIT_MESSAGES="3 per minute", RASA_URL="http://127.0.0.1:9")
    try:
        limiter.reset()
        client = app.test_client()
        cid, headers = _conversation(client)
        wrong = [client.post(f"/api/v1/conversations/{cid}/messages", json={"text": "spam"},
                             headers={"X-Conversation-Token": "not-the-token"}).status_code for _ in range(5)]
        assert wrong == [403, 403, 403, 429, 429]
        without = client.post(f"/api/v1/conversations/{cid}/messages", json={"text": "spam"}).status_code
        assert without == 403
        codes = [client.post(f"/api/v1/conversations/{cid}/messages", json={"text": "Hei"}, headers=headers).status_code
                 for _ in range(4)]
        assert codes == [201, 201, 201, 429], "the resident's own three messages, then the limit"
        polls = client.get(f"/api/v1/conversations/{cid}/messages", headers=headers)
        assert polls.status_code == 200 and len([m for m in polls.get_json()["messages"]
                                                 if m["sender"] == "resident"]) == 3
    finally:
        limiter.reset()
        limiter.enabled = False  # process-wide: later tests' apps run without limits
        with app.app_context():
            db.engine.dispose()
