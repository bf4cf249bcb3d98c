"""The whole mail path against real servers: a resident's mail arrives in the municipality's IMAP
postbox (Debian's Dovecot on loopback) → `tinget mail poll` triages it → the case is in the
caseworker's console → the caseworker replies in the console → the reply leaves by SMTP (aiosmtpd)
in the same thread; polling again makes no duplicate."""

from __future__ import annotations

import email.utils

from sqlalchemy import select

from tests.conftest import csrf_token, login, make_app
from tests.mail.conftest import build, free_port


def _deliver(server, *raws):
    from imapclient import IMAPClient

    with IMAPClient("127.0.0.1", port=server.port, ssl=False) as c:
        c.login(server.user, server.password)
        for raw in raws:
            c.append("INBOX", raw)


def test_imap_intake_console_reply_in_thread(tmp_path, imap_server, smtp_sink, model_available):
    app = make_app(tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_sink.port, MAIL_IMAP_HOST="127.0.0.1",
                   MAIL_IMAP_PORT=imap_server.port, MAIL_IMAP_SSL=False, MAIL_IMAP_USER=imap_server.user,
                   MAIL_IMAP_PASSWORD=imap_server.password, WTF_CSRF_ENABLED=True)
    question = build("Hei\n\nJeg har fått avslag på søknaden om kommunal bolig og klager på vedtaket. "
                     "Kan noen ringe meg på 912 34 567?\n\nMvh\nRoza Ahmadi", "Klage på avslag",
                     message_id="<imap-1@example.org>", sender="Roza Ahmadi <roza@example.org>")
    newsletter = build("Nyheter fra turlaget. Meld deg av: https://turlag.example/avmeld", "Nyhetsbrev",
                       sender="post@turlag.example", List_Unsubscribe="<https://turlag.example/avmeld>")
    _deliver(imap_server, question, newsletter)

    from web.cli import cli

    runner = app.test_cli_runner()
    result = runner.invoke(cli, ["mail", "poll"])
    assert result.exit_code == 0, result.output
    assert "route: 1" in result.output and "set_aside: 1" in result.output and "fetched: 2" in result.output
    _deliver(imap_server, question)  # the same mail delivered again
    result = runner.invoke(cli, ["mail", "poll"])
    assert "duplicate: 1" in result.output and "route" not in result.output

    from web.extensions import db
    from web.mail_models import MailItem

    with app.app_context():
        item = db.session.scalars(select(MailItem).where(MailItem.action == "route")).one()
        case_id, department = item.case_id, item.department
        assert department == "welfare" and item.deliveries == 2
    client = app.test_client()
    login(client, "admin@fjordvik.example", "demo-admin")
    page = client.get(f"/console/cases/{case_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "912 34 567" not in html  # redacted at once
    resp = client.post(f"/console/cases/{case_id}/reply",
                       data={"text": "Hei! Vi har mottatt klagen din og ringer deg i morgen.",
                             "csrf_token": csrf_token(html)})
    assert resp.status_code in (200, 302)
    [sent] = smtp_sink.messages
    assert sent["To"] == "roza@example.org" and sent["In-Reply-To"] == "<imap-1@example.org>"
    assert sent["References"].endswith("<imap-1@example.org>") and sent["Subject"].startswith("Re: Klage på avslag [#")
    assert "ringer deg i morgen" in sent.get_content()
    # the resident answers in the thread: it joins the same case
    answer = build("Takk, jeg er hjemme hele dagen.", "Re: Klage på avslag", message_id="<imap-2@example.org>",
                   sender="roza@example.org", In_Reply_To=sent["Message-ID"],
                   References=f"<imap-1@example.org> {sent['Message-ID']}")
    _deliver(imap_server, answer)
    assert "route: 1" in runner.invoke(cli, ["mail", "poll"]).output
    with app.app_context():
        rows = db.session.scalars(select(MailItem).where(MailItem.direction == "in")).all()
        assert {r.case_id for r in rows if r.action == "route"} == {case_id}
    assert email.utils.parseaddr(sent["From"])[1] == "postmottak@fjordvik.example"


def test_poll_says_what_is_missing_or_unreachable(tmp_path):
    from web.cli import cli

    app = make_app(tmp_path)
    out = app.test_cli_runner().invoke(cli, ["mail", "poll"])
    assert out.exit_code != 0 and "No IMAP postbox configured" in out.output
    app.config.update(MAIL_IMAP_HOST="127.0.0.1", MAIL_IMAP_PORT=free_port(), MAIL_IMAP_SSL=False)
    out = app.test_cli_runner().invoke(cli, ["mail", "poll"])
    assert out.exit_code != 0 and "IMAP poll failed" in out.output
