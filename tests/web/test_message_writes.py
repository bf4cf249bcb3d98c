"""A resident's message is written once: each row inserted complete at the one commit (no INSERT then
UPDATE, no flush while the replies are built), everything the turn reads is read in one statement with
the conversation (only the bot's last message of it, however long the conversation), and nothing is read
again after the commit to build the response."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from tests.conftest import Resident, make_app
from tests.fake_rasa import fake_rasa

ANSWER = [{"recipient_id": "x", "custom": {"tinget": {
    "type": "answer", "intent": "library_hours", "confidence": 0.93, "title": "Biblioteket",
    "text": "Biblioteket er åpent 10-16 på lørdager.", "source_url": "https://fjordvik.example/bibliotek",
    "buttons": [{"title": "Og på søndag?", "payload": "/library_hours"}]}}}]


@pytest.fixture
def rasa_url():
    with fake_rasa(lambda body: ANSWER) as (url, _):
        yield url


def test_one_insert_per_row_and_no_reads_after_the_commit(tmp_path, rasa_url):
    app = make_app(tmp_path, RASA_URL=rasa_url, RASA_TIMEOUT=10)
    resident = Resident(app.test_client())
    for _ in range(8):  # a longer conversation than most
        assert resident.say("Når er biblioteket åpent?").status_code == 201
    statements: list[str] = []
    with app.app_context():
        from web.extensions import db

        engine = db.engine

    def record(conn, cursor, statement, *args):
        statements.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        resp = resident.say("Når er biblioteket åpent på lørdag?")
    finally:
        event.remove(engine, "before_cursor_execute", record)
    data = resp.get_json()
    assert resp.status_code == 201 and data["route"] == "answer" and data["state"] == "bot"
    assert "10-16" in data["replies"][0]["text"] and data["replies"][0]["buttons"]
    assert data["message"]["id"] and data["replies"][0]["id"] > data["message"]["id"]
    assert data["message"]["created_at"].endswith("Z")

    writes = [s for s in statements if s.split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert sorted(s.split("(")[0].split(" SET")[0] for s in writes) == [
        "INSERT INTO message ", "INSERT INTO message ", "INSERT INTO transparency_record ",
        "UPDATE conversation"], writes
    reads = [s for s in statements if s.startswith("SELECT")]
    # One read: the conversation, its municipality, the bot's last message's meta and the case the widget
    # shows, in one statement; nothing is reloaded after the commit.
    assert len(reads) == 1 and reads[0].startswith("SELECT conversation."), reads
    assert "FROM message" in reads[0] and 'FROM "case"' in reads[0] and "JOIN municipality" in reads[0]

    # a pressed button is still recognised from that one message
    assert resident.say("Og på søndag?", payload="/library_hours").status_code == 201
    with app.app_context():
        from web.models import TransparencyRecord

        last = db.session.query(TransparencyRecord).order_by(TransparencyRecord.id.desc()).first()
        assert last.lang_source == "button"
        db.session.remove()
        db.engine.dispose()


def test_an_answered_turn_writes_complete_rows(tmp_path, rasa_url):
    """Answered turns are inserted with prepared statements (web/services/turn_rows.py), not the ORM:
    the stored rows must be what the response showed and what the ORM would have written — every
    column default applied, the record pointing at the resident's message, the conversation's language
    and last activity saved — and a later poll must return the same messages."""
    app = make_app(tmp_path, RASA_URL=rasa_url, RASA_TIMEOUT=10)
    resident = Resident(app.test_client(), lang="nb")
    resp = resident.say("Hej, när öppnar biblioteket på lördag? Ring mig på 070-123 45 67.")
    data = resp.get_json()
    assert resp.status_code == 201 and data["route"] == "answer"
    with app.app_context():
        from web.extensions import db
        from web.models import Conversation, Message, TransparencyRecord

        conv = db.session.query(Conversation).filter_by(public_id=resident.id).one()
        rows = db.session.query(Message).filter_by(conversation_id=conv.id).order_by(Message.id).all()
        record = db.session.query(TransparencyRecord).filter_by(conversation_id=conv.id).one()
        assert [m.id for m in rows] == [data["message"]["id"], data["replies"][0]["id"]]
        said, answer = rows
        assert said.sender == "resident" and "070-123 45 67" not in said.text and "<PHONE>" in said.text
        assert said.route == "answer" and said.intent == "library_hours" and said.lang == "sv"
        assert answer.sender == "bot" and answer.html and answer.meta["source_url"] == "https://fjordvik.example/bibliotek"
        for row in (said, answer, record):  # no column the ORM would have filled is left empty
            for column in row.__table__.columns:
                if column.default is not None:
                    assert getattr(row, column.key) is not None, f"{row.__tablename__}.{column.key}"
        assert record.message_id == said.id and record.route == "answer" and record.redactions == {"PHONE": 1}
        assert record.lang == "sv" and record.kb_version and record.created_at == said.created_at
        assert conv.lang == "sv" and conv.last_activity >= said.created_at
        db.session.remove()
        db.engine.dispose()
    polled = resident.messages().get_json()["messages"]
    assert [m["id"] for m in polled] == [data["message"]["id"], data["replies"][0]["id"]]
    assert polled[1]["text"] == data["replies"][0]["text"]


@pytest.mark.parametrize("cases", [
    [],  # never handed over
    ["closed"],  # an earlier case, closed: the widget still shows it
    ["closed", "assigned"],  # the first case not closed wins
    ["answered", "closed"],
])
def test_the_state_read_with_the_conversation_is_the_state_after_the_turn(tmp_path, rasa_url, cases):
    """An answered turn touches no case, so the case read with the conversation before Rasa was asked is
    what the response shows; it must equal what reading the cases afterwards gives."""
    app = make_app(tmp_path, RASA_URL=rasa_url, RASA_TIMEOUT=10)
    resident = Resident(app.test_client())
    assert resident.say("Hei").status_code == 201
    with app.app_context():
        from web.extensions import db
        from web.models import Case, Conversation

        conv = db.session.query(Conversation).filter_by(public_id=resident.id).one()
        for status in cases:
            db.session.add(Case(municipality_id=conv.municipality_id, conversation_id=conv.id,
                                department="culture", status=status))
        db.session.commit()
    data = resident.say("Når er biblioteket åpent?").get_json()
    assert data["route"] == "answer" and data["state"] == "bot"
    with app.app_context():
        from web.services import conversations

        conv = db.session.query(Conversation).filter_by(public_id=resident.id).one()
        expected = conversations.state_of(conv)
        db.session.remove()
        db.engine.dispose()
    assert {k: data[k] for k in ("state", "lang", "case")} == expected
    assert (data["case"] or {}).get("status") == next((c for c in cases if c != "closed"), cases[-1] if cases else None)
