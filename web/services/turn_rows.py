"""Writing an answered resident turn: the resident's (redacted) message, the bot's replies, the transparency
record and the conversation's last activity, as four prepared statements in one transaction.

The ORM's unit of work (dependency sort, per-object state, relationship sync) cost about 1 ms of the
~4 ms the app spends on a resident's message; these rows are plain inserts whose order is known. The
objects stay transient ORM instances (ids, defaults and timestamps filled in here) so the response is
built from them as before. Turns that open or touch a case still go through the ORM session (web/services
/inquiry.py decides): only the common path is written here.
"""

from __future__ import annotations

from sqlalchemy import bindparam, insert, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import instance_state, set_committed_value

from tinget.db import utcnow
from web.models import Conversation, Message, TransparencyRecord

_INSERT_MESSAGE = insert(Message.__table__)
_INSERT_RECORD = insert(TransparencyRecord.__table__)
_UPDATE_CONVERSATION = (update(Conversation.__table__)
                        .where(Conversation.__table__.c.id == bindparam("conversation_id"))
                        .values(lang=bindparam("lang"), last_activity=bindparam("last_activity")))


def _row(obj, table) -> dict:
    """The object's column values for an INSERT, column defaults applied as the ORM would (and set on the
    transient object too, which the response reads)."""
    row = {}
    for column in table.columns:
        if column.primary_key:
            continue
        value = getattr(obj, column.key)
        if value is None and column.default is not None:
            value = column.default.arg if column.default.is_scalar else column.default.arg(None)
            setattr(obj, column.key, value)
        row[column.key] = value
    return row


def write_turn(session: Session, conv: Conversation, resident: Message, replies: list[Message],
               record: TransparencyRecord) -> None:
    """Insert the turn's rows on the session's connection (its transaction; the caller commits). The
    conversation's language and last activity are written here and marked as saved on ``conv``, so the
    session does not write them again; other changes to ``conv`` are left to the session."""
    now = utcnow()
    conn = session.connection(bind_arguments={"mapper": Message})
    messages = Message.__table__
    for msg in (resident, *replies):
        msg.conversation_id = conv.id
        if msg.created_at is None:
            msg.created_at = now
        msg.id = conn.execute(_INSERT_MESSAGE, _row(msg, messages)).inserted_primary_key[0]
    record.conversation_id, record.message_id = conv.id, resident.id
    if record.created_at is None:
        record.created_at = now
    records = TransparencyRecord.__table__
    record.id = conn.execute(_INSERT_RECORD, _row(record, records)).inserted_primary_key[0]
    conn.execute(_UPDATE_CONVERSATION, {"conversation_id": conv.id, "lang": conv.lang, "last_activity": now})
    set_committed_value(conv, "lang", conv.lang)
    set_committed_value(conv, "last_activity", now)
    state = instance_state(conv)
    if not state.committed_state:
        # Nothing else changed on conv: clear its "modified" flag too, or the commit's flush runs a whole
        # unit of work (~0.2 ms) to find nothing to write. (SQLAlchemy does the same after a flush.)
        state._commit_all(state.dict, session.identity_map)
