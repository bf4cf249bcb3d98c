"""A reply on a case that came in by e-mail reaches the resident only by e-mail: the console says what
happened to that e-mail, truthfully and in the caseworker's language. There is no outbox, so an unsent
reply is not sent later by itself, and the message says that too."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token, login, make_app
from tests.mail.conftest import build, free_port, smtp_sink  # noqa: F401  (fixture)

SERVICE = ("service@fjordvik.example", "demo-service")


def _mail_case(app, monkeypatch) -> int:
    """A resident's mail as a service-desk case (no NLU here: triage sends it to the service desk)."""
    from web.services import mail as svc

    def no_nlu():
        raise RuntimeError("no NLU in this test")

    monkeypatch.setattr(svc, "_nlu", no_nlu)
    raw = build("Hei, kan dere hente den gamle sofaen min?", "Gamal sofa", message_id="<sofa@example.org>")
    with app.app_context():
        [result] = svc.intake(svc.municipality_for("fjordvik"), [raw])
    assert result["status"] == "route"
    return result["case_id"]


def _reply(client, case_id, text, lang):
    page = client.get(f"/console/cases/{case_id}?lang={lang}").get_data(as_text=True)
    return client.post(f"/console/cases/{case_id}/reply?lang={lang}",
                       data={"text": text, "csrf_token": csrf_token(page)}, follow_redirects=True)


@pytest.fixture
def app_without_smtp(tmp_path):
    app = make_app(tmp_path, SMTP_HOST="")
    yield app
    with app.app_context():
        from web.extensions import db

        db.session.remove()
        db.engine.dispose()


def test_no_mail_server_the_caseworker_is_told_the_email_was_not_sent(app_without_smtp, monkeypatch):
    app = app_without_smtp
    case_id = _mail_case(app, monkeypatch)
    client = app.test_client()
    login(client, *SERVICE)
    page = _reply(client, case_id, "Ja, vi hentar sofaen på tysdag.", "nn").get_data(as_text=True)
    assert "Svaret er sendt til innbyggjaren" not in page and "Svar sendt" not in page
    assert "e-posten til innbyggjaren vart IKKJE send" in page
    assert "Han vert ikkje send seinare av seg sjølv" in page
    # the note on the case is in the reader's language too, not the stored English
    assert "The e-mail could not be sent" not in page and "no SMTP server configured" not in page
    assert "ingen e-posttenar er sett opp" in page
    # the reply in the conversation is marked as not sent by e-mail
    assert "Ikkje send på e-post" in page
    from web.extensions import db
    from web.models import Message

    with app.app_context():
        reply = db.session.scalars(select(Message).where(Message.sender == "caseworker")).one()
        assert reply.meta["mail"] == "failed" and reply.meta["mail_failure"] == "no_smtp"


def test_mail_server_down_says_send_again_later(tmp_path, monkeypatch):
    app = make_app(tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(), SMTP_TIMEOUT=2)
    case_id = _mail_case(app, monkeypatch)
    client = app.test_client()
    login(client, *SERVICE)
    page = _reply(client, case_id, "Takk for e-posten.", "en").get_data(as_text=True)
    assert "Reply sent to the resident." not in page
    assert "the e-mail to the resident was NOT sent: the mail server could not be reached or refused it" in page
    assert "Send the reply again in a while" in page
    assert "The e-mail was not sent (the mail server did not accept it (ConnectionRefusedError))" in page
    with app.app_context():
        from web.extensions import db

        db.engine.dispose()


def test_a_sent_mail_reply_says_sent(tmp_path, monkeypatch, smtp_sink):  # noqa: F811  (the fixture)
    app = make_app(tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_sink.port)
    case_id = _mail_case(app, monkeypatch)
    client = app.test_client()
    login(client, *SERVICE)
    page = _reply(client, case_id, "Vi hentar sofaen.", "nb").get_data(as_text=True)
    assert "Svaret er sendt til innbyggeren." in page and "IKKE sendt" not in page
    assert len(smtp_sink.messages) == 1
    with app.app_context():
        from web.extensions import db

        db.engine.dispose()


def test_a_reply_refused_by_the_address_rule_is_said_in_the_ui_language(app):
    """mail.netguard refuses a municipality's own server at an internal address: the case said only
    "SMTP: AddressRefused"; it says what happened and where to fix it."""
    from flask_babel import force_locale

    from web.labels import mail_failure

    with app.test_request_context(), force_locale("nb"):
        assert mail_failure("SMTP: AddressRefused") == (
            "kommunens egen e-postserver har en adresse denne installasjonen ikke får koble til "
            "(Administrasjon → E-postinnstillinger)")
        assert "SMTPServerDisconnected" in mail_failure("SMTP: SMTPServerDisconnected")
