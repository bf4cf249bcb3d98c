"""The web server's access log, as `make run` starts it (the Procfile's web line, run by a shell as honcho
does): each request's time, method, path, status and duration, never the client's address or the query
string (console searches and conversation tokens travel there)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request

import pytest

from bot.servers import free_port
from tests.conftest import ROOT


def _procfile_web_command() -> str:
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError("the Procfile has no web process")


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "gunicorn").exists(), reason=".venv missing: run `make install`")
def test_access_log_has_no_client_address_or_query(tmp_path):
    port = free_port()
    env = dict(os.environ, TINGET_PORT=str(port), TINGET_CONFIG="development", TINGET_INSTANCE=str(tmp_path),
               DATABASE_URL=f"sqlite:///{tmp_path / 'app.db'}", RASA_URL="http://127.0.0.1:9",
               TINGET_SUGGESTER="0", TINGET_SECRET_KEY="test-only")  # noqa: S106 - throw-away
    log = tmp_path / "web.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(["/bin/sh", "-c", _procfile_web_command()], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}/static/app.css?q=Kari+Nordmann&token=s3cret-token"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:
                    assert resp.status == 200
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, log.read_text()[-2000:]
                time.sleep(0.3)
        # gunicorn writes the access line after the response has gone out: wait for it before stopping the
        # server (CI once stopped it first, and the line was never written)
        while "/static/app.css" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    lines = [line for line in log.read_text().splitlines() if "/static/app.css" in line]
    assert lines, log.read_text()[-2000:]
    assert '"GET /static/app.css" 200' in lines[-1] and lines[-1].rstrip().endswith("ms")
    text = log.read_text()
    assert "Kari" not in text and "s3cret" not in text and "127.0.0.1 -" not in text
    assert "Python-urllib" not in text  # no user agent either
