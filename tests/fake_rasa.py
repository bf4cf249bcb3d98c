"""A stand-in for Rasa's REST channel on loopback: a peer of ours over HTTP, not our own code.

    with fake_rasa(lambda body: [{"recipient_id": body["sender"], "text": "Hei"}], delay=3) as (url, reached):
        ...  # point the app's RASA_URL at ``url``; ``reached`` is set when a message arrived
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextlib.contextmanager
def fake_rasa(reply: Callable[[dict], list], delay: float = 0.0,
              port: int = 0, status: Callable[[], dict] | None = None,
              keep_alive: bool = False) -> Iterator[tuple[str, threading.Event]]:
    """Answers every POST with ``reply(request JSON)`` after ``delay`` seconds (a Rasa under load), on
    ``port`` (a free one by default; a given one to bring a stopped server back); ``GET /status`` with
    ``status()`` when given (else 501, as a server without that endpoint).

    ``keep_alive``: HTTP/1.1 with kept-alive connections, as Rasa's Sanic server answers (for benchmarks/
    app_cpu.py). Off by default (HTTP/1.0, a connection per request): a stopped server then has no open
    connection left that would still answer the app."""
    reached = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1" if keep_alive else "HTTP/1.0"
        # A response's headers and body leave in one write, as Sanic sends them: written separately on a
        # kept-alive connection, the body waited for the client's delayed ACK (Nagle), ~40 ms a message.
        wbufsize = 1 << 16 if keep_alive else 0

        def do_POST(self):  # noqa: N802 - http.server's hook name
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            reached.set()
            if delay:
                time.sleep(delay)
            data = json.dumps(reply(json.loads(raw or b"{}"))).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # noqa: N802 - http.server's hook name
            if status is None or self.path != "/status":
                self.send_error(501)
                return
            data = json.dumps(status()).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", reached
    finally:
        server.shutdown()
        server.server_close()
