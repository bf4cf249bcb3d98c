"""While a caseworker has the conversation (the bot paused), the resident's language is still followed:
the notice that a caseworker will answer comes in the language the resident now writes, and the
transparency record says it was detected. Real app, temp SQLite; Rasa is down, so the first message
becomes a case."""

from __future__ import annotations

from tests.conftest import Resident, make_app


def test_paused_notice_follows_the_residents_language(tmp_path):
    app = make_app(tmp_path)
    resident = Resident(app.test_client())
    first = resident.say("Jeg lurer på søknaden min om barnehageplass").get_json()
    assert first["state"] == "handoff"
    second = resident.say("Could you please tell me when somebody will answer my question?").get_json()
    assert second["route"] == "paused"
    with app.app_context():
        from kb.store import system_text
        from tinget.models import Municipality
        from web.extensions import db
        from web.models import TransparencyRecord

        municipality = db.session.query(Municipality).one()
        notice = system_text(db.session, municipality, "paused", "en")
        record = db.session.query(TransparencyRecord).order_by(TransparencyRecord.id.desc()).first()
        assert (record.route, record.lang, record.lang_source) == ("paused", "en", "detected")
    assert [r["text"] for r in second["replies"]] == [notice]
