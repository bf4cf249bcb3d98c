"""Stopping the servers tests start themselves (Dovecot, Redis, ...): politely, then firmly; and small
HTTP servers that tests run in a thread of their own."""

from __future__ import annotations

import socket
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


class LoopbackListener:
    """A TCP service on a free loopback port: a daemon thread accepts each connection and hands it to
    :meth:`handle` (by default: closed at once); :meth:`close` stops it. Subclasses set their own state
    before calling ``super().__init__()`` (the thread starts there)."""

    def __init__(self, backlog: int = 8):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(backlog)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.handle(conn)

    def handle(self, conn: socket.socket) -> None:
        conn.close()

    def close(self) -> None:
        self.sock.close()
