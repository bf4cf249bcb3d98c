"""Stopping the servers tests start themselves (Dovecot, Redis, ...): politely, then firmly; and small
HTTP servers that tests run in a thread of their own."""

from __future__ import annotations

import subprocess
import threading


def stop_process(proc: subprocess.Popen | None, timeout: float = 10) -> None:
    """SIGTERM, wait up to ``timeout`` seconds, then SIGKILL; nothing to do if it already exited."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


class ServerThread:
    """An HTTP server (werkzeug's make_server or http.server's) serving from a daemon thread inside a
    ``with`` block. On leaving it the server stops and closes its socket at once: new connections are
    refused (a stopped server, not a hanging one)."""

    def __init__(self, server):
        self.server = server
        self.thread = threading.Thread(target=server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
