"""Creating, reading and deleting resident conversations (the widget's side)."""

from __future__ import annotations

import hmac

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from tinget.db import select_columns
from tinget.models import Municipality
from web.errors import ApiError
from web.extensions import db
from web.models import Case, Conversation, Message


def municipality_for(key: str | None) -> Municipality:
    """The tenant named by the widget's data-municipality (slug or widget key); the only one if none."""
    if key not in (None, "") and (not isinstance(key, str) or len(key) > 100 or "\x00" in key):
        raise ApiError(400, "invalid_municipality", "The field 'municipality' must be a short string.")
    if key:
        m = db.session.scalar(select(Municipality).where((Municipality.slug == key) | (Municipality.widget_key == key)))
        if m is None:
            raise ApiError(404, "unknown_municipality", f"No municipality '{key[:40]}'.")
        return m
    rows = db.session.scalars(select(Municipality).limit(2)).all()
    if len(rows) != 1:
        raise ApiError(400, "missing_municipality", "Say which municipality: the field 'municipality' is required.")
    return rows[0]


def start(municipality: Municipality, lang: str | None, fixed: bool = False, email: str | None = None) -> Conversation:
    conv = Conversation(municipality=municipality, lang=lang or municipality.default_lang, lang_fixed=fixed)
    if email:
        from web.services.chat_mail import store_address

        store_address(conv, email)
    db.session.add(conv)
    db.session.commit()
    return conv


_BY_PUBLIC_ID = select(Conversation).where(Conversation.public_id == bindparam("public_id"))
_BY_PUBLIC_ID_WITH_MUNICIPALITY = _BY_PUBLIC_ID.options(joinedload(Conversation.municipality))


def get(public_id: str, token: str | None, *, require_token: bool = True,
        with_municipality: bool = False) -> Conversation:
    """The conversation, if ``token`` is its own; ``with_municipality`` loads its municipality in the same
    query (a resident's message needs it; a poll does not)."""
    if len(public_id) > 64 or "\x00" in public_id:  # ids are 32 characters; NUL breaks Postgres queries
        raise ApiError(404, "unknown_conversation", "No such conversation (it may have been deleted).")
    conv = db.session.scalar(_BY_PUBLIC_ID_WITH_MUNICIPALITY if with_municipality else _BY_PUBLIC_ID,
                             {"public_id": public_id})
    if conv is None:
        raise ApiError(404, "unknown_conversation", "No such conversation (it may have been deleted).")
    if require_token and not (token and hmac.compare_digest(token.encode("utf-8", "replace"), conv.token.encode())):
        raise ApiError(403, "bad_token", "This conversation belongs to another browser.")
    return conv


def messages_after(conv: Conversation, after_id: int = 0) -> list[Message]:
    if "messages" in conv.__dict__:  # already loaded
        return [m for m in conv.messages if m.id > after_id and m.sender != "system"]
    # A poll (every few seconds per open widget) reads only the new rows, not the whole conversation.
    return list(db.session.scalars(select(Message).where(Message.conversation_id == conv.id, Message.id > after_id,
                                                         Message.sender != "system").order_by(Message.id)))


def serialize(msg: Message) -> dict:
    return {
        "id": msg.id,
        "sender": msg.sender,
        "text": msg.text,
        "html": msg.html,
        "lang": msg.lang,
        "created_at": msg.created_at.isoformat() + "Z",
        "source_url": msg.meta.get("source_url", ""),
        "source_label": msg.meta.get("source_label", ""),
        "kind": msg.meta.get("key", msg.route),
        "buttons": msg.meta.get("buttons", []),
        "author": msg.meta.get("author", ""),
    }


_CASE_STATES = select(Case.id, Case.status).where(Case.conversation_id == bindparam("conversation_id"))


def state_of(conv: Conversation) -> dict:
    if "cases" in conv.__dict__:  # already loaded
        case = conv.open_case or conv.latest_case
    else:  # the same rows in the same order as loading conv.cases, two columns only, no ORM objects
        rows = select_columns(db.session, Case, _CASE_STATES, {"conversation_id": conv.id}).all()
        case = next((r for r in rows if r.status != "closed"), None) or (rows[-1] if rows else None)
    return {"state": conv.state, "lang": conv.lang,
            "case": {"id": case.id, "status": case.status} if case else None}
