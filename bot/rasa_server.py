"""Start Rasa's server with measured speed-ups, then hand over to Rasa's own command line.

    .venv-rasa/bin/python -m bot.rasa_server run --enable-api -m MODEL ...   (same arguments as `rasa`)

py-spy profiles of the Rasa server answering residents (benchmarks/roundtrip.py, bare REST webhook)
led to each of these; every one keeps Rasa's behaviour (tests/bot/test_rasa_server.py checks it):

- ``RemoteAction._validate_action_result`` calls ``jsonschema.validate`` for every action server
  response, which first re-checks the *schema itself* against the metaschema and builds a new
  validator each time. We compile the (constant) response schema once. A valid response is checked
  against its events' own types only (the schema's ``oneOf`` tries all 23 event types for each event);
  anything else goes through the full schema and raises the same ``ValidationError`` text as before.
- The SQLite tracker store commits each turn with a full fsync and opens a new connection per turn
  (SQLAlchemy 1.4 gives file SQLite no pool). We switch SQLite connections to WAL with
  ``synchronous=NORMAL`` and keep them in a pool (as SQLAlchemy 2 does for file databases): a commit
  survives a crash of Rasa or of the app (the fault tests kill Rasa mid-conversation); only an OS crash
  or power loss may lose the last turns. Postgres keeps Rasa's own settings.
- Reading a tracker turns each stored event's type name into a class by walking all ``Event``
  subclasses; we remember the classes (see ``_cached_event_classes``).
- Reading a tracker builds an ORM query and an ORM object per stored event; saving one counts the stored
  events with a query, then flushes an ORM object per new event. We read only the events' data with one
  prebuilt statement, remember the count and insert a turn's events with one multi-row INSERT
  (``_leaner_tracker_store``).
- Each action call opened a new HTTP connection to the action server; we keep them alive
  (``_persistent_action_connections``), and write the tracker each call carries with ujson
  (``_json_dumps``; the same JSON document).

Only this entry point applies them (the app environment never imports Rasa).

It also warms the model up (``bot/warm_up.py``) as the last step of loading it, before the server accepts
a connection, and a model loaded by ``PUT /model`` (a retrain) before it replaces the served one: Rasa's own ``/status`` reported the model loaded while the first message still had to run the
pipeline for the first time (16.5 s), and the first resident after a restart timed out into a case.
"""

from __future__ import annotations

import itertools
import json
import sys
from typing import Any

try:  # a dependency of Sanic, which Rasa runs on
    import ujson
except ImportError:  # pragma: no cover - Rasa 3.6 always brings it
    ujson = None


def _compiled_action_result_validation() -> None:
    from jsonschema import ValidationError
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)  # once, instead of once per response
    validator = validator_class(schema)
    by_type = _event_validators(schema, validator_class)

    def quickly_valid(result: Any) -> bool:
        """True only if ``result`` is valid; False means "not sure": the full validator decides."""
        if by_type is None or not isinstance(result, dict):
            return False
        responses = result.get("responses", [])
        if not isinstance(responses, list) or not all(isinstance(r, dict) for r in responses):
            return False
        events = result.get("events", [])
        if not isinstance(events, list):
            return False
        for event in events:
            name = event.get("event") if isinstance(event, dict) else None
            check = by_type.get(name) if isinstance(name, str) else None
            if check is None or not check.is_valid(event):
                return False
        return True

    def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        if quickly_valid(result):
            return True
        try:
            error = best_match(validator.iter_errors(result))  # what jsonschema.validate raises
            if error is not None:
                raise error
            return True
        except ValidationError as e:
            e.message += (
                ". Failed to validate Action server response from API, make sure your response from the "
                f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
            )
            raise

    RemoteAction._validate_action_result = _validate_action_result


def _event_validators(schema: dict[str, Any], validator_class) -> dict[str, Any] | None:
    """One validator per event type: the event schema's common part with only that type's ``oneOf`` branch.

    Rasa's event schema is ``{common part, "oneOf": [one branch per event type]}`` and every branch pins
    ``event`` to its own constant (``"required": ["event"]`` is in the common part), so an event matches
    exactly one branch iff it matches the branch of its own type: the same verdict as the ``oneOf``,
    without trying all 23 branches for every event. None (use the full schema only) if the schema is not
    of that shape, e.g. after a Rasa upgrade.
    """
    try:
        event_schema = schema["properties"]["events"]["items"]
        branches = event_schema["oneOf"]
        names = [branch["properties"]["event"]["const"] for branch in branches]
        if schema["properties"]["events"].get("type") != "array" or "event" not in event_schema.get("required", []) \
                or len(set(names)) != len(names) or set(schema) - {"type", "properties"} \
                or set(schema["properties"]) != {"events", "responses"} \
                or schema["properties"]["responses"] != {"type": "array", "items": {"type": "object"}}:
            return None
    except (KeyError, TypeError):
        return None
    common = {k: v for k, v in event_schema.items() if k != "oneOf"}
    return {name: validator_class({**common, "allOf": [branch]}) for name, branch in zip(names, branches, strict=True)}


