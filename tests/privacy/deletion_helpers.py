"""Helpers the deletion tests share (the admin page's two steps, a resident's conversation with a case)."""

from __future__ import annotations

import random
import re

from sqlalchemy import create_engine, select, text

from tests.privacy import synthetic as syn

FNR = syn.no_fnr(random.Random(17))


def conversation_with_case(app, resident, tracker_url=None):
    person = resident()
    assert person.say(f"Jeg heter Kari Nordmann, fnr {FNR}. Når får jeg svar på søknaden?").status_code in (200, 201)
    if tracker_url:  # what Rasa would have stored for this sender
        engine = create_engine(tracker_url)
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO events (sender_id, data) VALUES (:s, '{}'), (:s, '{}')"), {"s": person.id})
        engine.dispose()
    from web.extensions import db
    from web.models import Case, Conversation

    with app.app_context():
        conv = db.session.scalars(select(Conversation).where(Conversation.public_id == person.id)).one()
        case = db.session.scalars(select(Case).where(Case.conversation_id == conv.id)).one()
        return person, case.id


def mail_conversation(app) -> tuple[int, str, str]:
    """An e-mail conversation with a case, as the mail intake stores it (redacted subject and text; the
    sender's address encrypted): two mails in (one with an attachment), one reply out. Returns the case
    number, the subject and the sender's address."""
    from privacy.crypto import encrypt
    from web.extensions import db
    from web.mail_models import MailItem
    from web.models import Case, Conversation, Message
    from web.services import mail as mail_svc

    subject, body = "Søknad om barnehageplass", "Hei,\n\njeg heter <PERSON> og lurer på hvor langt søknaden har kommet."
    address = "kari.nordmann@example.org"
    with app.app_context():
        conv = Conversation(municipality_id=1, channel="mail", state="handoff",
                            resident_email=encrypt(address, mail_svc._key()).decode())
        conv.messages.append(Message(sender="resident", text=f"{subject}\n\n{body}", route="route",
                                     meta={"channel": "mail", "subject": subject}))
        case = Case(municipality_id=1, department="education", reason="personal_case")
        conv.cases.append(case)
        db.session.add(conv)
        db.session.flush()
        attachments = [{"name": "vedlegg.pdf", "type": "application/pdf", "size": 1000, "inline": False}]
        for direction, mid, files in (("in", "<q1@example.org>", attachments), ("in", "<q2@example.org>", []),
                                      ("out", "<a@fjordvik.example>", [])):
            db.session.add(MailItem(municipality_id=1, direction=direction, message_id=mid, conversation_id=conv.id,
                                    case_id=case.id, sender=encrypt(address, mail_svc._key()),
                                    sender_hash=mail_svc.sender_hash(address), subject=subject, text=body,
                                    attachments=files, action="route"))
        db.session.commit()
        return case.id, subject, address


def confirm_form(html: str) -> dict:
    """The confirmation form's fields as the page holds them (hidden inputs)."""
    form = html[html.index('id="delete-preview"'):]
    return dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form))
