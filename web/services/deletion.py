"""Deletion on request and by retention: a conversation and everything derived from it — app rows
(messages, cases, encrypted originals, drafts, notes), accepted replies and their suggester vectors, the
suggester's memory of the cases' rejected drafts,
the sender, subject and text of its e-mails, the questions kept by article requests, the training examples
taught from its messages (web.services.teach.forget_taught: the model forgets them at the next retraining),
and the Rasa tracker's events. Transparency records stay (labels and counts only) but lose their link.

Rasa 3.6's HTTP API can replace a tracker's events but not delete them from its SQL tracker store,
so the events are deleted in the tracker store's database (``RASA_TRACKER_URL``). When that
database cannot be reached, the deletion is recorded (audit event ``tracker_delete_pending``, the
conversation's random id only) and retried by every retention run until it succeeds."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import create_engine, select, text

from web.extensions import db
from web.models import AuditEvent, Case, Conversation

log = logging.getLogger(__name__)
PENDING = "tracker_delete_pending"


def delete_rasa_tracker(sender_id: str) -> bool:
    """Delete the tracker events of one conversation; False when the tracker store is unreachable."""
    url = current_app.config.get("RASA_TRACKER_URL")
    if not url:
        return True  # no tracker store configured: nothing is kept there
    try:
        engine = create_engine(url)
        try:
            with engine.begin() as conn:
                conn.execute(text("DELETE FROM events WHERE sender_id = :s"), {"s": sender_id})
        finally:
            engine.dispose()
        return True
    except Exception as exc:
        if "no such table" in str(exc).lower():
            return True  # the tracker store was never written to: nothing to delete
        log.warning("could not delete Rasa tracker events (%s); recorded for a later retry", type(exc).__name__)
        return False


def _tracker_or_pending(municipality_id: int | None, public_id: str) -> None:
    if not delete_rasa_tracker(public_id):
        db.session.add(AuditEvent(municipality_id=municipality_id, actor="deletion", action=PENDING,
                                  target=public_id))
        db.session.commit()


def retry_pending() -> int:
    """Retry tracker deletions that failed earlier; returns how many are still pending."""
    left = 0
    for event in db.session.scalars(select(AuditEvent).where(AuditEvent.action == PENDING)).all():
        if delete_rasa_tracker(event.target):
            event.action, event.target = "tracker_deleted_later", f"conversation:{event.target[:8]}…"
        else:
            left += 1
    db.session.commit()
    return left


def delete_conversation(conv: Conversation, actor: str) -> None:
    municipality_id, public_id = conv.municipality_id, conv.public_id
    case_ids = [c.id for c in conv.cases]
    if case_ids:
        from web.services.drafts import forget_case

        forget_case(case_ids, conv.municipality)
    from web.services.mail import forget_conversation
    from web.services.teach import forget_questions, forget_taught

    forget_conversation(conv.id)  # an e-mail conversation's sender address, subject and text
    forget_questions(municipality_id, [m.id for m in conv.messages])  # kept as text by article requests
    forget_taught(municipality_id, [m.id for m in conv.messages])  # training examples taught from them
    db.session.delete(conv)
    db.session.add(AuditEvent(municipality_id=municipality_id, actor=actor, action="delete_conversation",
                              target=f"conversation:{public_id[:8]}…", details={"cases": len(case_ids)}))
    db.session.commit()
    _tracker_or_pending(municipality_id, public_id)


class NotFound(LookupError):
    pass


def admin_find(municipality_id: int, *, conversation: str = "", case: str = "") -> Conversation:
    """The conversation an admin asked to delete, by its id or by a case number, within the admin's
    municipality. A case is part of its conversation, so a case number finds the whole conversation (the
    resident's words live in the conversation's messages too). Raises NotFound."""
    conv = None
    # an id copied with an invisible control character still finds its conversation, which the page shows
    # before anything is deleted: the public_id column's type cleans the compared value (tinget.db)
    conversation, case = (conversation or "").strip(), case_number(case or "")
    if conversation:
        conv = db.session.scalars(select(Conversation).where(Conversation.public_id == conversation,
                                                             Conversation.municipality_id == municipality_id)).first()
    elif case.isascii() and case.isdigit() and len(case) <= 18:  # "²" is a digit to isdigit(), int() refuses
        # it; a number past 64 bits overflowed the driver (a traceback in the CLI, a 500 on the admin page)
        found = db.session.get(Case, int(case))
        conv = found.conversation if found is not None and found.municipality_id == municipality_id else None
    if conv is None:
        raise NotFound(conversation or case)
    return conv


PREVIEW_CHARS = 200
# a case number as residents and staff pass it on: "12", "#12", "sak 12", "(case 12)", "[#12]" from the subject of
# the reply's e-mail ("Re: Svar fra Fjordvik kommune (sak 12)"), or a console link ".../console/cases/12"
_CASE_LINK = re.compile(r"/console/cases/(\d+)(?:[/?#].*)?\Z")
_DIGITS = re.compile(r"\d+")


def case_number(reference: str) -> str:
    """The case number in a reference as pasted: a console link's number, else the one group of digits in
    the text; "" when there is none or more than one (a date in a pasted subject: which would be meant?).
    Whatever it finds, the page shows the conversation before anything is deleted."""
    reference = reference.strip()
    link = _CASE_LINK.search(reference)
    if link:
        return link.group(1)
    groups = _DIGITS.findall(reference)  # "١٢" (any script's digits) is found here, and refused by admin_find
    return groups[0] if len(groups) == 1 else reference.lstrip("#")


def preview(conv: Conversation) -> dict:
    """What a deletion of ``conv`` takes away, for the admin to check before confirming: its cases
    (number and department), when it began, how many messages it has, and the first line of the message
    it was handed over with. For an e-mail conversation (``mail``) also its mails: how many came in and
    went out, the domain of the sender's address, the subject, the beginning of the text (the first line
    of a mail is its subject, and the text's own first line is mostly a greeting) and how many attachments.
    Redacted text only: message texts and subjects are stored redacted; the encrypted originals are never
    read here (the sender's address is decrypted to show its domain, as the set-aside review does)."""
    from web.services.cases import handed_over

    first = ""
    if conv.cases:
        messages = handed_over(conv.cases[0])
    else:  # a conversation the bot answered alone: its first resident message
        messages = [m for m in conv.messages if m.sender == "resident"]
    mail = _mail_preview(conv, messages)
    if mail is not None:
        first = _cut(" ".join(mail.pop("text").split()))
    elif messages:
        first = _cut(next((line.strip() for line in messages[0].text.splitlines() if line.strip()), ""))
    return {"conversation": conv.public_id, "channel": conv.channel, "created_at": conv.created_at,
            "messages": len(conv.messages),
            "cases": [{"id": c.id, "department": c.department, "status": c.status}
                      for c in sorted(conv.cases, key=lambda c: c.id)],
            "first_line": first, "mail": mail}


def _cut(line: str) -> str:
    return line[:PREVIEW_CHARS].rstrip() + "…" if len(line) > PREVIEW_CHARS else line


def _mail_preview(conv: Conversation, messages: list) -> dict | None:
    """The mails of an e-mail conversation (None for a chat): counts, sender domain, subject and text."""
    from web.mail_models import MailItem
    from web.services.mail_review import sender_domain

    rows = db.session.scalars(select(MailItem).where(MailItem.conversation_id == conv.id)
                              .order_by(MailItem.received_at, MailItem.id)).all()
    if conv.channel != "mail" and not rows:
        return None
    incoming = [r for r in rows if r.direction == "in"]
    subject, text = "", ""
    if messages:  # a mail's message holds its subject, a blank line and its text (web.services.mail)
        text, subject = messages[0].text, ((messages[0].meta or {}).get("subject") or "").strip()
        if subject and text.startswith(subject):
            text = text[len(subject):]
    elif incoming:
        subject, text = incoming[0].subject, incoming[0].text
    domain = next((d for d in map(sender_domain, incoming) if d), "") or _conversation_domain(conv)
    return {"received": len(incoming), "sent": len(rows) - len(incoming), "sender_domain": domain,
            "subject": _cut(" ".join(subject.split())), "text": text,
            "attachments": sum(len(r.attachments or []) for r in incoming)}


def _conversation_domain(conv: Conversation) -> str:
    """The domain of the conversation's own copy of the resident's address (kept for replies)."""
    if not conv.resident_email:
        return ""
    from privacy.crypto import decrypt

    try:
        return decrypt(conv.resident_email, current_app.config["ENCRYPTION_KEY"]).rpartition("@")[2][:100]
    except Exception:  # a key rotated since: the preview still shows the rest
        return ""


@dataclass
class Outcome:
    """What one step of a deletion on request came to, for the admin page or the command to show.

    ``state``: ``no_reference`` (neither a conversation id nor a case number given), ``not_found`` (nothing
    of that reference in the municipality, or not the conversation the preview showed: nothing deleted),
    ``preview`` (found; nothing deleted yet: ``preview`` says what would go, ``conversation`` is the id the
    confirmation must carry) or ``deleted`` (``counts``: messages and cases deleted)."""

    state: str
    conversation: str = ""
    preview: dict | None = None
    counts: dict = field(default_factory=dict)


def request_deletion(municipality_id: int, actor: str, *, conversation: str = "", case: str = "",
                     shown: str | None = None) -> Outcome:
    """Deletion on request in two steps, so a typo in a number never deletes someone else's conversation.

    Without ``shown`` it deletes nothing and returns the preview of what the reference finds (see
    :func:`admin_find`, :func:`preview`). With ``shown`` (the conversation id the preview showed) it
    deletes, but only when the reference still finds that conversation: a case number freed by a deletion
    can be given to a new case, and then nothing is deleted."""
    if not ((conversation or "").strip() or (case or "").strip()):
        return Outcome("no_reference")
    try:
        conv = admin_find(municipality_id, conversation=conversation, case=case)
    except NotFound:
        return Outcome("not_found")
    if shown is None:
        return Outcome("preview", conv.public_id, preview(conv))
    if conv.public_id != shown:
        return Outcome("not_found")
    counts = {"messages": len(conv.messages), "cases": len(conv.cases)}
    delete_conversation(conv, actor=actor)
    return Outcome("deleted", shown, counts=counts)
