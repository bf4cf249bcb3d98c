"""The Rasa server warms its model up before it accepts a connection (bot/warm_up.py, bot/rasa_server.py).

Rasa reported its model loaded (``/status``) before the first message had run the pipeline; that message
then took 16-24 s on a loaded machine, past the app's RASA_TIMEOUT (15 s), so the first resident after a
restart was told the bot was unavailable and got a case. Every start (Procfile's bin/rasa-serve, the
supervisor, Stack for the tests and ``tinget eval``) runs bot.rasa_server, so one real start shows it: the
very first resident message is answered at once, and the warm-up leaves no conversation behind."""

from __future__ import annotations

import sqlite3
import time

import pytest

from tests.conftest import Resident, make_app

pytestmark = pytest.mark.rasa


def test_the_first_resident_after_a_start_is_answered_and_the_warm_up_leaves_no_trace(rasa_model, tmp_path):
    from bot.servers import Stack
    from bot.warm_up import SENDER
    from privacy import redact
    from tinget.language import warm_up

    warm_up()  # the app's own cold start, as web/wsgi.py does it before gunicorn serves (timed here: Rasa's)
    redact("warm up", "nb")
    app = make_app(tmp_path)
    tracker = tmp_path / "tracker.db"
    with Stack(rasa_model, app.config["SQLALCHEMY_DATABASE_URI"], f"sqlite:///{tracker}",
               log_dir=tmp_path / "logs") as stack:
        log = (tmp_path / "logs" / "rasa.log").read_text(encoding="utf-8", errors="replace")
        assert "Rasa model warmed up in" in log  # before /status answered: Stack waits for it
        app.config["RASA_URL"] = stack.rasa_url
        conv = Resident(app.test_client())
        started = time.perf_counter()
        data = conv.say("Når er biblioteket åpent?").get_json()
        took = time.perf_counter() - started
        # a retrain's model (PUT /model, web.services.teach) is warmed up before it replaces the served one
        import requests

        assert requests.put(f"{stack.rasa_url}/model", json={"model_file": str(rasa_model.resolve())},
                            timeout=600).status_code in (200, 204)
        started = time.perf_counter()
        after_swap = conv.say("Når er biblioteket åpent på lørdag?").get_json()
        took_after_swap = time.perf_counter() - started
        log = (tmp_path / "logs" / "rasa.log").read_text(encoding="utf-8", errors="replace")
        assert "New Rasa model warmed up in" in log
    assert after_swap["route"] == "answer" and took_after_swap < 5.0, (took_after_swap, after_swap)
    assert data["route"] == "answer" and data["case"] is None, data  # within the app's RASA_TIMEOUT
    assert data["replies"][-1]["source_url"].startswith("https://www.fjordvik.example/")
    assert took < 5.0, f"the first message took {took:.1f} s"
    with sqlite3.connect(tracker) as db:
        senders = [s for (s,) in db.execute("SELECT DISTINCT sender_id FROM events")]
    assert len(senders) == 1 and SENDER not in senders, senders  # only the resident's conversation (both warm-ups)
    with app.app_context():
        from web.extensions import db as app_db
        from web.models import Conversation, TransparencyRecord

        assert app_db.session.query(Conversation).count() == 1
        assert app_db.session.query(TransparencyRecord).count() == 2  # the resident's two messages
