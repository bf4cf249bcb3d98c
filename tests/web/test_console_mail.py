"""Delivery by e-mail: a real SMTP server (aiosmtpd) on a free loopback port receives the caseworker's
reply in the resident's language; the resident answers back into the same case."""

from __future__ import annotations

import email
import email.policy
import re

import pytest

from bot.servers import free_port
from tests.conftest import csrf_token, login, make_app
from tests.mail.conftest import smtp_on_loopback
from tests.web.test_console import SCHOOL, _case_for


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's handler API
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content,
                                                                          policy=email.policy.default)))
        return "250 OK"


@pytest.fixture
def smtp_server():
    with smtp_on_loopback(Inbox()) as inbox:
        yield inbox


@pytest.fixture
def mail_app(tmp_path, smtp_server):
    app = make_app(tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port, MAIL_FROM="postmottak@fjordvik.example")
    yield app
    with app.app_context():
        from web.extensions import db

        db.engine.dispose()


def _education_case(app, client, lang="nb", text="Jeg lurer på søknaden min om barnehageplass", **start):
    from tests.conftest import Resident
    from web.extensions import db
    from web.models import Case

    resident = Resident(client, lang=lang)
    if start:
        client.post(f"/api/v1/conversations/{resident.id}/messages", json={"text": text, **start},
                    headers=resident.headers)
    else:
        resident.say(text)
    case = _case_for(app, resident.id)
    with app.app_context():
        db.session.get(Case, case.id).department = "education"
        db.session.commit()
    return resident, case.id


def _reply(client, case_id, text):
    page = client.get(f"/console/cases/{case_id}").get_data(as_text=True)
    return client.post(f"/console/cases/{case_id}/reply", data={"text": text, "csrf_token": csrf_token(page)},
                       follow_redirects=True)


def test_reply_goes_out_by_email_in_the_residents_language(mail_app, smtp_server):
    client = mail_app.test_client()
    resident, case_id = _education_case(mail_app, client, lang="sv",
                                        text="Jag undrar över min ansökan om förskoleplats",
                                        email="kari.nordmann@example.org")
    worker = mail_app.test_client()
    login(worker, *SCHOOL)
    page = _reply(worker, case_id, "Din ansökan är mottagen och behandlas inom två veckor.").get_data(as_text=True)
    assert "resident's e-mail" in page or "e-post" in page
    assert len(smtp_server.messages) == 1
    rcpt, msg = smtp_server.messages[0]
    assert rcpt == ["kari.nordmann@example.org"] and msg["To"] == "kari.nordmann@example.org"
    assert msg["From"] == "postmottak@fjordvik.example"
    assert msg["Subject"].startswith("Svar på din fråga till") and f"(ärende {case_id})" in msg["Subject"]
    assert msg["Content-Language"] == "sv"
    body = msg.get_content()
    assert "behandlas inom två veckor" in body
    assert "handläggare" in body, "the frame of the e-mail is in the resident's language too"
    message_id = str(msg["Message-ID"]).strip()
    assert re.fullmatch(rf"<[^<>@\s]+\.case{case_id}\.msg\d+@fjordvik\.example>", message_id), message_id
    # the resident answers back (widget / API) into the same case, which comes back to the queue
    assert resident.say("Tack! Behöver ni fler papper från mig?").status_code == 201
    case = _case_for(mail_app, resident.id)
    assert case.id == case_id and case.status == "assigned" and case.unread == 1
    texts = [m["text"] for m in resident.messages().get_json()["messages"]]
    assert any("två veckor" in t for t in texts) and texts[-2].startswith("Tack!")
    # the address is stored encrypted, never in clear
    with mail_app.app_context():
        from web.extensions import db
        from web.models import Conversation, Message

        conv = db.session.get(Conversation, case.conversation_id)
        assert conv.resident_email and "example.org" not in conv.resident_email
        sent = db.session.query(Message).filter_by(sender="caseworker").one()
        assert sent.meta["mail"] == "sent" and sent.meta["mail_message_id"].strip() == message_id


