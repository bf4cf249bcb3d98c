"""Start Rasa's server with two measured speed-ups, then hand over to Rasa's own command line.

    .venv-rasa/bin/python -m bot.rasa_server run --enable-api -m MODEL ...   (same arguments as `rasa`)

A py-spy profile of the Rasa server answering residents (benchmarks/roundtrip.py, bare REST webhook)
showed a fifth of its time in ``jsonschema`` and a tenth in SQLite commits:

- ``RemoteAction._validate_action_result`` calls ``jsonschema.validate`` for every action server
  response, which first re-checks the *schema itself* against the metaschema and builds a new
  validator each time. We compile the (constant) response schema once and validate each response with
  it: the same schema, the same ``ValidationError`` text for a bad response.
- The SQLite tracker store commits each turn with a full fsync and opens a new connection per turn
  (SQLAlchemy 1.4 gives file SQLite no pool). We switch SQLite connections to WAL with
  ``synchronous=NORMAL`` and keep them in a pool (as SQLAlchemy 2 does for file databases): a commit
  survives a crash of Rasa or of the app (the fault tests kill Rasa mid-conversation); only an OS crash
  or power loss may lose the last turns. Postgres keeps Rasa's own settings.

Only this entry point applies them (the app environment never imports Rasa).
"""

from __future__ import annotations

import sys
from typing import Any


def _compiled_action_result_validation() -> None:
    from jsonschema import ValidationError
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)  # once, instead of once per response
    validator = validator_class(schema)

    def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        try:
            validator.validate(result)
            return True
        except ValidationError as e:
            e.message += (
                ". Failed to validate Action server response from API, make sure your response from the "
                f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
            )
            raise

    RemoteAction._validate_action_result = _validate_action_result


def _sqlite_wal() -> None:
    import sqlite3

    import rasa.core.tracker_store as tracker_store
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from sqlalchemy.engine.url import make_url
    from sqlalchemy.pool import QueuePool

    rasa_engine_kwargs = tracker_store.create_engine_kwargs

    def create_engine_kwargs(url) -> dict[str, Any]:
        if make_url(url).get_backend_name() == "sqlite" and make_url(url).database not in (None, "", ":memory:"):
            return {"poolclass": QueuePool, "pool_size": 2, "connect_args": {"check_same_thread": False}}
        return rasa_engine_kwargs(url)

    tracker_store.create_engine_kwargs = create_engine_kwargs

    @event.listens_for(Engine, "connect")
    def _pragmas(dbapi_connection, connection_record) -> None:  # noqa: ARG001 - SQLAlchemy's signature
        if isinstance(dbapi_connection, sqlite3.Connection):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()


def apply_speedups() -> None:
    _compiled_action_result_validation()
    _sqlite_wal()


def main(argv: list[str] | None = None) -> None:
    apply_speedups()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *(sys.argv[1:] if argv is None else argv)]
    rasa_main()


if __name__ == "__main__":
    main()
