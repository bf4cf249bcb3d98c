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
