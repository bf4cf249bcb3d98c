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


def confirm_form(html: str) -> dict:
    """The confirmation form's fields as the page holds them (hidden inputs)."""
    form = html[html.index('id="delete-preview"'):]
    return dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form))
