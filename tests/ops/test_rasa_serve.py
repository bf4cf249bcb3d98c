"""bin/rasa-serve (the Procfile's Rasa) gives Rasa the tracker database the app deletes from: it built the
SQLite path from instance/ and ignored TINGET_INSTANCE, so with another instance folder a resident's deletion
left the Rasa tracker's copy of the conversation behind."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_rasa_gets_the_apps_tracker_database(tmp_path):
    fake = tmp_path / "repo"
    (fake / "bin").mkdir(parents=True)
    for entry in ROOT.iterdir():
        if entry.name not in ("bin", ".venv-rasa", ".git"):
            (fake / entry.name).symlink_to(entry)
    (fake / "bin" / "rasa-serve").write_text((ROOT / "bin" / "rasa-serve").read_text())
    (fake / ".venv-rasa" / "bin").mkdir(parents=True)
    rasa = fake / ".venv-rasa" / "bin" / "python"
    rasa.write_text('#!/bin/sh\necho "tracker=$TINGET_TRACKER_DIALECT $TINGET_TRACKER_DB"\n')
    rasa.chmod(0o755)
    instance = tmp_path / "elsewhere"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TINGET_", "RASA_", "DATABASE_URL", "REDIS_URL"))}
    env.update(TINGET_INSTANCE=str(instance), TINGET_MODEL_DIR=str(ROOT / "instance" / "models"))
    done = subprocess.run(["bash", str(fake / "bin" / "rasa-serve")], capture_output=True, text=True,  # noqa: S603,S607
                          timeout=120, env=env)
    if "No trained model" in done.stderr:
        import pytest

        pytest.skip("no trained model")
    assert done.returncode == 0, done.stderr[-1500:]
    assert f"tracker=sqlite {instance / 'rasa-tracker.db'}" in done.stdout
