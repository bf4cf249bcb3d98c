"""In the tinget command and in gunicorn's workers the root logger has no handler: records of mail.*,
suggester.*, kb.* … reach logging.lastResort, which printed them unredacted. Tracebacks were never
redacted either, and their last line quotes the exception's message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

SCRIPT = """
import logging
from web import create_app
app = create_app()
assert not logging.getLogger().handlers
logging.getLogger("mail.parse").warning("cannot read the mail of kari.hansen@example.org")
try:
    raise ValueError("unexpected text from ola.nordmann@example.com")
except ValueError:
    logging.getLogger("suggester.service").exception("draft failed")
app.logger.warning("console search for per.olsen@example.net")
"""


def test_warnings_and_tracebacks_outside_the_web_package_are_redacted(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TINGET_", "DATABASE_URL"))}
    env.update(PYTHONPATH=str(ROOT), TINGET_INSTANCE=str(tmp_path), TINGET_CONFIG="development",
               DATABASE_URL=f"sqlite:///{tmp_path / 'app.db'}")
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300,  # noqa: S603
                          env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "cannot read the mail of <EMAIL>" in done.stderr
    assert "draft failed" in done.stderr and "ValueError: unexpected text from <EMAIL>" in done.stderr
    assert "console search for <EMAIL>" in done.stderr
    for address in ("kari.hansen", "ola.nordmann", "per.olsen"):
        assert address not in done.stderr, done.stderr