def test_no_address_no_mail_and_address_can_be_given_later(mail_app, smtp_server):
    client = mail_app.test_client()
    resident, case_id = _education_case(mail_app, client)
    worker = mail_app.test_client()
    login(worker, *SCHOOL)
    _reply(worker, case_id, "Første svar.")
    assert smtp_server.messages == []
    bad = client.post(f"/api/v1/conversations/{resident.id}/messages",
                      json={"text": "Her er adressen min", "email": "ikke en adresse"}, headers=resident.headers)
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "invalid_email"
    injected = client.post(f"/api/v1/conversations/{resident.id}/messages",
                           json={"text": "x", "email": "a@b.no\r\nBcc: all@example.org"}, headers=resident.headers)
    assert injected.status_code == 400
    ok = client.post(f"/api/v1/conversations/{resident.id}/messages",
                     json={"text": "Send gjerne svaret på e-post", "email": "ola@example.org"}, headers=resident.headers)
    assert ok.status_code == 201
    _reply(worker, case_id, "Andre svar, nå også på e-post.")
    assert [r for r, _ in smtp_server.messages] == [["ola@example.org"]]
    assert "Andre svar" in smtp_server.messages[0][1].get_content()
    assert smtp_server.messages[0][1]["Subject"].startswith("Svar på spørsmålet ditt til")


def test_smtp_down_keeps_the_reply_in_the_widget(tmp_path):
    app = make_app(tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(), SMTP_TIMEOUT=2)
    client = app.test_client()
    resident, case_id = _education_case(app, client, email="kari@example.org")
    worker = app.test_client()
    login(worker, *SCHOOL)
    page = _reply(worker, case_id, "Svaret ditt.").get_data(as_text=True)
    assert "could not be sent" in page or "kunne ikke sendes" in page
    assert resident.messages().get_json()["messages"][-1]["text"] == "Svaret ditt."
    with app.app_context():
        from web.extensions import db

        db.engine.dispose()


def test_reply_to_a_closed_case_reopens_it_and_reaches_the_resident(app, client, resident):
    from tests.web.test_console import _open_case

    conv, case_id = _open_case(app, resident)
    login(client, *SCHOOL)
    page = client.get(f"/console/cases/{case_id}").get_data(as_text=True)
    client.post(f"/console/cases/{case_id}/close", data={"csrf_token": csrf_token(page)})
    assert _case_for(app, conv.id).status == "closed"
    client.post(f"/console/cases/{case_id}/reply", data={"text": "Et tillegg til svaret.", "csrf_token": csrf_token(page)})
    case = _case_for(app, conv.id)
    assert case.status == "answered" and case.closed_at is None
    assert conv.messages().get_json()["messages"][-1]["text"] == "Et tillegg til svaret."
    assert "Reopened by a reply" in client.get(f"/console/cases/{case_id}?lang=en").get_data(as_text=True)


def test_email_endpoint_saves_checks_and_removes_the_address(app, client, resident):
    conv = resident()
    url = f"/api/v1/conversations/{conv.id}/email"
    assert client.post(url, json={"email": "kari@example.org"}, headers=conv.headers).get_json() == {"email": True}
    assert client.post(url, json={"email": "kari@example.org"}, headers={"X-Conversation-Token": "x"}).status_code == 403
    assert client.post("/api/v1/conversations/" + "0" * 32 + "/email", json={"email": "a@b.no"}).status_code == 404
    for bad in ({"email": "ikke en adresse"}, {"email": 5}, {}, {"email": "a" * 140 + "@example.org"}):
        resp = client.post(url, json=bad, headers=conv.headers)
        assert resp.status_code == 400 and resp.get_json()["error"]["code"] in ("invalid_email", "missing_email")
    assert client.post(url, json={"email": ""}, headers=conv.headers).get_json() == {"email": False}
    with app.app_context():
        from web.extensions import db
        from web.models import Conversation

        assert db.session.query(Conversation).filter_by(public_id=conv.id).one().resident_email == ""
