"""Retention: conversations without a case are deleted after ``RETENTION_DAYS_WITHOUT_CASE`` days of
inactivity; conversations whose cases are all closed, ``RETENTION_DAYS_CLOSED_CASE`` days after the
last closing. Deletion covers app rows, case originals and Rasa tracker events. Transparency records
stay (they hold no personal data) but lose their link to the conversation."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from tinget.db import utcnow
from web.extensions import db
from web.models import AuditEvent, Case, Conversation
from web.services.deletion import delete_rasa_tracker


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
    for conv in victims:
        db.session.delete(conv)
    if victims:
        db.session.add(AuditEvent(municipality_id=None, actor="retention", action="retention_delete",
                                  details=counts))
    db.session.commit()
    for sender in senders:
        delete_rasa_tracker(sender)
    from web.services.mail import purge

    counts["mail_items"] = purge(now)
    return counts


def delete_case(case: Case, actor: str) -> None:
    """An admin's deletion of a case deletes its whole conversation (the case is part of it)."""
    from web.services.deletion import delete_conversation

    delete_conversation(case.conversation, actor=actor)