def _cached_event_classes() -> None:
    """``Event.resolve_by_type`` walks every subclass of ``Event`` (with ``inspect.isabstract`` on each) to
    turn a type name into a class, for every event read from the tracker store or sent by the action
    server: the largest single item in the profile (a quarter of Rasa's time for long conversations).
    We remember each name's class once found; names not found still take Rasa's path (default or error).
    """
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    original = Event.resolve_by_type
    known: dict[str, type] = {}

    def resolve_by_type(type_name: str, default: type | None = None) -> type | None:
        cls = known.get(type_name)
        if cls is None:
            for candidate in all_subclasses(Event):  # Rasa's order: the first class with the name wins
                if candidate.type_name == type_name:
                    known[type_name] = cls = candidate
                    break
            else:
                return original(type_name, default)
        return cls

    Event.resolve_by_type = staticmethod(resolve_by_type)


def _json_dumps(obj: Any) -> str:
    """The JSON of an action server call: ujson (a dependency of Sanic, which Rasa runs on; about twice as
    fast as the standard library on the tracker Rasa sends with every call) for what it can write;
    anything it refuses goes to the standard library, which then encodes it or raises as Rasa would."""
    if ujson is not None:
        try:
            return ujson.dumps(obj)
        except (TypeError, ValueError, OverflowError):
            pass
    return json.dumps(obj)


def _persistent_action_connections() -> None:
    """Rasa opens a new aiohttp session, hence a new TCP connection, for every call to the action server
    (``EndpointConfig.request``). We keep one session per endpoint and event loop, so calls reuse
    keep-alive connections. Idle connections are closed after 10 s, well before the action server (Sanic,
    keep-alive 120 s) would close them under a request."""
    import asyncio

    import aiohttp
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

    class _Kept:
        def __init__(self, session: aiohttp.ClientSession):
            self.session = session

        async def __aenter__(self) -> aiohttp.ClientSession:
            return self.session

        async def __aexit__(self, *exc: object) -> None:
            return None  # kept open for the next call

    def session(self: EndpointConfig) -> _Kept:
        loop = asyncio.get_running_loop()
        kept = getattr(self, "_tinget_session", None)
        if kept is None or kept.closed or kept._loop is not loop:
            auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) \
                if self.basic_auth else None
            kept = aiohttp.ClientSession(headers=self.headers, auth=auth, json_serialize=_json_dumps,
                                         timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                                         connector=aiohttp.TCPConnector(keepalive_timeout=10))
            self._tinget_session = kept
        return _Kept(kept)

    EndpointConfig.session = session


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


