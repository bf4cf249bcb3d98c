"""If the redactor fails, the message is not passed on unredacted: it is held as a case (original
encrypted on the case only) and the failure is logged. Through the real Flask app."""

from __future__ import annotations

import logging
import random

from sqlalchemy import select, text

from tests.privacy import synthetic as syn

FNR = syn.no_fnr(random.Random(5))


def _broken_redactor(*args, **kwargs):
    raise RuntimeError("recognizer exploded")


def _all_text_outside_originals(db) -> str:
    rows = []
    for table in db.metadata.sorted_tables:
        if table.name == "case_original":
            continue
        for row in db.session.execute(text(f'SELECT * FROM "{table.name}"')):  # noqa: S608 (table names from metadata)
            rows.append(" ".join(str(v) for v in row))
    return "\n".join(rows)


def test_failed_redaction_holds_the_message_as_a_case(app, resident, monkeypatch, caplog):
    import web.services.inquiry as inquiry
    from web.extensions import db
    from web.models import Case, CaseOriginal, Message, TransparencyRecord

    monkeypatch.setattr(inquiry, "redact", _broken_redactor)
    secret = f"Jeg heter Kari Nordmann, fødselsnummer {FNR}, ring 912 34 567"
    with caplog.at_level(logging.INFO):
        resp = resident().say(secret)
    assert resp.status_code in (200, 201), resp.get_json()
    body = resp.get_json()
    assert body["case"] is not None
    assert FNR not in resp.get_data(as_text=True) and "Nordmann" not in resp.get_data(as_text=True)
    assert any("redaction failed" in r.getMessage() for r in caplog.records)
    assert not any(FNR in r.getMessage() or "Nordmann" in r.getMessage() for r in caplog.records)
    with app.app_context():
        stored = db.session.scalars(select(Message).where(Message.sender == "resident")).one()
        assert stored.text == "[message withheld: redaction failed]"
        record = db.session.scalars(select(TransparencyRecord)).one()
        assert record.redactions == {"FAILED": 1} and record.reason == "redaction_failed"
        case = db.session.scalars(select(Case)).one()
        assert case.reason == "redaction_failed"
        assert db.session.scalars(select(CaseOriginal)).one().case_id == case.id
        dump = _all_text_outside_originals(db)
        for value in (FNR, "Nordmann", "912 34 567"):
            assert value not in dump


def test_follow_up_while_redactor_is_broken_is_also_held(app, resident, monkeypatch):
    import web.services.inquiry as inquiry
    from web.extensions import db

    person = resident()
    assert person.say("Hei").status_code in (200, 201)  # case opened (Rasa is dead in tests)
    monkeypatch.setattr(inquiry, "redact", _broken_redactor)
    assert person.say(f"fnr {FNR}").status_code in (200, 201)
    with app.app_context():
        assert FNR not in _all_text_outside_originals(db)
