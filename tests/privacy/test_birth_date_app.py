"""A resident's birth date goes through the real app redacted: what Rasa receives (and so its tracker),
the stored message and the analytics row hold <BIRTH_DATE>, never the date; a deadline in the same
message is kept. Invented people and dates."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.conftest import Resident, make_app
from tests.fake_rasa import fake_rasa

ANSWER = [{"recipient_id": "x", "custom": {"tinget": {
    "type": "answer", "intent": "home_care", "confidence": 0.91, "title": "Hjemmetjenester",
    "text": "Du kan søke om hjemmetjenester på kommunens nettside.", "source_url": "https://fjordvik.example/hjem",
    "buttons": []}}}]

MESSAGES = [  # (lang, message, birth date, a date that must stay)
    ("nb", "Mor er født 12.03.1941 og trenger hjemmetjeneste før 15.01.2027.", "12.03.1941", "15.01.2027"),
    ("sv", "Min pappa är född 4 maj 1938. Hur söker vi hemtjänst före 2027-01-15?", "4 maj 1938", "2027-01-15"),
    ("fi", "Äitini on syntynyt 12. maaliskuuta 1941, hakemus 15.1.2027 mennessä?", "12. maaliskuuta 1941",
     "15.1.2027"),
    ("en", "My father, date of birth 02/11/1938, needs home care by 15 January 2027.", "02/11/1938",
     "15 January 2027"),
]


def _db_text(db, skip=("case_original",)) -> str:
    rows = []
    for table in db.metadata.sorted_tables:
        if table.name not in skip:
            rows += [" ".join(str(v) for v in row) for row in db.session.execute(text(f'SELECT * FROM "{table.name}"'))]  # noqa: S608
    return "\n".join(rows)


@pytest.mark.parametrize("lang,message,birth_date,deadline", MESSAGES)
def test_birth_date_reaches_rasa_and_the_database_redacted(tmp_path, lang, message, birth_date, deadline):
    bodies: list[dict] = []

    def reply(body):
        bodies.append(body)
        return ANSWER

    with fake_rasa(reply) as (url, _):
        app = make_app(tmp_path, RASA_URL=url, RASA_TIMEOUT=10)
        resident = Resident(app.test_client(), lang=lang)
        resp = resident.say(message)
        assert resp.status_code == 201, resp.get_json()
    sent = " ".join(str(b.get("message", "")) for b in bodies)
    assert bodies and birth_date not in sent and "<BIRTH_DATE>" in sent and deadline in sent, sent
    assert birth_date not in resp.get_data(as_text=True)
    with app.app_context():
        from web.extensions import db
        from web.models import Message, TransparencyRecord

        said = db.session.query(Message).filter_by(sender="resident").one()
        record = db.session.query(TransparencyRecord).one()
        assert "<BIRTH_DATE>" in said.text and deadline in said.text, said.text
        assert record.redactions.get("BIRTH_DATE") == 1, record.redactions
        stored = _db_text(db)
        assert birth_date not in stored
        db.session.remove()
        db.engine.dispose()


def test_birth_date_on_a_case_is_redacted_outside_the_encrypted_original(tmp_path):
    """Rasa down: the message becomes a case; only the encrypted original may hold the date."""
    app = make_app(tmp_path)  # DEAD_RASA
    resident = Resident(app.test_client(), lang="nb")
    resp = resident.say("Far min, Ola Brekkjord, er født 2. november 1938. Kan han få trygghetsalarm?")
    assert resp.status_code in (200, 201), resp.get_json()
    with app.app_context():
        from web.extensions import db

        stored = _db_text(db)
        assert "2. november 1938" not in stored and "<BIRTH_DATE>" in stored
        assert db.session.execute(text("SELECT count(*) FROM case_original")).scalar() == 1
        db.session.remove()
        db.engine.dispose()