def _leaner_tracker_store() -> None:
    """Reading a tracker builds a SQLAlchemy ORM query (with a subquery) and an ORM object for every stored
    event, only to read its ``data`` column; we run the same query, written once as a Core statement with
    bound parameters, for that column alone (same rows, same order). Writing a turn added one ORM object
    per new event and flushed them through the unit of work (most of Rasa's time in ``save``); we insert
    the same column values with one multi-row INSERT. Before writing, ``SQLTrackerStore.save`` counts the
    conversation session's stored events with a query (``_additional_events``) to know which events are
    new. The tracker it saves was read from the store by the same request, under the conversation's lock,
    with the same query: we remember how many events that read returned (and how many the save wrote)
    instead of counting again; trackers that did not come from ``retrieve`` (a new conversation's, or the
    full tracker of all sessions) are counted with Rasa's query, prebuilt."""
    import sqlalchemy as sa
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.events import SessionStarted
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.shared.nlu.constants import INTENT_NAME_KEY

    rasa_retrieve = SQLTrackerStore._retrieve
    events_table = SQLTrackerStore.SQLEvent.__table__
    # Rasa's _event_query for the latest session: events after the latest SessionStarted (or all if none)
    session_start = (sa.select(sa.func.max(events_table.c.timestamp).label("session_start"))
                     .where(events_table.c.sender_id == sa.bindparam("sender_id"),
                            events_table.c.type_name == SessionStarted.type_name)
                     .subquery())
    in_latest_session = (events_table.c.sender_id == sa.bindparam("sender_id"),
                         sa.or_(events_table.c.timestamp >= session_start.c.session_start,
                                session_start.c.session_start.is_(None)))
    latest_session = sa.select(events_table.c.data).where(*in_latest_session).order_by(events_table.c.id)
    count_latest_session = sa.select(sa.func.count()).select_from(
        sa.select(events_table.c.id).where(*in_latest_session).subquery())
    insert_events = events_table.insert()

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool):
        if fetch_events_from_all_sessions:
            return await rasa_retrieve(self, sender_id, fetch_events_from_all_sessions)
        with self.session_scope() as session:
            events = [json.loads(data) for data in session.execute(latest_session, {"sender_id": sender_id}).scalars()]
        if not (self.domain and events):
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        if tracker._max_event_history is None:
            tracker._tinget_stored_events = len(tracker.events)
        return tracker

    async def save(self, tracker) -> None:
        await self.stream_events(tracker)
        with self.session_scope() as session:
            rows = []
            for event in self._additional_events(session, tracker):  # Rasa's column values, event by event
                data = event.as_dict()
                rows.append({"sender_id": tracker.sender_id, "type_name": event.type_name,
                             "timestamp": data.get("timestamp"),
                             "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                             "action_name": data.get("name"), "data": json.dumps(data)})
            if rows:
                session.execute(insert_events, rows)
            session.commit()
        if tracker._max_event_history is None:
            tracker._tinget_stored_events = len(tracker.events)

    def _additional_events(self, session, tracker):
        stored = getattr(tracker, "_tinget_stored_events", None)
        if stored is None:
            # e.g. a new conversation's first save: Rasa's count, as a prebuilt statement (its ORM query
            # spent ~2 ms building a cache key)
            stored = session.execute(count_latest_session, {"sender_id": tracker.sender_id}).scalar_one()
        return itertools.islice(tracker.events, stored, len(tracker.events))

    SQLTrackerStore._retrieve, SQLTrackerStore.save = _retrieve, save
    SQLTrackerStore._additional_events = _additional_events


def _warm_up_before_serving() -> None:
    """Rasa loads the agent in a ``before_server_start`` listener (``rasa.core.run.load_agent_on_start``);
    Sanic binds the port only after those listeners, so a server still warming up refuses connections and
    nobody (the Stack, the supervisor, the app's /healthz) sees its ``/status`` before it is warm."""
    import logging

    import rasa.core.run as rasa_run

    from bot.warm_up import warm_up

    load_agent_on_start = rasa_run.load_agent_on_start
    if getattr(load_agent_on_start, "_tinget_warms_up", False):
        return

    async def load_and_warm_up(*args, **kwargs):
        agent = await load_agent_on_start(*args, **kwargs)
        if agent is not None and agent.is_ready():
            seconds = await warm_up(agent)
            logging.getLogger("bot.rasa_server").info("Rasa model warmed up in %.1f s; accepting connections", seconds)
        return agent

    load_and_warm_up._tinget_warms_up = True
    rasa_run.load_agent_on_start = load_and_warm_up

    # A model loaded by ``PUT /model`` (an admin's retrain, web.services.teach) is warmed up too, before it
    # replaces the served one: the old model answers residents meanwhile, and the first message after the swap
    # does not pay the new model's first run.
    import rasa.server as rasa_server_module

    load_for_put = rasa_server_module._load_agent

    async def load_new_and_warm_up(*args, **kwargs):
        agent = await load_for_put(*args, **kwargs)
        seconds = await warm_up(agent)
        logging.getLogger("bot.rasa_server").info("New Rasa model warmed up in %.1f s before it is served", seconds)
        return agent

    rasa_server_module._load_agent = load_new_and_warm_up


def apply_speedups() -> None:
    _compiled_action_result_validation()
    _sqlite_wal()
    _cached_event_classes()
    _persistent_action_connections()
    _leaner_tracker_store()


def main(argv: list[str] | None = None) -> None:
    apply_speedups()
    _warm_up_before_serving()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *(sys.argv[1:] if argv is None else argv)]
    rasa_main()


if __name__ == "__main__":
    main()
