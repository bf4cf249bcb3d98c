"""Creating, reading and deleting resident conversations (the widget's side)."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import joinedload

from tinget.db import commit_keeping_objects, select_columns
from tinget.models import Municipality
from web.errors import ApiError
from web.extensions import db
from web.models import Case, Conversation, Message

_MUNICIPALITY_BY_KEY = select(Municipality).where((Municipality.slug == bindparam("key"))
                                                  | (Municipality.widget_key == bindparam("key")))


def municipality_for(key: str | None) -> Municipality:
    """The tenant named by the widget's data-municipality (slug or widget key); the only one if none."""
    if key not in (None, "") and (not isinstance(key, str) or len(key) > 100 or "\x00" in key):
        raise ApiError(400, "invalid_municipality", "The field 'municipality' must be a short string.")
    if key:
        m = db.session.scalar(_MUNICIPALITY_BY_KEY, {"key": key})
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
    commit_keeping_objects(db.session())  # the response reads the new row's values: no reload
    return conv


_BY_PUBLIC_ID = select(Conversation).where(Conversation.public_id == bindparam("public_id"))


def _latest(column, *where, first: bool = False):
    """One column of the conversation's first or latest row matching ``where``, as a correlated subquery."""
    table = column.class_
    order = table.id if first else table.id.desc()
    return (select(column).where(table.conversation_id == Conversation.id, *where).order_by(order).limit(1)
            .correlate(Conversation).scalar_subquery())


BOT_SENDERS = ("bot", "caseworker")  # whose latest message's meta (buttons, key) the next turn reads
# sender = 'bot' OR sender = 'caseworker': the same rows as sender IN (...), but with plain bound values. An
# IN of a Python tuple is an "expanding" parameter whose SQL is rendered again on every execution (about
# 35 microseconds of the lookup each resident message makes, measured in-process).
_FROM_BOT = or_(*(Message.sender == sender for sender in BOT_SENDERS))
# The case the widget shows: the first one not closed, else the latest (Conversation.open_case/latest_case).
_CASE_COLUMNS = (_latest(Case.id, Case.status != "closed", first=True),
                 _latest(Case.status, Case.status != "closed", first=True), _latest(Case.id), _latest(Case.status))
# A resident's message needs, besides the conversation: its municipality, the meta of the bot's latest
# message and the case the widget shows. All in one SELECT: three round trips to the database fewer.
_FOR_MESSAGE = (select(Conversation, _latest(Message.meta, _FROM_BOT), *_CASE_COLUMNS)
                .where(Conversation.public_id == bindparam("public_id"))
                .options(joinedload(Conversation.municipality)))
_CASE_OF = select(*_CASE_COLUMNS).select_from(Conversation).where(Conversation.id == bindparam("conversation_id"))
_LAST_BOT_META = (select(Message.meta)
                  .where(Message.conversation_id == bindparam("conversation_id"), _FROM_BOT)
                  .order_by(Message.id.desc()).limit(1))


def _case(open_id, open_status, latest_id, latest_status) -> dict | None:
    case_id, status = (open_id, open_status) if open_id is not None else (latest_id, latest_status)
    return {"id": case_id, "status": status} if case_id is not None else None


@dataclass(frozen=True)
class Known:
    """What was read with the conversation before the message was handled."""
    last_bot_meta: dict | None  # meta of the bot's or caseworker's latest message (None: none, or no meta)
    case: dict | None  # {"id", "status"} of the case the widget shows; None if there is none


def _check(token: str | None, require_token: bool, conv: Conversation | None) -> Conversation:
    if conv is None:
        raise ApiError(404, "unknown_conversation", "No such conversation (it may have been deleted).")
    if require_token and not (token and hmac.compare_digest(token.encode("utf-8", "replace"), conv.token.encode())):
        raise ApiError(403, "bad_token", "This conversation belongs to another browser.")
    return conv


def _valid_id(public_id: str) -> None:
    if len(public_id) > 64 or "\x00" in public_id:  # ids are 32 characters, and none we issued has a NUL
        raise ApiError(404, "unknown_conversation", "No such conversation (it may have been deleted).")


def get(public_id: str, token: str | None, *, require_token: bool = True) -> Conversation:
    """The conversation, if ``token`` is its own."""
    _valid_id(public_id)
    return _check(token, require_token, db.session.scalar(_BY_PUBLIC_ID, {"public_id": public_id}))


def get_for_message(public_id: str, token: str | None) -> tuple[Conversation, Known]:
    """The conversation (with its municipality), if ``token`` is its own, and what handling a resident's
    message reads of it before anything is written (:class:`Known`)."""
    _valid_id(public_id)
    row = db.session.execute(_FOR_MESSAGE, {"public_id": public_id}).first()
    conv = _check(token, True, row[0] if row else None)
    return conv, Known(row[1], _case(*row[2:]))


def last_bot_meta(conv: Conversation) -> dict | None:
    """The meta (buttons, key) of the bot's or caseworker's latest stored message, None if there is none:
    one column of one row, not the whole conversation, read without building an ORM object."""
    if conv.id is None:
        return None
    row = select_columns(db.session, Message, _LAST_BOT_META, {"conversation_id": conv.id}).first()
    return None if row is None else (row[0] or {})


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


def state_of(conv: Conversation, known: Known | None = None) -> dict:
    """The conversation's state for the widget; ``known`` when no case changed since it was read."""
    if known is not None:
        case = known.case
    elif "cases" in conv.__dict__:  # already loaded
        row = conv.open_case or conv.latest_case
        case = {"id": row.id, "status": row.status} if row else None
    else:  # the same choice as a resident's message reads it, two columns of one row, no ORM objects
        case = _case(*select_columns(db.session, Case, _CASE_OF, {"conversation_id": conv.id}).one())
    return {"state": conv.state, "lang": conv.lang, "case": case}
