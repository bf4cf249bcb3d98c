"""Everything runs on the municipality's machine: the Rasa server and the action server listen on the
loopback interface only, both as `make run` starts them (Procfile) and as the tests and benchmarks do
(bot/servers.py). The action server matters most: rasa-sdk has no --host option and its Sanic server
listens on every interface unless SANIC_HOST says otherwise."""

from __future__ import annotations

import shlex
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text("utf-8").splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip() and not line.startswith("#"))


def test_procfile_binds_every_server_to_loopback():
    procs = _procfile()
    assert shlex.split(procs["actions"])[0] == "SANIC_HOST=127.0.0.1"
    assert "--bind 127.0.0.1:" in procs["web"]
    serve = (ROOT / procs["rasa"].split()[0]).read_text("utf-8")
    assert "-i 127.0.0.1" in serve


@pytest.mark.rasa
def test_rasa_and_action_servers_listen_on_loopback_only(rasa_stack):
    for name in ("actions", "rasa"):
        proc = psutil.Process(rasa_stack.procs[name].pid)
        listening = [c.laddr for p in [proc, *proc.children(recursive=True)]
                     for c in p.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN]
        assert listening, f"{name} listens nowhere"
        assert {a.ip for a in listening} <= {"127.0.0.1", "::1"}, f"{name} listens on {listening}"
