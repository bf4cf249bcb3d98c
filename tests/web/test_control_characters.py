"""Invisible control characters in what residents and caseworkers write (on SQLite here; the same paths on
Postgres, which refuses NUL in text, are in tests/scale/test_postgres_control_characters.py).

A resident's message keeps every visible character and loses the control characters (never the
message); an e-mail address with one is refused, not cleaned (a cleaned address can be someone else's
mailbox); what caseworkers type in the console is stored without them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token, login

ADMIN = ("admin@fjordvik.example", "demo-admin")
CONTROLS = "\x00\x01\x07\x1b\x7f\x85"  # NUL, SOH, BEL, ESC, DEL, NEL (C1)


def _rows(app, model, *where):
    from web.extensions import db

    with app.app_context():
        return db.session.scalars(select(model).where(*where)).all()


def test_a_message_with_control_characters_is_stored_without_them(app, resident):
    from web.models import Message

    conv = resident()
    resp = conv.say(f"Hei{CONTROLS}! Når\x0bstenger\x0cbiblioteket?\r\nTakk\rfor\thjelpen")
    assert resp.status_code == 201, resp.get_json()
    expected = "Hei! Når\nstenger\nbiblioteket?\nTakk\nfor\thjelpen"  # vertical tab and form feed are line breaks
    assert resp.get_json()["message"]["text"] == expected
    assert [m.text for m in _rows(app, Message, Message.sender == "resident")] == [expected]


@pytest.mark.parametrize("address", ["kari\x00@example.no", "kari@exa\x1bmple.no", "ka\ud800ri@example.no",
                                     "kari@example.no\x00"])
def test_an_email_address_with_a_control_character_is_refused_not_cleaned(client, resident, address):
    """'ka\\ud800ri@…' was a 500 (it cannot be encrypted as UTF-8); 'kari\\x00@…' was stored as it was."""
    resp = client.post("/api/v1/conversations", json={"municipality": "fjordvik", "email": address})
    assert resp.status_code == 400 and resp.get_json()["error"]["code"] == "invalid_email"
    conv = resident()
    resp = client.post(f"/api/v1/conversations/{conv.id}/email", json={"email": address}, headers=conv.headers)
    assert resp.status_code == 400 and resp.get_json()["error"]["code"] == "invalid_email"
    assert conv.say("Hei", email=address).status_code == 400
    resp = client.post(f"/api/v1/conversations/{conv.id}/email", json={"email": " kari@example.no "},
                       headers=conv.headers)
    assert resp.status_code == 200 and resp.get_json() == {"email": True}


def _case_page(app, resident):
    """A case from a resident's message (Rasa is down here) and a logged-in admin on its page."""
    from web.models import Case

    conv = resident()
    data = conv.say("Jeg vil klage på vedtaket om hjemmetjenester").get_json()
    case_id = data["case"]["id"]
    worker = app.test_client()
    worker.get("/auth/login?lang=en")
    assert login(worker, *ADMIN).status_code == 302
    assert _rows(app, Case, Case.id == case_id)[0].department in {"service_desk"}
    return conv, case_id, worker


def _post(worker, case_id, what, **data):
    page = worker.get(f"/console/cases/{case_id}").get_data(as_text=True)
    return worker.post(f"/console/cases/{case_id}/{what}", data={"csrf_token": csrf_token(page), **data},
                       follow_redirects=True)


def test_console_notes_replies_reasons_and_search_without_control_characters(app, resident):
    """Notes, replies, reassign and reject reasons were stored with a NUL (on Postgres: a 500, see
    tests/scale); one made only of control characters is empty and asked for again, not sent."""
    from web.extensions import db
    from web.models import CaseNote, Draft, Message

    conv, case_id, worker = _case_page(app, resident)
    _post(worker, case_id, "notes", text="Ring\x00 tilbake\x0bi morgen")
    _post(worker, case_id, "notes", text="\x00\x07")
    assert [n.text for n in _rows(app, CaseNote, CaseNote.case_id == case_id, CaseNote.kind == "note")] == [
        "Ring tilbake\ni morgen"]

    page = _post(worker, case_id, "reply", text="\x00\x1b").get_data(as_text=True)
    assert "Write a reply before sending." in page
    _post(worker, case_id, "reply", text="Klagen\x00 er mottatt.")
    assert [m["text"] for m in conv.messages().get_json()["messages"] if m["sender"] == "caseworker"] == [
        "Klagen er mottatt."]

    with app.app_context():
        draft = Draft(case_id=case_id, rank=0, text="Forslag", lang="nb")
        db.session.add(draft)
        db.session.commit()
        draft_id = draft.id
    _post(worker, case_id, f"drafts/{draft_id}/reject", reason="Feil\x00 tema")
    assert _rows(app, Draft, Draft.id == draft_id)[0].reject_reason == "Feil tema"

    assert worker.get("/console/?q=klage%00r&status=all").status_code == 200
    assert f"/console/cases/{case_id}" in worker.get("/console/?q=kla%00ge&status=all").get_data(as_text=True)

    _post(worker, case_id, "reassign", department="culture", reason="Feil\x00 avdeling")
    notes = [n.text for n in _rows(app, CaseNote, CaseNote.case_id == case_id, CaseNote.kind == "reassign")]
    assert notes == ["service_desk → culture: Feil avdeling"]
    assert not [m.text for m in _rows(app, Message) if "\x00" in m.text]
