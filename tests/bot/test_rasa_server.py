"""bot/rasa_server.py, run in the real Rasa environment: the speed-ups keep Rasa's behaviour.

A valid action-server response passes and a malformed one is still refused with Rasa's message; the
SQLite tracker store runs in WAL mode with a connection pool and keeps every event across a restart;
Postgres URLs keep Rasa's own engine settings."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from bot.training import RASA_PYTHON, ROOT, rasa_env

pytestmark = pytest.mark.skipif(not RASA_PYTHON.exists(), reason=".venv-rasa missing: run `make install`")

PROBE = r'''
import json, sys
from bot.rasa_server import apply_speedups
apply_speedups()
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered, BotUttered
from rasa.shared.core.trackers import DialogueStateTracker

out = {}
action = RemoteAction("action_answer", None)
ok = {"events": [{"event": "slot", "name": "topic", "value": "library"}], "responses": [{"text": "Hei"}]}
out["valid"] = action._validate_action_result(ok)
try:
    action._validate_action_result({"events": [{"event": 5}], "responses": "nope"})
    out["invalid"] = "accepted"
except ValidationError as e:
    out["invalid"] = e.message

db = sys.argv[1]
store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=db)
tracker = DialogueStateTracker("resident-1", slots=[])
tracker.update(UserUttered("Når er biblioteket åpent?"))
tracker.update(BotUttered("Kl. 10-19."))
import asyncio
asyncio.run(store.save(tracker))
with store.engine.connect() as c:
    out["journal"] = c.exec_driver_sql("PRAGMA journal_mode").scalar()
out["pool"] = type(store.engine.pool).__name__
store.engine.dispose()
again = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=db)
restored = asyncio.run(again.retrieve("resident-1"))
out["events"] = [e.as_dict()["event"] for e in restored.events]
out["postgres_kwargs"] = sorted(create_engine_kwargs("postgresql://u:p@localhost/db"))
print(json.dumps(out))
'''


def test_speedups_keep_rasa_behaviour(tmp_path: Path):
    run = subprocess.run([str(RASA_PYTHON), "-c", PROBE, str(tmp_path / "tracker.db")], cwd=ROOT, env=rasa_env(),
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["valid"] is True
    assert "Failed to validate Action server response" in out["invalid"]
    assert out["journal"] == "wal" and out["pool"] == "QueuePool"
    assert out["events"].count("user") == 1 and out["events"].count("bot") == 1
    assert out["postgres_kwargs"] == ["max_overflow", "pool_size"]


PROBE_MORE = r'''
import asyncio, json, sys
import jsonschema
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

rasa_resolve = Event.resolve_by_type
from rasa.core.tracker_store import SQLTrackerStore as RasaStore
rasa_save, rasa_retrieve = RasaStore.save, RasaStore._retrieve
from bot.rasa_server import apply_speedups
apply_speedups()
out = {}

# 1. the per-type validation gives jsonschema's verdict on valid and invalid responses alike
schema = RemoteAction.action_response_format_spec()
slot = {"event": "slot", "name": "topic", "value": "library", "timestamp": None}
cases = [
    {}, {"events": [], "responses": []}, {"events": [slot], "responses": [{"text": "Hei", "custom": {"a": 1}}]},
    {"events": [{"event": "pause"}, {"event": "followup", "name": "action_x"}, {"event": "reset_slots"}]},
    {"events": [{"event": "user", "text": "hei", "parse_data": {"intent": {"name": "x", "confidence": 0.5}}}]},
    {"events": [{"event": "action", "name": "action_listen", "policy": None, "confidence": 1.0}]},
    {"events": [{"event": "entities", "entities": [{"entity": "street", "value": "Storgata"}]}]},
    {"events": [{"event": "slot", "name": "topic"}]},  # no value
    {"events": [{"event": "slot", "name": 5, "value": 1}]},
    {"events": [{"event": "nonsense"}]}, {"events": [{"event": 5}]}, {"events": [{"event": ["x"]}]},
    {"events": [{"name": "no type"}]}, {"events": ["slot"]}, {"events": {"event": "slot"}},
    {"events": [slot, {"event": "user", "parse_data": {"intent": {"name": 3}}}]},
    {"events": [{"event": "slot", "name": "a", "value": 1, "timestamp": "yesterday"}]},
    {"events": [{"event": "bot", "metadata": "not an object"}]},
    {"responses": "nope"}, {"responses": [1]}, {"responses": [{}], "events": None}, [], "x", None,
]
action = RemoteAction("action_answer", None)
verdicts = []
for case in cases:
    try:
        jsonschema.validate(case, schema)
        expected = "valid"
    except jsonschema.ValidationError as e:
        expected = e.message
    try:
        got = "valid" if action._validate_action_result(case) else "false"
    except jsonschema.ValidationError as e:
        got = e.message.split(". Failed to validate Action server response")[0]
    verdicts.append([expected, got])
out["verdicts"] = verdicts

# 2. event classes by name: the same classes as Rasa's lookup, unknown names as before
names = sorted({c.type_name for c in all_subclasses(Event)})
out["same_classes"] = all(Event.resolve_by_type(n) is rasa_resolve(n) for n in names)
out["n_types"] = len(names)
out["default"] = Event.resolve_by_type("no-such-event", Event) is Event
try:
    Event.resolve_by_type("no-such-event")
    out["unknown"] = "accepted"
except ValueError as e:
    out["unknown"] = str(e)

# 3. the tracker store writes each event once: across turns, a new session and a second save
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered

async def store_probe():
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=sys.argv[1])
    t = await store.get_or_create_tracker("resident-2")
    t.update(UserUttered("hei")); t.update(BotUttered("hallo"))
    await store.save(t)
    for turn in range(3):
        t = await store.retrieve("resident-2")
        t.update(UserUttered(f"spørsmål {turn}")); t.update(BotUttered("svar"))
        await store.save(t)
        t.update(ActionExecuted("action_listen"))
        await store.save(t)  # a second save in the same request
    t = await store.retrieve("resident-2")
    t.update(ActionExecuted("action_session_start")); t.update(SessionStarted()); t.update(UserUttered("ny økt"))
    await store.save(t)
    full = await store.retrieve_full_tracker("resident-2")
    last = await store.retrieve("resident-2")
    last.update(BotUttered("svar i ny økt"))
    await store.save(last)  # a tracker of the latest session only
    after = await store.retrieve_full_tracker("resident-2")
    with store.engine.connect() as c:
        rows = c.exec_driver_sql("SELECT count(*) FROM events WHERE sender_id='resident-2'").scalar()
    return [e.as_dict()["event"] for e in after.events], len(full.events), rows

out["events"], out["before_last"], out["rows"] = asyncio.run(store_probe())

# 3b. the same rows as Rasa's own save (every column but the id), and the same tracker read back
from rasa.shared.core.trackers import DialogueStateTracker

async def rows_probe():
    t = DialogueStateTracker("resident-3", slots=[])
    t.update(ActionExecuted("action_session_start")); t.update(SessionStarted()); t.update(ActionExecuted("action_listen"))
    t.update(UserUttered("hei", parse_data={"intent": {"name": "greet", "confidence": 0.9}, "entities": []},
                         input_channel="rest", metadata={"lang": "nb"}))
    t.update(ActionExecuted("action_answer")); t.update(BotUttered("hallo", {"custom": {"tinget": {"type": "answer"}}}))
    t.update(ActionExecuted("action_listen"))
    t.update(ActionExecuted("action_session_start")); t.update(SessionStarted()); t.update(UserUttered("ny økt"))
    tables, trackers = [], []
    for n, save in enumerate((rasa_save, SQLTrackerStore.save)):
        store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=f"{sys.argv[1]}.{n}")
        await save(store, t)
        with store.engine.connect() as c:
            tables.append([list(r) for r in c.exec_driver_sql(
                "SELECT sender_id, type_name, timestamp, intent_name, action_name, data FROM events ORDER BY id")])
        trackers.append([[e.as_dict() for e in (await read(store, "resident-3", False)).events]
                         for read in (rasa_retrieve, SQLTrackerStore._retrieve)])
    return tables, trackers

(rasa_rows, our_rows), trackers = asyncio.run(rows_probe())
out["same_rows"], out["n_rows"] = rasa_rows == our_rows, len(our_rows)
out["same_trackers"] = all(t == trackers[0][0] for pair in trackers for t in pair)
out["latest_session"] = [e["event"] for e in trackers[0][0]]

# 4. calls to the action server reuse one connection
from aiohttp import web
from rasa.utils.endpoints import EndpointConfig

async def connection_probe():
    peers = []

    async def handle(request):
        peers.append(request.transport.get_extra_info("peername")[1])
        return web.json_response({"events": [], "responses": []})

    app = web.Application()
    app.router.add_post("/webhook", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
    answers = [await endpoint.request(json={"n": n}, method="post") for n in range(3)]
    await runner.cleanup()
    return answers, peers

answers, peers = asyncio.run(connection_probe())
out["answers"], out["connections"] = answers, len(set(peers))

# 5. an action call's JSON: the same document as the standard library's, which still decides what ujson refuses
from bot.rasa_server import _json_dumps
tracker = {"sender_id": "r", "events": [{"event": "user", "text": "Når åpner <b>biblioteket</b>? https://x.no/a",
                                         "timestamp": 1733491234.1234567, "parse_data": {"intent": {"confidence": 0.1}}},
                                        {"event": "slot", "name": "n", "value": 2 ** 70}], "none": None}
out["same_json"] = json.loads(_json_dumps(tracker)) == json.loads(json.dumps(tracker)) == tracker
try:
    _json_dumps({"not json": {1, 2}})
    out["refused"] = "accepted"
except TypeError as e:
    out["refused"] = str(e)
print(json.dumps(out))
'''


def test_more_speedups_keep_rasa_behaviour(tmp_path: Path):
    run = subprocess.run([str(RASA_PYTHON), "-c", PROBE_MORE, str(tmp_path / "tracker.db")], cwd=ROOT,
                         env=rasa_env(), capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    verdicts = out["verdicts"]
    assert [got for _, got in verdicts] == [expected for expected, _ in verdicts]
    assert sum(expected == "valid" for expected, _ in verdicts) == 7  # both kinds are exercised
    assert out["same_classes"] and out["n_types"] > 20
    assert out["default"] and out["unknown"] == "Unknown event name 'no-such-event'."
    # 4 turns of 2 events + 3 action_listen + the new session's 3 + 1, each stored once
    assert out["rows"] == len(out["events"]) == out["before_last"] + 1
    assert out["events"].count("user") == 5 and out["events"].count("bot") == 5
    assert out["events"].count("session_started") >= 1 and out["events"][-1] == "bot"
    assert out["answers"] == [{"events": [], "responses": []}] * 3 and out["connections"] == 1
    assert out["same_rows"] and out["n_rows"] == 10 and out["same_trackers"]
    assert out["same_json"] and out["refused"] == "Object of type set is not JSON serializable"
    assert out["latest_session"] == ["session_started", "user"]  # the latest session only, as Rasa reads it
