"""Rasa's own checks in `make test`: `rasa data validate` on the project's data, and the test stories
in bot/tests/ against the trained model (`rasa test core`)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bot.training import RASA_BIN, ROOT, rasa_env

pytestmark = pytest.mark.skipif(not RASA_BIN.exists(), reason=".venv-rasa missing: run `make install`")


def _rasa(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(RASA_BIN), *args], cwd=ROOT, env=rasa_env(), capture_output=True, text=True,
                          timeout=timeout)


def test_rasa_data_validate_finds_no_errors():
    out = _rasa("data", "validate", "--domain", "bot/domain.yml", "--data", "training_data",
                "--config", "bot/config.yml")
    assert out.returncode == 0, (out.stdout + out.stderr)[-3000:]


@pytest.mark.rasa
def test_rasa_test_stories_pass(rasa_model, tmp_path: Path):
    out = _rasa("test", "core", "--model", str(rasa_model), "--stories", "bot/tests/test_stories.yml",
                "--out", str(tmp_path), "--fail-on-prediction-errors")
    failed = tmp_path / "failed_test_stories.yml"
    detail = failed.read_text() if failed.exists() else ""
    assert out.returncode == 0, (detail or (out.stdout + out.stderr))[-3000:]
