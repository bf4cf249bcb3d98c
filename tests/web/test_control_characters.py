"""Invisible control characters in what residents and caseworkers write (on SQLite here; the same paths on
Postgres, which refuses NUL in text, are in tests/scale/test_postgres_control_characters.py).

A resident's message keeps every visible character and loses the control characters (never the
message); an e-mail address with one is refused, not cleaned (a cleaned address can be someone else's
mailbox); what caseworkers type in the console is stored without them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

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
