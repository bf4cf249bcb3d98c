"""The declarative base shared by every package's models (web, kb), their text column types and a plain
session factory.

The Flask app binds it through Flask-SQLAlchemy; the action server and CLI tools that run outside
Flask use :func:`make_session_factory` with the same ``DATABASE_URL``.

Every text column is a :class:`CleanString` or :class:`CleanText` (tests/test_models_clean_text.py checks
that no String or Text column of ``Base.metadata`` is anything else): each value bound to one, whether
written by the ORM, by a Core INSERT/UPDATE or compared with it in a WHERE (``==``, ``in_``, ``ilike``),
goes through :func:`tinget.text.clean` on its way to the database. Postgres refuses NUL in text, so one
guard here covers every path, including those written after it. Every JSON column is a :class:`CleanJSON`,
which cleans each string of the document the same way (the same test checks it).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, MetaData, String, Text, create_engine, event
from sqlalchemy.orm import DeclarativeBase, registry, sessionmaker
from sqlalchemy.types import TypeDecorator

from tinget.text import clean

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class CleanString(TypeDecorator):
    """``String(length)`` whose bound values are :func:`tinget.text.clean`-ed (see the module's docstring).

    The same impl: the schema (and Alembic's comparison with the migrations) is a plain VARCHAR."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value, dialect):  # also used for literal_binds (offline migrations)
        return clean(value) if isinstance(value, str) else value


class CleanText(CleanString):
    """``Text`` whose bound values are :func:`tinget.text.clean`-ed (see the module's docstring)."""

    impl = Text
    cache_ok = True


def _clean_json(value):
    """``value`` (a JSON document: dicts, lists, strings, numbers) with every string, keys included, cleaned."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {_clean_json(k): _clean_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean_json(v) for v in value]
    return value


class CleanJSON(TypeDecorator):
    """``JSON`` whose documents have every string :func:`tinget.text.clean`-ed: department names and
    signatures, audit details, a mail's attachment names and parse problems, an article version's meta.
    Postgres' ``json`` stores a NUL as a ``\\u0000`` escape (``jsonb`` refuses it); read back, it is an
    invisible character in every page and export that prints the name or the detail."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return _clean_json(value)


class Base(DeclarativeBase):
    # a ``Mapped[str]`` column given no type is cleaned too. (On the registry, not as the class's
    # ``type_annotation_map``: Flask-SQLAlchemy subclasses this base, and SQLAlchemy refuses a subclass
    # that inherits both.)
    registry = registry(metadata=MetaData(naming_convention=NAMING), type_annotation_map={str: CleanString()})


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def configure_sqlite(engine) -> None:
    """WAL and a busy timeout so the web app, action server and CLI can share one SQLite file.

    ``synchronous=NORMAL`` (SQLite's advice for WAL): a commit survives a crash of any of our processes;
    only an OS crash or power loss can lose the last commits. It removes the fsync from every resident
    message's commit, the largest CPU item in the app's profile of the message route."""
    if engine.url.get_backend_name() != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _pragma(dbapi_conn, _record):  # pragma: no cover - exercised by every sqlite connection
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()


def engine_options(url: str) -> dict:
    """Checking a pooled connection before each use ("pre-ping") catches a database server restarted under
    us (Postgres); a SQLite file has no server to lose, and the ping is one more statement per request."""
    return {"pool_pre_ping": not url.startswith("sqlite")}


def make_session_factory(url: str):
    engine = create_engine(url, **engine_options(url))
    configure_sqlite(engine)
    return sessionmaker(bind=engine, expire_on_commit=False)


def select_columns(session, mapper, stmt, params: dict | None = None):
    """A column-only SELECT on the session's own connection and transaction: the same SQL and rows as
    ``session.execute``, without the ORM's per-statement overhead (~0.15 ms, most of such a small query's
    cost on a resident's message). Pending changes are flushed first when the session autoflushes, as
    ``session.execute`` would; inside ``no_autoflush`` nothing is flushed. A statement built once with
    ``bindparam`` placeholders and given its ``params`` here is compiled once per process (its cache key is
    memoised on the statement object)."""
    if session.autoflush:
        session.flush()
    return session.connection(bind_arguments={"mapper": mapper, "clause": stmt}).execute(stmt, params)


def commit_keeping_objects(session) -> None:
    """Commit without expiring the session's objects: a response built from the rows just written (every
    default is set on the object at the flush) would otherwise reload each of them with a SELECT."""
    expire = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


def render_migration_type(type_: str, obj, autogen_context):
    """Alembic's ``render_item`` hook (migrations/env.py): a new migration names a cleaning column by its
    impl (``sa.String(length=300)``), as the existing ones do, so that migration scripts do not import the
    app's code; the database schema is the same either way. Anything else is rendered as usual."""
    if type_ == "type" and isinstance(obj, CleanString | CleanJSON):
        return f"sa.{obj.impl!r}"
    return False
