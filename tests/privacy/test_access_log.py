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


def _lines(logger_class, fmt: str, cases) -> list[str]:
    import datetime
    import io
    import logging

    from gunicorn.config import Config

    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", fmt)
    log = logger_class(cfg)
    out = io.StringIO()
    handler = logging.getLogger("gunicorn.access").handlers[0]
    handler.stream, stream = out, handler.stream
    try:
        for status, sent, path, micros in cases:
            resp = type("Resp", (), {"status": status, "sent": sent, "headers": [("Content-Type", "text/html")]})
            req = type("Req", (), {"headers": [("USER-AGENT", "Python-urllib/3.11"), ("X-Conversation-Token", "t")]})
            environ = {"REQUEST_METHOD": "POST", "PATH_INFO": path, "RAW_URI": path + "?q=Kari",
                       "QUERY_STRING": "q=Kari", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.1.2.3"}
            log.access(resp, req, environ, datetime.timedelta(microseconds=micros))
    finally:
        handler.stream = stream
    # the time atom is read from the clock: compare the lines without it
    return [line.split("] ", 1)[-1] for line in out.getvalue().splitlines()]


def test_access_logger_writes_what_gunicorns_logger_writes():
    """web.access_log builds only the atoms the format names: the same line as gunicorn's own logger (quotes
    in a path escaped, "-" for an unknown size), and gunicorn's own way for a format naming anything else."""
    from gunicorn.glogging import Logger

    from web.access_log import AccessLogger

    fmt = _procfile_format()
    cases = [("201 CREATED", 812, "/api/v1/conversations/abc/messages", 12345),
             ("404 NOT FOUND", None, '/a"b', 2_345_678), (200, 0, "/healthz", 999)]
    every = '%(t)s %(m)s %(U)s %(H)s %(s)s %(b)s %(B)s %(T)s %(D)s %(M)s %(L)s %(p)s'  # all built here
    for f in (fmt, every, '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(D)s %(L)s %(T)s %(H)s %(B)s {user-agent}i'):
        ours, theirs = _lines(AccessLogger, f, cases), _lines(Logger, f, cases)
        assert ours == theirs and len(ours) == 3, (ours, theirs)
    assert _lines(AccessLogger, fmt, cases)[1] == '"POST /a\\"b" 404 - 2345ms'


def _procfile_format() -> str:
    import runpy

    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))["access_log_format"]


def test_gunicorn_conf_uses_the_access_logger():
    import runpy

    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["logger_class"] == "web.access_log.AccessLogger"
