"""`tinget` commands on a database that is missing, not migrated or of an older schema say so and what to do
(exit 1, no SQL traceback), and never create an empty SQLite file on the way."""

from __future__ import annotations

import pytest


def _app(tmp_path, db_file):
    from web import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_file}", "INSTANCE_PATH": str(tmp_path),
                       "SUGGESTER_ENABLED": False, "SUGGESTER_INDEX_DIR": str(tmp_path / "index")})


def _invoke(app, *args):
    from web.cli import cli

    result = app.test_cli_runner().invoke(cli, list(args))
    with app.app_context():
        from web.extensions import db

        db.engine.dispose()
    return result


COMMANDS = [("retention", "run"), ("privacy", "delete", "42", "--yes"), ("replies", "rerender", "--dry-run"),
            ("mail", "close-auto-answered", "--dry-run"), ("suggester", "reindex"), ("demo", "load")]


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c[:2]) for c in COMMANDS])
def test_a_missing_database_is_named_with_the_command_that_creates_it(tmp_path, command):
    app = _app(tmp_path, tmp_path / "nowhere.db")
    result = _invoke(app, *command)
    assert result.exit_code == 1, result.output
    assert "No database at sqlite:///" in result.output and "tinget db upgrade" in result.output
    assert not (tmp_path / "nowhere.db").exists()


def test_an_empty_or_older_database_is_named_with_its_revision(tmp_path):
    from flask_migrate import upgrade

    (tmp_path / "empty.db").touch()
    result = _invoke(_app(tmp_path, tmp_path / "empty.db"), "retention", "run")
    assert result.exit_code == 1 and "has no Tinget tables" in result.output, result.output

    old = _app(tmp_path, tmp_path / "old.db")
    with old.app_context():
        upgrade(revision="b7e1c2d3a4f5")
    result = _invoke(old, "replies", "rerender")
    assert result.exit_code == 1, result.output
    assert "older schema (revision b7e1c2d3a4f5" in result.output and "tinget db upgrade" in result.output


def test_an_unreachable_database_is_named_without_its_password(tmp_path):
    from web import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg2://tinget:s3cret-pw@127.0.0.1:9/tinget",
                      "INSTANCE_PATH": str(tmp_path), "SUGGESTER_ENABLED": False})
    result = _invoke(app, "retention", "run")
    assert result.exit_code == 1, result.output
    assert "Cannot open the database postgresql+psycopg2://tinget:***@127.0.0.1:9/tinget" in result.output
    assert "s3cret-pw" not in result.output


def test_a_migrated_database_runs_the_command(app):
    result = _invoke(app, "retention", "run")
    assert result.exit_code == 0 and "Deleted 0 conversations" in result.output, result.output


def test_db_upgrade_on_a_database_it_cannot_open_names_it(tmp_path):
    """Flask-Migrate's own commands too: a SQLite file in a missing folder was an SQLAlchemy traceback."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent.parent
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TINGET_", "DATABASE_URL"))}
    env.update(PYTHONPATH=str(root), TINGET_INSTANCE=str(tmp_path),
               DATABASE_URL=f"sqlite:///{tmp_path / 'no-such-folder' / 'tinget.db'}")
    done = subprocess.run([str(Path(sys.executable).with_name("tinget")), "db", "upgrade"], capture_output=True,  # noqa: S603
                          text=True, timeout=120, env=env, cwd=tmp_path)
    assert done.returncode == 1, done.stderr[-1000:]
    assert f"Error: Database sqlite:///{tmp_path}/no-such-folder/tinget.db (DATABASE_URL): unable to open" in done.stderr
    assert "Traceback" not in done.stderr
