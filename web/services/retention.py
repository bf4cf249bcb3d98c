"""Retention: conversations without a case are deleted after ``RETENTION_DAYS_WITHOUT_CASE`` days of
inactivity; conversations whose cases are all closed, ``RETENTION_DAYS_CLOSED_CASE`` days after the
last closing. Deletion covers app rows, case originals and Rasa tracker events. Transparency records
stay (they hold no personal data) but lose their link to the conversation.

Accepted replies (the suggester's memory: a caseworker's reply with the resident's redacted question)
outlive their conversation, so that the next similar case gets the reply as a draft. Redacted is not
anonymous (a question can still describe a person's situation), so they have their own period,
``RETENTION_DAYS_LEARNED`` days after they were learned (0 keeps them), and leave the DB and the
suggester's index together. Rejected drafts are remembered as the question's vector (no case link to
delete them by): they go after the same period."""

from __future__ import annotations

from datetime import UTC, timedelta

from flask import current_app
from sqlalchemy import select

from tinget.db import utcnow
from web.extensions import db
from web.models import AcceptedReply, AuditEvent, Case, Conversation
from web.services.deletion import PENDING, delete_rasa_tracker, retry_pending


def expired(now=None) -> list[Conversation]:
    now = now or utcnow()
    cfg = current_app.config
    idle_cutoff = now - timedelta(days=cfg["RETENTION_DAYS_WITHOUT_CASE"])
    closed_cutoff = now - timedelta(days=cfg["RETENTION_DAYS_CLOSED_CASE"])
    out = []
    for conv in db.session.scalars(select(Conversation).where(Conversation.last_activity < idle_cutoff)):
        if not conv.cases:
            out.append(conv)
        elif all(c.status == "closed" and c.closed_at and c.closed_at < closed_cutoff for c in conv.cases):
            out.append(conv)
    return out


def run(now=None) -> dict[str, int]:
    """Delete what retention says is due. Returns counts for the log (no personal data)."""
    victims = expired(now)
    counts = {"conversations": len(victims), "cases": sum(len(c.cases) for c in victims)}
    senders = [c.public_id for c in victims]
    from web.services.teach import forget_questions, forget_taught

    # one event per municipality, in its own audit log (its data protection officer reads that one, and a
    # region's municipalities do not read each other's counts)
    for municipality_id in sorted({c.municipality_id for c in victims}):
        own = [c for c in victims if c.municipality_id == municipality_id]
        db.session.add(AuditEvent(municipality_id=municipality_id, actor="retention", action="retention_delete",
                                  details={"conversations": len(own), "cases": sum(len(c.cases) for c in own)}))
    for conv in victims:
        forget_questions(conv.municipality_id, [m.id for m in conv.messages])  # kept as text by article requests
        forget_taught(conv.municipality_id, [m.id for m in conv.messages])  # training examples taught from them
        db.session.delete(conv)
    db.session.commit()
    for sender in senders:
        if not delete_rasa_tracker(sender):
            db.session.add(AuditEvent(municipality_id=None, actor="retention", action=PENDING, target=sender))
            db.session.commit()
    counts["tracker_pending"] = retry_pending()
    counts["learned_replies"] = forget_learned(now)
    from web.services.mail import purge

    counts["mail_items"] = purge(now)
    from web.services import held

    counts["held_replies"] = held.purge(now)
    return counts


def forget_learned(now=None) -> int:
    """Delete accepted replies learned more than ``RETENTION_DAYS_LEARNED`` days ago, from the DB and from
    each municipality's suggester index, and the rejections remembered before then. Returns how many
    replies."""
    days = current_app.config["RETENTION_DAYS_LEARNED"]
    if days <= 0:
        return 0
    cutoff = (now or utcnow()) - timedelta(days=days)
    from tinget.models import Municipality
    from web.services.drafts import forget_replies, service

    if current_app.config.get("SUGGESTER_ENABLED"):
        # rejected drafts are remembered as the question's vector (no case link): same period
        before = cutoff.replace(tzinfo=UTC).timestamp()
        for municipality in db.session.scalars(select(Municipality)):
            svc = service(municipality, build_if_missing=False)
            if svc is not None:
                svc.forget_rejections(before=before)
    rows = db.session.scalars(select(AcceptedReply).where(AcceptedReply.created_at < cutoff)).all()
    if not rows:
        return 0
    for municipality_id in sorted({r.municipality_id for r in rows}):
        forget_replies([r for r in rows if r.municipality_id == municipality_id],
                       db.session.get(Municipality, municipality_id))
    db.session.add(AuditEvent(municipality_id=None, actor="retention", action="retention_delete_learned",
                              details={"accepted_replies": len(rows)}))
    db.session.commit()
    return len(rows)


def delete_case(case: Case, actor: str) -> None:
    """An admin's deletion of a case deletes its whole conversation (the case is part of it)."""
    from web.services.deletion import delete_conversation

    delete_conversation(case.conversation, actor=actor)
