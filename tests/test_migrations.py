"""The Alembic migrations create exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext


def test_models_and_migrations_agree(app):
    from web.extensions import db

    with app.app_context(), db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
    assert diff == [], f"models changed without a migration (run `tinget db migrate`): {diff}"


def test_sqlite_runs_in_wal_mode_with_normal_sync_and_foreign_keys(app):
    """The web app, action server and CLI share one SQLite file: WAL, no fsync per commit, enforced keys."""
    from web.extensions import db

    with app.app_context(), db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_upgrade_renders_old_caseworker_replies_again(tmp_path):
    """Replies stored before the renderer kept line breaks showed one joined-up paragraph; `tinget db upgrade`
    (run on every deployment) renders them again from their text, and leaves everything else alone."""
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from kb.render import reply_markdown_to_html
    from web import create_app
    from web.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}", "INSTANCE_PATH": str(tmp_path),
                      "SUGGESTER_ENABLED": False})
    text = "Hei Kari,\n\nDu trenger:\n- legeerklæring\n- skjema\n\nMvh\nSkolekontoret"
    old_html = "<p>Hei Kari, Du trenger: - legeerklæring - skjema Mvh Skolekontoret</p>"
    with app.app_context():
        upgrade(revision="b7e1c2d3a4f5")  # the schema is the same as head's: the models can write the rows
        from tinget.models import Municipality
        from web.demo import load_demo
        from web.models import Conversation, Message

        load_demo()
        conv = Conversation(municipality=db.session.scalars(sa.select(Municipality)).first(), lang="nb")
        db.session.add_all([Message(conversation=conv, sender="caseworker", text=text, html=old_html, lang="nb"),
                            Message(conversation=conv, sender="caseworker", text=text, html="", lang="nb"),
                            Message(conversation=conv, sender="bot", text=text, html=old_html, lang="nb")])
        db.session.commit()
        db.session.remove()
        upgrade()
        with db.engine.connect() as conn:
            html = dict(enumerate(conn.execute(sa.text("SELECT html FROM message ORDER BY id")).scalars(), 1))
        db.engine.dispose()
    assert html[1] == reply_markdown_to_html(text) and "<li>legeerklæring</li>" in html[1]
    assert html[2] == "" and html[3] == old_html  # no html stays none; the bot's answers are not replies


def test_upgrade_closes_mail_cases_the_automatic_reply_answered(tmp_path):
    """Before Dec 2026 a mail case the automatic reply answered stayed 'answered', in the caseworkers' open
    queue. `tinget db upgrade` closes those (as of the reply); a case a caseworker replied to, or one
    answered without an automatic reply, stays as it was."""
    from datetime import datetime

    import sqlalchemy as sa
    from flask_migrate import upgrade

    from web import create_app
    from web.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}", "INSTANCE_PATH": str(tmp_path),
                      "SUGGESTER_ENABLED": False})
    sent_at = datetime(2026, 11, 30, 9, 15)
    with app.app_context():
        upgrade(revision="c4d8e2f1a9b3")
        from tinget.models import Municipality
        from web.demo import load_demo
        from web.mail_models import MailItem
        from web.models import Case, Conversation, Message

        load_demo()
        m = db.session.scalars(sa.select(Municipality)).first()
        ids = {}
        for name, auto, caseworker in (("auto", True, False), ("replied", True, True), ("plain", False, False)):
            conv = Conversation(municipality=m, lang="nb", channel="mail", state="handoff")
            case = Case(municipality_id=m.id, conversation=conv, department="culture", reason="answer",
                        status="answered", lang="nb")
            db.session.add_all([conv, case])
            if caseworker:
                db.session.add(Message(conversation=conv, sender="caseworker", text="Svar", lang="nb"))
            db.session.add(MailItem(municipality_id=m.id, direction="out", message_id=f"{name}@x", case=case,
                                    conversation=conv, action="sent", auto_reply=auto, received_at=sent_at))
            db.session.flush()
            ids[name] = case.id
        db.session.commit()
        db.session.remove()
        upgrade()
        with db.engine.connect() as conn:
            rows = {i: (s, c) for i, s, c in conn.execute(sa.text('SELECT id, status, closed_at FROM "case"'))}
        db.engine.dispose()
    assert rows[ids["auto"]][0] == "closed" and str(rows[ids["auto"]][1]).startswith("2026-11-30 09:15")
    assert rows[ids["replied"]] == ("answered", None) and rows[ids["plain"]] == ("answered", None)
