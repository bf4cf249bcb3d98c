"""Deletion on request: a conversation and everything derived from it (app rows, case originals,
the Rasa tracker's events)."""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import create_engine, text

from web.extensions import db
from web.models import AuditEvent, Conversation

log = logging.getLogger(__name__)


def delete_rasa_tracker(sender_id: str) -> None:
    url = current_app.config.get("RASA_TRACKER_URL")
    if not url:
        return
    try:
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM events WHERE sender_id = :s"), {"s": sender_id})
        engine.dispose()
    except Exception:
        log.exception("could not delete Rasa tracker events for a conversation")


def delete_conversation(conv: Conversation, actor: str) -> None:
    municipality_id, public_id = conv.municipality_id, conv.public_id
    case_ids = [c.id for c in conv.cases]
    if case_ids:
        from web.services.drafts import forget_case

        forget_case(case_ids, conv.municipality)
    db.session.delete(conv)
    db.session.add(AuditEvent(municipality_id=municipality_id, actor=actor, action="delete_conversation",
                              target=f"conversation:{public_id[:8]}…"))
    db.session.commit()
    delete_rasa_tracker(public_id)
