"""A reply on a mail case whose e-mail was not sent can be sent again from the case page, once the mail
server works: the same stored reply, in the resident's thread, never twice. The queue says how many
replies wait and lists their cases, so whoever fixes the mail settings finds them."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token, login, make_app
from tests.mail.conftest import build, smtp_sink  # noqa: F401  (fixture)

SERVICE = ("service@fjordvik.example", "demo-service")
HEALTH = ("helse@fjordvik.example", "demo-helse")


@pytest.fixture
def app(tmp_path, monkeypatch):
    """The app with no mail server set up (as when a reply was not sent); a test sets one up later."""
    from web.services import mail as svc

    def no_nlu():
        raise RuntimeError("no NLU in this test")

    monkeypatch.setattr(svc, "_nlu", no_nlu)  # triage sends the mail to the service desk
    app = make_app(tmp_path, SMTP_HOST="")
    yield app
    with app.app_context():
        from web.extensions import db

        db.session.remove()
        db.engine.dispose()


def _mail_case(app) -> int:
    from web.services import mail as svc

    raw = build("Hei, kan dere hente den gamle sofaen min?", "Gamal sofa", message_id="<sofa@example.org>")
    with app.app_context():
        [result] = svc.intake(svc.municipality_for("fjordvik"), [raw])
    return result["case_id"]


def _unsent_reply(app, client, text="Vi henter sofaen på tirsdag.") -> tuple[int, int]:
    """A mail case with a caseworker reply that was not sent (no mail server): (case id, message id)."""
    case_id = _mail_case(app)
    page = client.get(f"/console/cases/{case_id}?lang=nb").get_data(as_text=True)
    client.post(f"/console/cases/{case_id}/reply?lang=nb", data={"text": text, "csrf_token": csrf_token(page)})
    from web.extensions import db
    from web.models import Message

    with app.app_context():
        reply = db.session.scalars(select(Message).where(Message.sender == "caseworker")).one()
        assert reply.meta["mail"] == "failed"
        return case_id, reply.id


def _resend(client, case_id, message_id, lang="nb"):
    page = client.get(f"/console/cases/{case_id}?lang={lang}").get_data(as_text=True)
    return client.post(f"/console/cases/{case_id}/messages/{message_id}/resend?lang={lang}",
                       data={"csrf_token": csrf_token(page)}, follow_redirects=True)


def _mail_works(app, sink):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=sink.port)


def test_send_again_once_mail_works_sends_the_reply_in_the_thread_once(app, smtp_sink):  # noqa: F811
    client = app.test_client()
    login(client, *SERVICE)
    case_id, message_id = _unsent_reply(app, client)
    page = client.get(f"/console/cases/{case_id}?lang=nb").get_data(as_text=True)
    assert "Ikke sendt på e-post" in page and "Send e-posten på nytt" in page
    assert f"/console/cases/{case_id}/messages/{message_id}/resend" in page

    _mail_works(app, smtp_sink)
    page = _resend(client, case_id, message_id).get_data(as_text=True)
    assert "E-posten med svaret er nå sendt til innbyggeren." in page
    assert "Ikke sendt på e-post" not in page and "Send e-posten på nytt" not in page
    assert "E-posten med et tidligere svar ble sendt ved et nytt forsøk." in page  # the case's history says so
    [sent] = smtp_sink.messages
    assert "Vi henter sofaen på tirsdag." in sent.get_content()
    assert sent["In-Reply-To"] == "<sofa@example.org>" and "<sofa@example.org>" in sent["References"]

    # a second click (an old tab, a double submit) sends nothing and says so
    page = _resend(client, case_id, message_id).get_data(as_text=True)
    assert "allerede sendt på e-post" in page and "det ble ikke sendt en gang til" in page
    assert len(smtp_sink.messages) == 1

    from web.extensions import db
    from web.mail_models import MailItem
    from web.models import AuditEvent, Message

    with app.app_context():
        reply = db.session.get(Message, message_id)
        assert reply.meta["mail"] == "sent" and "mail_failure" not in reply.meta
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "resend_mail_reply")).all()
        assert event.actor == SERVICE[0] and event.target == f"case:{case_id}"
        assert event.details == {"message_id": message_id, "outcome": "sent", "failure": ""}
        [out] = db.session.scalars(select(MailItem).where(MailItem.direction == "out")).all()
        assert out.in_reply_to == "sofa@example.org"  # stored without the angle brackets


def test_the_resident_wrote_again_meanwhile_the_reply_still_answers_the_mail_it_answered(app, smtp_sink):  # noqa: F811
    from web.extensions import db
    from web.mail_models import MailItem
    from web.models import Message

    client = app.test_client()
    login(client, *SERVICE)
    case_id, message_id = _unsent_reply(app, client)
    with app.app_context():  # a later mail of the resident in the same conversation
        first = db.session.scalars(select(MailItem).where(MailItem.direction == "in")).one()
        db.session.add(MailItem(municipality_id=first.municipality_id, direction="in", message_id="later@example.org",
                                references=["sofa@example.org"], conversation_id=first.conversation_id,
                                case_id=case_id, sender=first.sender, sender_hash=first.sender_hash,
                                subject="Re: Gamal sofa", action="route"))
        db.session.commit()
        assert db.session.get(Message, message_id).meta["mail_answers"] == first.id
    _mail_works(app, smtp_sink)
    _resend(client, case_id, message_id)
    [sent] = smtp_sink.messages
    assert sent["In-Reply-To"] == "<sofa@example.org>"


def test_still_no_mail_server_says_not_sent_again_and_why(app):
    client = app.test_client()
    login(client, *SERVICE)
    case_id, message_id = _unsent_reply(app, client)
    page = _resend(client, case_id, message_id, lang="en").get_data(as_text=True)
    assert "The e-mail with the reply was sent to the resident now." not in page
    assert "the e-mail to the resident was NOT sent: no mail server is set up for outgoing mail" in page
    assert "Not sent by e-mail" in page and "Send the e-mail again" in page
    from web.extensions import db
    from web.models import AuditEvent, Message

    with app.app_context():
        reply = db.session.get(Message, message_id)
        assert reply.meta["mail"] == "failed" and reply.meta["mail_failure"] == "no_smtp"
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "resend_mail_reply")).all()
        assert event.details["outcome"] == "failed" and event.details["failure"] == "no_smtp"


def test_another_departments_caseworker_cannot_send_it(app, smtp_sink):  # noqa: F811
    client = app.test_client()
    login(client, *SERVICE)
    case_id, message_id = _unsent_reply(app, client)
    _mail_works(app, smtp_sink)
    other = app.test_client()
    login(other, *HEALTH)
    page = other.get("/console/?lang=nb").get_data(as_text=True)
    response = other.post(f"/console/cases/{case_id}/messages/{message_id}/resend",
                          data={"csrf_token": csrf_token(page)})
    assert response.status_code == 403
    assert smtp_sink.messages == []
    # and without the form's CSRF token, the case's own department sends nothing either
    assert client.post(f"/console/cases/{case_id}/messages/{message_id}/resend").status_code == 400
    assert smtp_sink.messages == []


def test_two_clicks_at_once_send_one_email(app, smtp_sink):  # noqa: F811
    """The second request read the reply as not sent before the first one sent it: the database's
    claim, not what the request read, decides, and the second sends nothing."""
    import json

    from sqlalchemy import text

    from web.extensions import db
    from web.models import Case, Message, User
    from web.services.mail import resend_case_reply

    client = app.test_client()
    login(client, *SERVICE)
    case_id, message_id = _unsent_reply(app, client)
    _mail_works(app, smtp_sink)
    with app.app_context():
        stale = db.session.get(Message, message_id)
        assert stale.meta["mail"] == "failed"  # read by the second request
        with db.engine.begin() as other:  # meanwhile the first request sent it
            other.execute(text("UPDATE message SET meta = :meta WHERE id = :id"),
                          {"meta": json.dumps({**stale.meta, "mail": "sent"}), "id": message_id})
        user = db.session.scalars(select(User).where(User.email == SERVICE[0])).one()
        assert resend_case_reply(db.session.get(Case, case_id), stale, user) == "already_sent"
    assert smtp_sink.messages == []


def test_the_queue_counts_unsent_replies_and_lists_their_cases(app, smtp_sink):  # noqa: F811
    client = app.test_client()
    login(client, *SERVICE)
    case_id, message_id = _unsent_reply(app, client)
    page = client.get("/console/?lang=nb").get_data(as_text=True)  # the default list: open cases
    assert "Svar som ikke er sendt på e-post: 1." in page
    link = re.search(r'<a href="([^"]*status=unsent[^"]*)">Vis sakene</a>', page)
    assert link
    listed = client.get(link.group(1).replace("&amp;", "&") + "&lang=nb").get_data(as_text=True)
    assert f'/console/cases/{case_id}"' in listed
    admin = app.test_client()  # the admin who fixes the mail settings sees them too; another department not
    login(admin, "admin@fjordvik.example", "demo-admin")
    assert "Replies not sent by e-mail: 1." in admin.get("/console/?lang=en").get_data(as_text=True)
    health = app.test_client()
    login(health, *HEALTH)
    assert "Replies not sent by e-mail" not in health.get("/console/?lang=en").get_data(as_text=True)

    _mail_works(app, smtp_sink)
    _resend(client, case_id, message_id)
    page = client.get("/console/?lang=nb").get_data(as_text=True)
    assert "Svar som ikke er sendt på e-post" not in page
    assert f'/console/cases/{case_id}"' not in client.get("/console/?status=unsent&lang=nb").get_data(as_text=True)


def _claimed(app, message_id, minutes_ago: float | None):
    """The reply as a request left it after claiming it ("sending") ``minutes_ago`` (None: a claim without
    a stamp, as before claims had one) and then died before it recorded the outcome."""
    from datetime import timedelta

    from tinget.db import utcnow
    from web.extensions import db
    from web.models import Message
    from web.services.cases import claim_stamp

    with app.app_context():
        reply = db.session.get(Message, message_id)
        meta = {**reply.meta, "mail": "sending"}
        if minutes_ago is not None:
            meta["mail_claimed_at"] = claim_stamp(utcnow() - timedelta(minutes=minutes_ago))
        reply.meta = meta
        db.session.commit()


@pytest.mark.parametrize("minutes_ago", [30, None])
def test_a_claim_left_by_a_dead_request_may_not_have_been_sent_and_can_be_sent_again(app, smtp_sink, minutes_ago):  # noqa: F811
    client = app.test_client()
    login(client, *SERVICE)
    case_id, message_id = _unsent_reply(app, client)
    _claimed(app, message_id, minutes_ago)
    page = client.get(f"/console/cases/{case_id}?lang=en").get_data(as_text=True)
    assert "May not have been sent by e-mail" in page and "Sending it again may send it twice." in page
    assert f"/console/cases/{case_id}/messages/{message_id}/resend" in page
    nb = client.get(f"/console/cases/{case_id}?lang=nb").get_data(as_text=True)
    assert "Kanskje ikke sendt på e-post" in nb, "translated"
    assert "Svar som ikke er sendt på e-post: 1." in client.get("/console/?lang=nb").get_data(as_text=True)
    assert f'/console/cases/{case_id}"' in client.get("/console/?status=unsent&lang=nb").get_data(as_text=True)

    _mail_works(app, smtp_sink)
    page = _resend(client, case_id, message_id, lang="en").get_data(as_text=True)
    assert "The e-mail with the reply was sent to the resident now." in page
    assert "May not have been sent by e-mail" not in page
    assert len(smtp_sink.messages) == 1
    assert "Svar som ikke er sendt på e-post" not in client.get("/console/?lang=nb").get_data(as_text=True)
    from web.extensions import db
    from web.models import Message

    with app.app_context():
        meta = db.session.get(Message, message_id).meta
        assert meta["mail"] == "sent" and "mail_claimed_at" not in meta


def test_a_fresh_claim_is_being_sent_and_is_not_sent_twice(app, smtp_sink):  # noqa: F811
    client = app.test_client()
    login(client, *SERVICE)
    case_id, message_id = _unsent_reply(app, client)
    _claimed(app, message_id, 1)
    page = client.get(f"/console/cases/{case_id}?lang=en").get_data(as_text=True)
    assert "May not have been sent by e-mail" not in page and "Not sent by e-mail" not in page
    assert "Replies not sent by e-mail" not in client.get("/console/?lang=en").get_data(as_text=True)
    _mail_works(app, smtp_sink)
    page = _resend(client, case_id, message_id, lang="en").get_data(as_text=True)
    assert "it was not sent again" in page and smtp_sink.messages == []


class ProcessDied(BaseException):
    """The worker was killed (a deploy, the OOM killer) while it talked to the mail server: nothing after
    that line runs, no ``except Exception`` sees it."""


def test_a_first_send_that_never_finished_shows_as_maybe_not_sent_and_can_be_sent_again(app, smtp_sink, monkeypatch):  # noqa: F811
    """The first e-mail of a reply is claimed before the mail server is called, as a resend is: a reply
    whose first send died midway is neither silently "no e-mail due" nor sendable twice at once."""
    import json
    from datetime import timedelta

    from sqlalchemy import text

    from tinget.db import utcnow
    from web.extensions import db
    from web.services import cases as case_svc
    from web.services import mail as svc

    _mail_works(app, smtp_sink)
    client = app.test_client()
    login(client, *SERVICE)
    case_id = _mail_case(app)
    seen = []

    def dies(msg, smtp):
        with db.engine.connect() as other:  # what another request sees meanwhile: the reply is being sent
            seen.append(json.loads(other.execute(text(
                "SELECT meta FROM message WHERE sender = 'caseworker'")).scalar_one()).get("mail"))
        raise ProcessDied

    real_send = svc.send
    monkeypatch.setattr(svc, "send", dies)
    page = client.get(f"/console/cases/{case_id}?lang=en").get_data(as_text=True)
    with pytest.raises(ProcessDied):
        client.post(f"/console/cases/{case_id}/reply?lang=en",
                    data={"text": "Vi henter sofaen på tirsdag.", "csrf_token": csrf_token(page)})
    monkeypatch.setattr(svc, "send", real_send)
    assert seen == ["sending"]
    assert smtp_sink.messages == []

    # a minute later it may still be on its way: no warning, and a click does not send it a second time
    page = client.get(f"/console/cases/{case_id}?lang=en").get_data(as_text=True)
    assert "Vi henter sofaen på tirsdag." in page
    assert "May not have been sent by e-mail" not in page and "Not sent by e-mail" not in page
    assert not re.search(rf"/console/cases/{case_id}/messages/\d+/resend", page)

    # past the stale window the caseworker is told, the queue counts it, and it can be sent again
    later = utcnow() + case_svc.MAIL_CLAIM_STALE + timedelta(minutes=1)
    monkeypatch.setattr(case_svc, "utcnow", lambda: later)
    page = client.get(f"/console/cases/{case_id}?lang=en").get_data(as_text=True)
    assert "May not have been sent by e-mail" in page and "Sending it again may send it twice." in page
    message_id = int(re.search(rf"/console/cases/{case_id}/messages/(\d+)/resend", page).group(1))
    assert "Replies not sent by e-mail: 1." in client.get("/console/?lang=en").get_data(as_text=True)
    page = _resend(client, case_id, message_id, lang="en").get_data(as_text=True)
    assert "The e-mail with the reply was sent to the resident now." in page
    assert "May not have been sent by e-mail" not in page
    [sent] = smtp_sink.messages
    assert "Vi henter sofaen på tirsdag." in sent.get_content()
    assert sent["In-Reply-To"] == "<sofa@example.org>"
    assert "Replies not sent by e-mail" not in client.get("/console/?lang=en").get_data(as_text=True)
