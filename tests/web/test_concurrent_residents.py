"""Residents are not queued behind one another's bot turn: while one resident's message waits for
Rasa (slow under load), other residents can open conversations and write. On SQLite a write
transaction held open through the Rasa call would make them wait for it (the database has one
write lock)."""

from __future__ import annotations

import threading
import time

import pytest

from tests.conftest import Resident, make_app
from tests.fake_rasa import fake_rasa

BOT_SECONDS = 3.0
ANSWER = [{"recipient_id": "x", "custom": {"tinget": {
    "type": "answer", "intent": "library_hours", "confidence": 0.93, "title": "Biblioteket",
    "text": "Biblioteket er åpent 10-16 på lørdager.", "source_url": "https://fjordvik.example/bibliotek"}}}]


@pytest.fixture
def slow_rasa():
    """A stand-in for a Rasa server under load: answers each message after BOT_SECONDS."""
    with fake_rasa(lambda body: ANSWER, delay=BOT_SECONDS) as served:
        yield served


def test_other_residents_write_while_one_waits_for_the_bot(tmp_path, slow_rasa):
    url, reached = slow_rasa
    app = make_app(tmp_path, RASA_URL=url, RASA_TIMEOUT=30)
    waiting = Resident(app.test_client())
    answer = {}
    turn = threading.Thread(target=lambda: answer.update(resp=waiting.say("Når er biblioteket åpent på lørdag?")))
    turn.start()
    assert reached.wait(20), "the message did not reach the bot"

    t0 = time.monotonic()
    other = Resident(app.test_client())  # a new conversation: a database write
    opened = time.monotonic() - t0
    turn.join(30)

    assert opened < BOT_SECONDS / 2, f"opening a conversation waited {opened:.1f} s for another resident's bot turn"
    resp = answer["resp"]
    assert resp.status_code == 201 and resp.get_json()["route"] == "answer"
    assert "10-16" in resp.get_json()["replies"][0]["text"]
    assert other.messages().status_code == 200
    with app.app_context():
        from web.extensions import db

        db.session.remove()
        db.engine.dispose()
