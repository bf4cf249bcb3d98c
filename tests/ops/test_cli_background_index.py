"""A suggester index a command needs is built before the command exits.

`tinget mail import` (and `mail poll`) opens cases; the first case found the municipality's index missing
and started building it in a background thread, which the process killed when the command returned: the
index stayed missing (or stale), each later command started and lost the same build, and the imported
cases never got drafts. The real `tinget` runs here as a separate process, so the process really exits."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from tests.conftest import dispose, make_app
from tests.mail.conftest import build

ROOT = Path(__file__).resolve().parent.parent.parent
KEEP = ("library", "snow_clearing")  # a small KB: the build takes seconds, not the demo KB's two minutes


def _installation(tmp_path):
    app = make_app(tmp_path)
    dispose(app)
    with closing(sqlite3.connect(tmp_path / "app.db")) as con:
        wanted = ",".join("?" * len(KEEP))
        con.execute(f"DELETE FROM kb_article_version WHERE article_id IN "  # noqa: S608 - placeholders only
                    f"(SELECT id FROM kb_article WHERE intent NOT IN ({wanted}))", KEEP)
        con.execute(f"DELETE FROM kb_article WHERE intent NOT IN ({wanted})", KEEP)  # noqa: S608
        con.commit()
    mails = tmp_path / "mails"
    mails.mkdir()
    (mails / "1.eml").write_bytes(build("Hei! Jeg har fått et vedtak om bostøtte og vil klage på det.", "Klage",
                                        message_id="<klage1@example.org>"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TINGET_", "RASA_", "DATABASE_URL"))}
    env.update(PYTHONPATH=str(ROOT), TINGET_CONFIG="testing", TINGET_INSTANCE=str(tmp_path),
               DATABASE_URL=f"sqlite:///{tmp_path / 'app.db'}", TINGET_SUGGESTER="true",
               TINGET_INDEX_DIR=str(tmp_path / "index"), RASA_URL="http://127.0.0.1:9",
               TINGET_MODEL_DIR=str(tmp_path / "no-model"))  # no model: the mail goes to the service desk
    return mails, env


def test_mail_import_leaves_a_built_index_and_drafts_behind(tmp_path):
    mails, env = _installation(tmp_path)
    done = subprocess.run([str(Path(sys.executable).parent / "tinget"), "mail", "import", str(mails)],  # noqa: S603
                          capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "route: 1" in done.stdout, done.stdout

    from sqlalchemy import select

    from tests.conftest import _base_config
    from web import create_app
    from web.extensions import db

    # not make_app: on an existing database it loads the demo KB again
    app = create_app({**_base_config(tmp_path), "SUGGESTER_ENABLED": True})
    from web.models import Case, Conversation
    from web.services.drafts import documents, service
    from web.services.mail import municipality_for

    with app.app_context():
        m = municipality_for("fjordvik")
        svc = service(m, build_if_missing=False)
        assert svc is not None, "the index was left missing: the build was cut off when the command exited"
        assert svc.size == len(documents(m)) > 0
        case = db.session.scalars(select(Case).join(Case.conversation).where(Conversation.channel == "mail")).one()
        assert case.drafts, "the imported case got no drafts"
    dispose(app)
    assert "Building the suggester index of Fjordvik kommune first" in done.stderr, done.stderr[-2000:]


def test_a_build_started_in_the_background_is_waited_for(tmp_path, monkeypatch):
    """Any other way a command starts a background build: `tinget` waits for it, and says so."""
    from web.services import drafts

    app = make_app(tmp_path, SUGGESTER_ENABLED=True)
    started = []
    monkeypatch.setattr(drafts, "reindex", lambda m, progress=None: (
        started.append(m.slug), progress("encode", 1, 2), __import__("time").sleep(1.5), progress("encode", 2, 2)))

    import click

    from web.cli import cli

    @cli.command("start-a-build")
    def start_a_build():
        from web.services.mail import municipality_for

        drafts.service(municipality_for("fjordvik"))  # no index: starts the background build
        click.echo("returned")

    try:
        result = app.test_cli_runner().invoke(cli, ["start-a-build"])
    finally:
        cli.commands.pop("start-a-build")
    assert result.exit_code == 0, result.output
    assert started == ["fjordvik"]
    assert "Waiting for the suggester index of fjordvik to be built before exiting" in result.output
    assert not drafts._BUILDING, "the command returned before the build was done"
    dispose(app)
