"""Whether the app's database can be used by this version: there, reachable, and at the migrations' head
revision. Used by the `tinget` commands (before they touch a table) and by /healthz."""

from __future__ import annotations

import functools
from pathlib import Path

MIGRATIONS = Path(__file__).resolve().parent.parent.parent / "migrations"


@functools.lru_cache(maxsize=1)
def _revisions() -> tuple[frozenset[str], frozenset[str]]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS))
    return frozenset(script.get_heads()), frozenset(rev.revision for rev in script.walk_revisions())


def database_state() -> tuple[str, str]:
    """(state, detail): state is ok | missing (no SQLite file; none is created) | unreachable | not_migrated |
    older | newer; detail says which revision, or why the database could not be opened."""
    from alembic.migration import MigrationContext
    from flask import current_app
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from web.extensions import db

    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:") \
            and not url.database.startswith("file:") and not Path(url.database).is_file():
        return "missing", ""
    try:
        with db.engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
    except SQLAlchemyError as exc:
        return "unreachable", str(getattr(exc, "orig", None) or exc.__class__.__name__)
    heads, known = _revisions()
    if current == heads:
        return "ok", ""
    if not current:
        return "not_migrated", ""
    if not current <= known:
        return "newer", ", ".join(sorted(current))
    return "older", f"revision {', '.join(sorted(current))}; this version needs {', '.join(sorted(heads))}"
