"""Every text column cleans what is written to it (tinget.db.CleanString/CleanText): a NUL, a C1 control
or a lone surrogate written through the ORM or a Core statement is stored without it, and a query that
compares a column with such a value runs (on Postgres a NUL in a query was a 500). SQLite here, through
the real app factory on a temporary database; the same on Postgres in tests/scale."""

from __future__ import annotations

import pytest
from sqlalchemy import JSON, Enum, String, TypeDecorator, insert, select, text, update

DIRTY = "Ring\x00 tilbake\x85 i\ud800 morgen\x0bkl. 9\x1b"
CLEANED = "Ring tilbake i morgen\nkl. 9"


def _all_models():
    import kb.models  # noqa: F401
    import tinget.models  # noqa: F401
    import web.mail_models  # noqa: F401
    import web.models  # noqa: F401
    from tinget.db import Base

    return Base


def test_every_string_and_text_column_cleans_its_values():
    """A new column declared with plain String/Text would let a NUL through to Postgres again."""
    from tinget.db import CleanString

    base = _all_models()
    text_columns = [c for t in base.metadata.tables.values() for c in t.columns
                    if isinstance(c.type.impl if isinstance(c.type, TypeDecorator) else c.type, String)
                    and not isinstance(c.type, Enum)]  # an Enum's values are the code's own
    assert len(text_columns) > 60  # the check sees the models (all four modules)
    plain = sorted(f"{c.table.name}.{c.name}: {c.type!r}" for c in text_columns if not isinstance(c.type, CleanString))
    assert plain == [], "use tinget.db.CleanString/CleanText for text columns"
    json_columns = [c for t in base.metadata.tables.values() for c in t.columns
                    if isinstance(c.type.impl if isinstance(c.type, TypeDecorator) else c.type, JSON)]
    assert len(json_columns) > 10
    from tinget.db import CleanJSON

    plain = sorted(f"{c.table.name}.{c.name}" for c in json_columns if not isinstance(c.type, CleanJSON))
    assert plain == [], "use tinget.db.CleanJSON for JSON columns"
    # a bare ``Mapped[str]`` (no type given) gets the cleaning type too
    assert isinstance(base.registry.type_annotation_map[str], CleanString)


def _user(session):
    from web.models import User

    return User(municipality_id=1, email="ola@fjordvik.example", name=DIRTY)


def _conversation_message(session):
    from web.models import Conversation, Message

    conv = Conversation(municipality_id=1)
    return Message(conversation=conv, sender="resident", text=DIRTY)


def _article(session):
    from kb.models import Article

    return Article(municipality_id=1, intent="library", lang="nb", title="Bibliotek", body=DIRTY)


def _mail_item(session):
    from web.mail_models import MailItem

    return MailItem(municipality_id=1, message_id="<x@example.no>", sender=b"", subject=DIRTY)


def _department(session):
    from tinget.models import Department

    return Department(municipality_id=1, key="dirty", phone=DIRTY)


def _stored(session, table: str, column: str, key: int) -> str:
    """The value as the database holds it (plain SQL, no ORM type in between)."""
    return session.execute(text(f'SELECT "{column}" FROM "{table}" WHERE id = :id'), {"id": key}).scalar()  # noqa: S608


ROWS = [(_user, "name", "user.name"), (_conversation_message, "text", "message.text"), (_article, "body", "kb_article.body"),
        (_mail_item, "subject", "mail_item.subject"), (_department, "phone", "department.phone")]


@pytest.mark.parametrize(("make", "column"), [r[:2] for r in ROWS], ids=[r[2] for r in ROWS])
def test_orm_writes_are_stored_cleaned(app, make, column):
    from web.extensions import db

    with app.app_context():
        row = make(db.session)
        db.session.add(row)
        db.session.commit()
        table, key = row.__table__.name, row.id
        assert _stored(db.session, table, column, key) == CLEANED
        db.session.expire_all()
        assert getattr(db.session.get(type(row), key), column) == CLEANED
        setattr(row, column, "igjen\x00")  # an UPDATE through the unit of work
        db.session.commit()
        assert _stored(db.session, table, column, key) == "igjen"


def test_core_insert_and_update_are_stored_cleaned(app):
    """The resident's turn is written with Core statements (web/services/turn_rows.py), not the ORM."""
    from web.extensions import db
    from web.models import AuditEvent

    table = AuditEvent.__table__
    with app.app_context():
        key = db.session.execute(insert(table).values(municipality_id=1, actor="x\x00", action="probe",
                                                      target=DIRTY, details={})).inserted_primary_key[0]
        assert db.session.execute(select(table.c.actor, table.c.target).where(table.c.id == key)).one() == \
            ("x", CLEANED)
        db.session.execute(update(table).where(table.c.id == key).values(target="ny\x00"))
        assert db.session.execute(select(table.c.target).where(table.c.id == key)).scalar() == "ny"
        db.session.rollback()


def test_queries_with_control_characters_in_their_parameters(app):
    """A value compared with a text column is cleaned as well: ``==``, ``in_``, ``ilike`` and ``contains``
    find what the cleaned value finds (on SQLite an uncleaned '%klage\\x00%' would match nothing)."""
    from web.extensions import db
    from web.models import Conversation, Message

    with app.app_context():
        msg = _conversation_message(db.session)
        msg.text = "Jeg vil klage på vedtaket"
        db.session.add(msg)
        db.session.commit()
        public_id = msg.conversation.public_id
        found = [
            db.session.scalar(select(Conversation.id).where(Conversation.public_id == f"{public_id[:5]}\x00{public_id[5:]}")),
            db.session.scalar(select(Conversation.id).where(Conversation.public_id.in_([public_id + "\x1b", "x"]))),
            db.session.scalar(select(Message.conversation_id).where(Message.text.ilike("%KLA\x00GE%"))),
            db.session.scalar(select(Message.conversation_id).where(Message.text.contains("klage\ud800 på"))),
        ]
        assert found == [msg.conversation_id] * 4
        assert db.session.scalar(select(Message.id).where(Message.text == "\x00")) is None


def test_json_documents_are_stored_cleaned(app):
    """Department names and signatures, audit details: every string in a JSON document, keys included,
    is stored without control characters; numbers, booleans and nesting are kept."""
    import json

    from tinget.models import Department
    from web.extensions import db

    with app.app_context():
        dept = Department(municipality_id=1, key="jsonprobe", names={"nb": DIRTY, "x\x00": ["a\x1b", 3, True, None]},
                          signatures={"nb": {"lines": ["Hilsen\x00", 2.5]}})
        db.session.add(dept)
        db.session.commit()
        def stored(column):  # SQLite gives the JSON text, psycopg2 the parsed document
            value = _stored(db.session, "department", column, dept.id)
            return json.loads(value) if isinstance(value, str) else value

        assert stored("names") == {"nb": CLEANED, "x": ["a", 3, True, None]}
        assert stored("signatures") == {"nb": {"lines": ["Hilsen", 2.5]}}
        dept.names = {**dept.names, "sv": "Bibliotek\x00et"}  # an UPDATE through the unit of work
        db.session.commit()
        assert stored("names")["sv"] == "Biblioteket"
