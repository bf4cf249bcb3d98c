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


def _fake_rasa_servers(n: int) -> tuple[list[HTTPServer], list[list[str]]]:
    """n fake Rasa servers on loopback; seen[i] lists the senders server i answered."""
    seen: list[list[str]] = [[] for _ in range(n)]
    servers = []
    for i in range(n):
        class Recording(_FakeRasa):
            index = i

            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                seen[self.index].append(body["sender"])
                data = json.dumps([{"recipient_id": body["sender"], "text": f"server {self.index}"}]).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        server = HTTPServer(("127.0.0.1", 0), Recording)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    return servers, seen


def test_several_rasa_servers_share_the_conversations_and_each_keeps_its_own():
    """RASA_URL with several servers: every conversation always goes to the same server (its tracker lock
    stays in one process), and the conversations are spread over all of them."""
    servers, seen = _fake_rasa_servers(3)
    try:
        client = RasaClient(" , ".join(f"http://127.0.0.1:{s.server_port}/" for s in servers))
        assert len(client.base_urls) == 3
        senders = [f"conversation-{n}" for n in range(60)]
        for _ in range(3):
            for sender in senders:
                turn = client.send(sender, "Hei", {})
                assert turn.texts[0] == "server " + str(client.base_urls.index(client.servers_for(sender)[0]))
        for n in range(3):
            assert len(seen[n]) >= 30  # 60 conversations x 3 messages: each server takes a fair share
        owners = {sender: {n for n in range(3) if sender in seen[n]} for sender in senders}
        assert all(len(servers_of) == 1 for servers_of in owners.values())  # sticky
        assert client.servers_for("conversation-1") == client.servers_for("conversation-1")
        assert sorted(client.servers_for("conversation-1")) == sorted(client.base_urls)  # every one, once
    finally:
        for s in servers:
            s.shutdown()
            s.server_close()


def test_a_conversation_moves_to_the_next_server_only_while_its_own_is_down():
    servers, seen = _fake_rasa_servers(2)
    try:
        client = RasaClient(",".join(f"http://127.0.0.1:{s.server_port}" for s in servers))
        sender = next(f"c{n}" for n in range(100) if client.servers_for(f"c{n}")[0].endswith(
            f":{servers[0].server_port}"))
        client.send(sender, "Hei", {})
        assert seen == [[sender], []]
        port = servers[0].server_port
        servers[0].shutdown()
        servers[0].server_close()  # connection refused from now on
        assert client.send(sender, "Hei igjen", {}).texts == ["server 1"]
        assert seen[1] == [sender]
        restarted = HTTPServer(("127.0.0.1", port), servers[0].RequestHandlerClass)  # records into seen[0]
        threading.Thread(target=restarted.serve_forever, daemon=True).start()
        try:  # back up: the conversation goes home
            assert client.send(sender, "Og nå?", {}).texts == ["server 0"]
            assert seen == [[sender, sender], [sender]]
        finally:
            restarted.shutdown()
            restarted.server_close()
    finally:
        servers[1].shutdown()
        servers[1].server_close()
