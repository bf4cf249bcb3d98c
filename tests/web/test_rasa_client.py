"""The app's Rasa client talks only to the Rasa servers it is given, never through a proxy from the
environment: residents' text must not leave the machine (and a stray HTTP_PROXY must not break the bot)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from web.services.rasa_client import RasaClient


class _FakeRasa(BaseHTTPRequestHandler):
    """A stand-in for Rasa's REST channel on loopback (a peer of ours over HTTP, not our own code)."""

    def do_POST(self):  # noqa: N802 - http.server's hook name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        reply = [{"recipient_id": body["sender"], "text": "Hei", "custom": {"tinget": {"route": "answer"}}}]
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def test_proxy_variables_are_ignored(monkeypatch):
    server = HTTPServer(("127.0.0.1", 0), _FakeRasa)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
            monkeypatch.setenv(var, "http://127.0.0.1:9")  # a dead proxy: used, it would refuse the connection
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        turn = RasaClient(f"http://127.0.0.1:{server.server_port}").send("c1", "Når er biblioteket åpent?", {})
        assert turn.texts == ["Hei"] and turn.payloads == [{"route": "answer"}]
    finally:
        server.shutdown()
        server.server_close()
