"""The transparency record names the Rasa model that answered: read from Rasa's /status (at most once per
MODEL_CHECK_SECONDS per worker), so a model loaded by a retrain in another worker, or a Rasa restarted
with a new model, is named correctly; /healthz shows the same name. Real app on a temp SQLite, a stand-in
Rasa on loopback."""

from __future__ import annotations

import pytest

from tests.conftest import Resident, make_app
from tests.fake_rasa import fake_rasa

ANSWER = [{"recipient_id": "x", "custom": {"tinget": {
    "type": "answer", "intent": "library_hours", "confidence": 0.93, "title": "Biblioteket",
    "text": "Biblioteket er åpent 10-16 på lørdager.", "source_url": "https://fjordvik.example/bibliotek"}}}]


def _models(app) -> list[str]:
    with app.app_context():
        from web.extensions import db
        from web.models import TransparencyRecord

        return [r.model_version for r in db.session.query(TransparencyRecord).order_by(TransparencyRecord.id)]


def test_records_name_the_served_model_and_follow_a_new_one(tmp_path, monkeypatch):
    served = {"model_file": "/srv/tinget/models/tinget-aaaa.tar.gz"}
    calls = []

    def status():
        calls.append(1)
        return dict(served)

    with fake_rasa(lambda body: ANSWER, status=status) as (url, _):
        app = make_app(tmp_path, RASA_URL=url, RASA_TIMEOUT=10)
        client = app.test_client()
        resident = Resident(client)
        for _ in range(3):
            assert resident.say("Når er biblioteket åpent?").get_json()["route"] == "answer"
        assert _models(app) == ["tinget-aaaa.tar.gz"] * 3
        assert len(calls) == 1, "Rasa's status is read once per period, not per message"
        assert client.get("/healthz").get_json()["model"] == "tinget-aaaa.tar.gz"
        served["model_file"] = "/srv/tinget/models/tinget-bbbb.tar.gz"  # e.g. retrained in another worker
        monkeypatch.setattr("web.services.inquiry.MODEL_CHECK_SECONDS", 0.0)
        resident.say("Og på søndag?")
        assert _models(app)[-1] == "tinget-bbbb.tar.gz"


@pytest.mark.parametrize("known", ["", "tinget-aaaa.tar.gz"])
def test_a_rasa_that_cannot_say_keeps_the_last_known_name_and_the_answer(tmp_path, known):
    with fake_rasa(lambda body: ANSWER) as (url, _):  # no /status endpoint
        app = make_app(tmp_path, RASA_URL=url, RASA_TIMEOUT=10)
        if known:
            app.extensions["tinget.model_version"] = known
        resident = Resident(app.test_client())
        assert resident.say("Når er biblioteket åpent?").get_json()["route"] == "answer"
        assert _models(app) == [known]


def test_a_hanging_status_costs_the_resident_at_most_about_a_second(tmp_path):
    import time

    def status():
        time.sleep(4)  # Rasa answered the message, then hangs on /status
        return {"model_file": "tinget-late.tar.gz"}

    with fake_rasa(lambda body: ANSWER, status=status) as (url, _):
        app = make_app(tmp_path, RASA_URL=url, RASA_TIMEOUT=10)
        resident = Resident(app.test_client())
        started = time.monotonic()
        assert resident.say("Når er biblioteket åpent?").get_json()["route"] == "answer"
        assert time.monotonic() - started < 2.5
        assert _models(app) == [""]
