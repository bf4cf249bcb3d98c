"""Retention with configurable periods: conversations without a case after N days of inactivity,
conversations whose cases are all closed M days after closing; `tinget retention run` and the
`make run` supervisor's scheduled run."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import make_app


@pytest.fixture
def short_app(tmp_path):
    app = make_app(tmp_path, RETENTION_DAYS_WITHOUT_CASE=2, RETENTION_DAYS_CLOSED_CASE=5)
    yield app
    with app.app_context():
        from web.extensions import db

        db.session.remove()
        db.engine.dispose()


def _age(app, public_id, days, close_case_days=None):
    from tinget.db import utcnow
    from web.extensions import db
    from web.models import Conversation

    with app.app_context():
        conv = db.session.scalars(select(Conversation).where(Conversation.public_id == public_id)).one()
        conv.last_activity = utcnow() - timedelta(days=days)
        for case in conv.cases:
            if close_case_days is not None:
                case.status, case.closed_at = "closed", utcnow() - timedelta(days=close_case_days)
        db.session.commit()


def _alive(app) -> set[str]:
    from web.extensions import db
    from web.models import Conversation

    with app.app_context():
        return set(db.session.scalars(select(Conversation.public_id)))


def _conversation(client, with_case: bool) -> str:
    from tests.conftest import Resident

    person = Resident(client)
    if with_case:  # Rasa is dead in tests: any message becomes a case
        assert person.say("Jeg vil klage på et vedtak").status_code in (200, 201)
    return person.id


def test_periods_come_from_configuration(short_app):
    from web.services import retention

    client = short_app.test_client()
    fresh = _conversation(client, with_case=False)
    idle = _conversation(client, with_case=False)
    open_case = _conversation(client, with_case=True)
    closed_recently = _conversation(client, with_case=True)
    closed_long_ago = _conversation(client, with_case=True)
    _age(short_app, fresh, 1)
    _age(short_app, idle, 3)                                # > 2 days, no case: goes
    _age(short_app, open_case, 30)                          # open case: stays whatever its age
    _age(short_app, closed_recently, 30, close_case_days=4)  # closed < 5 days ago: stays
    _age(short_app, closed_long_ago, 30, close_case_days=6)  # closed > 5 days ago: goes
    with short_app.app_context():
        counts = retention.run()
    assert counts["conversations"] == 2 and counts["cases"] == 1
    assert _alive(short_app) == {fresh, open_case, closed_recently}


def test_cli_and_scheduled_run(short_app, monkeypatch):
    client = short_app.test_client()
    idle = _conversation(client, with_case=False)
    _age(short_app, idle, 10)
    from web.cli import retention_run

    result = short_app.test_cli_runner().invoke(retention_run)
    assert result.exit_code == 0 and "Deleted 1 conversations" in result.output
    assert idle not in _alive(short_app)

    from web import stack

    again = _conversation(client, with_case=False)
    _age(short_app, again, 10)
    monkeypatch.setattr(stack, "wait_until_ready", lambda url, echo=print: True)
    monkeypatch.setattr(stack, "_index_if_missing", lambda echo: None)
    lines = []
    with short_app.app_context():
        stack.supervise("http://127.0.0.1:1", echo=lines.append, interval_hours=0, rounds=2)
    assert sum(line.startswith("retention:") for line in lines) == 2
    assert again not in _alive(short_app)


def test_procfile_runs_the_supervisor():
    from tests.conftest import ROOT

    procfile = (ROOT / "Procfile").read_text()
    assert "tinget supervise" in procfile


def test_learned_replies_leave_the_db_and_the_suggester_index_after_their_period(tmp_path, monkeypatch):
    """An accepted reply outlives its conversation (the suggester learns from it), but not forever: after
    RETENTION_DAYS_LEARNED days it is gone from the DB and from the real FAISS index, so the next similar
    case no longer gets it as a draft; a younger one stays. 0 keeps them."""
    from sqlalchemy import func

    from tinget.db import utcnow
    from tinget.models import Municipality
    from web.extensions import db
    from web.models import AcceptedReply
    from web.services import drafts, retention

    app = make_app(tmp_path, SUGGESTER_ENABLED=True, SUGGESTER_INDEX_DIR=str(tmp_path / "index"),
                   RETENTION_DAYS_LEARNED=30)
    with app.app_context():
        from kb.models import Article

        for article in db.session.scalars(select(Article)):  # a small KB keeps the index build short
            if article.lang != "nb" or article.intent not in ("library", "waste_collection"):
                article.status = "draft"
        municipality = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
        old = AcceptedReply(municipality_id=municipality.id, question="Kan jeg ta med hunden på biblioteket?",
                            reply="Hunder er velkomne i lesesalen i første etasje.", lang="nb",
                            created_at=utcnow() - timedelta(days=40))
        young = AcceptedReply(municipality_id=municipality.id, question="Kan jeg låne en symaskin på biblioteket?",
                              reply="Ja, symaskiner lånes ut i to uker.", lang="nb", created_at=utcnow() - timedelta(days=3))
        db.session.add_all([old, young])
        db.session.commit()
        old_id, young_id = f"reply:{old.id}", f"reply:{young.id}"
        drafts.reindex(municipality)
        svc = drafts.service(municipality, build_if_missing=False)
        assert old_id in svc.docs and young_id in svc.docs
        import time

        article = next(d for d in svc.docs.values() if d.kind == "article")
        real_time = time.time
        with monkeypatch.context() as m:  # a draft rejected 40 days ago: its question's vector, no case link
            m.setattr("suggester.service.time.time", lambda: real_time() - 40 * 86400)
            svc.record_feedback("Når hentes søpla hos meg?", "nb", article.id, "reject")
        svc.record_feedback("Når hentes papiret?", "nb", article.id, "reject")

        counts = retention.run()
        assert counts["learned_replies"] == 1
        assert db.session.scalar(select(func.count()).select_from(AcceptedReply)) == 1
        svc = drafts.service(municipality, build_if_missing=False)
        assert old_id not in svc.docs and young_id in svc.docs
        assert [r["at"] > real_time() - 86400 for r in svc.rejections] == [True], "the old rejection is gone"
        ranked = svc.rank("Kan jeg ta med hunden min på biblioteket?", "nb", k=5)
        assert old_id not in [r.doc.id for r in ranked]

        app.config["RETENTION_DAYS_LEARNED"] = 0
        young_row = db.session.scalar(select(AcceptedReply))
        young_row.created_at = utcnow() - timedelta(days=4000)
        db.session.commit()
        assert retention.run()["learned_replies"] == 0
        assert db.session.scalar(select(func.count()).select_from(AcceptedReply)) == 1
