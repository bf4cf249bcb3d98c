"""The app's Rasa client talks only to the Rasa servers it is given, never through a proxy from the
environment: residents' text must not leave the machine (and a stray HTTP_PROXY must not break the bot)."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time

import pytest

from tests.fake_rasa import fake_rasa
from web.services.rasa_client import RasaClient, RasaUnavailable


def _hei(body: dict) -> list:
    return [{"recipient_id": body["sender"], "text": "Hei", "custom": {"tinget": {"route": "answer"}}}]


def test_proxy_variables_are_ignored(monkeypatch):
    with fake_rasa(_hei) as (url, _):
        for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
            monkeypatch.setenv(var, "http://127.0.0.1:9")  # a dead proxy: used, it would refuse the connection
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        turn = RasaClient(url).send("c1", "Når er biblioteket åpent?", {})
        assert turn.texts == ["Hei"] and turn.payloads == [{"route": "answer"}]


def _recording(index: int, seen: list[list[str]]):
    """A fake Rasa server's reply that records the sender and says which server answered."""
    def reply(body: dict) -> list:
        seen[index].append(body["sender"])
        return [{"recipient_id": body["sender"], "text": f"server {index}"}]
    return reply


def test_several_rasa_servers_share_the_conversations_and_each_keeps_its_own():
    """RASA_URL with several servers: every conversation always goes to the same server (its tracker lock
    stays in one process), and the conversations are spread over all of them."""
    seen: list[list[str]] = [[] for _ in range(3)]
    with contextlib.ExitStack() as stack:
        urls = [stack.enter_context(fake_rasa(_recording(n, seen)))[0] for n in range(3)]
        client = RasaClient(" , ".join(f"{url}/" for url in urls))
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


def test_a_conversation_moves_to_the_next_server_only_while_its_own_is_down():
    seen: list[list[str]] = [[], []]
    with fake_rasa(_recording(1, seen)) as (second, _):
        with fake_rasa(_recording(0, seen)) as (first, _):
            port = int(first.rsplit(":", 1)[1])
            client = RasaClient(f"{first},{second}")
            sender = next(f"c{n}" for n in range(100) if client.servers_for(f"c{n}")[0].endswith(f":{port}"))
            client.send(sender, "Hei", {})
            assert seen == [[sender], []]
        # the first server is gone: connection refused from now on
        assert client.send(sender, "Hei igjen", {}).texts == ["server 1"]
        assert seen[1] == [sender]
        with fake_rasa(_recording(0, seen), port=port):  # back up: the conversation goes home
            assert client.send(sender, "Og nå?", {}).texts == ["server 0"]
            assert seen == [[sender, sender], [sender]]


@contextlib.contextmanager
def _closing_server(answer: bool = True):
    """A Rasa stand-in that answers each connection's first request with HTTP/1.1 keep-alive and then
    closes the connection, as a server does with a connection left idle too long (``answer=False``:
    closes without answering). Yields (url, the senders it read, the number of connections)."""
    seen, conns = [], [0]
    listener = socket.create_server(("127.0.0.1", 0))

    def serve():
        while True:
            try:
                sock, _ = listener.accept()
            except OSError:
                return
            conns[0] += 1
            with sock, sock.makefile("rb") as f:
                head = f.readline()
                length = 0
                while (line := f.readline()) not in (b"\r\n", b""):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                if not head:
                    continue
                seen.append(json.loads(f.read(length))["sender"])
                if answer:
                    body = json.dumps([{"recipient_id": seen[-1], "text": "Hei"}]).encode()
                    sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                 b"Content-Length: %d\r\n\r\n%s" % (len(body), body))

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", seen, conns
    finally:
        listener.close()


def test_a_kept_connection_the_server_closed_is_replaced_and_the_message_sent_once():
    with _closing_server() as (url, seen, conns):
        client = RasaClient(url)
        assert [client.send("c1", "Hei", {}).texts for _ in range(3)] == [["Hei"]] * 3
        assert seen == ["c1"] * 3 and conns[0] == 3  # each message read once, on a new connection
    with _closing_server(answer=False) as (url, seen, conns):  # a fresh connection closed unanswered
        with pytest.raises(RasaUnavailable, match="ConnectionError"):
            RasaClient(url).send("c2", "Hei", {})
        assert seen == ["c2"] and conns[0] == 1  # not sent again to the same server


def test_a_slow_rasa_is_not_sent_the_message_twice_and_bad_urls_fail_cleanly():
    seen: list[list[str]] = [[]]
    with fake_rasa(_recording(0, seen), delay=1.5) as (url, _):
        with pytest.raises(RasaUnavailable, match="ReadTimeout"):
            RasaClient(url, timeout=0.3).send("c3", "Hei", {})
        time.sleep(1.5)
        assert seen == [["c3"]]
    for bad in ("not a url", "http://127.0.0.1:notaport", "ftp://x"):
        with pytest.raises(RasaUnavailable, match="InvalidURL"):
            RasaClient(bad).send("c4", "Hei", {})
        assert RasaClient(bad).is_ready() is False


@contextlib.contextmanager
def _hung_server():
    """A Rasa that hangs (stopped, or its event loop blocked): the kernel accepts the connection into the
    listen backlog, but nothing ever reads the request or answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", listener.getsockname()[1]
    finally:
        listener.close()


def _timed(fn):
    start = time.monotonic()
    try:
        fn()
    except RasaUnavailable as exc:
        return time.monotonic() - start, str(exc)
    return time.monotonic() - start, "answered"


def test_after_a_hung_rasa_let_one_message_time_out_the_next_ones_fail_fast_until_it_answers_again():
    seen: list[list[str]] = [[]]
    with _hung_server() as (url, port):
        client = RasaClient(url, timeout=3.0)
        took, outcome = _timed(lambda: client.send("c1", "Hei", {}))
        assert outcome.endswith("ReadTimeout") and took >= 3.0  # the first waits the whole timeout
        for n in range(3):  # the next ones are told within about the probe's 1 s, not 3 s each
            took, outcome = _timed(lambda n=n: client.send(f"c{n + 2}", "Hei", {}))
            assert outcome.endswith("ServerHung") and took < 2.0, (took, outcome)
    with fake_rasa(_recording(0, seen), port=port, status=lambda: {"model_file": "m.tar.gz"}):  # back again
        assert client.send("c9", "Hei", {}).texts == ["server 0"]
        assert seen == [["c9"]]
        assert client._servers[url].suspect_until == 0.0  # no probe before the next message


def test_a_conversation_leaves_a_hung_server_for_the_next_one():
    seen: list[list[str]] = [[], []]
    with _hung_server() as (hung, _port), fake_rasa(_recording(1, seen)) as (other, _):
        client = RasaClient(f"{hung},{other}", timeout=2.0)
        sender = next(s for s in (f"conv-{n}" for n in range(100)) if client.servers_for(s)[0] == hung)
        took, outcome = _timed(lambda: client.send(sender, "Hei", {}))
        assert outcome.endswith("ReadTimeout")  # it may still be working on this one: never sent twice
        took, outcome = _timed(lambda: client.send(sender, "Hei igjen", {}))
        assert outcome == "answered" and took < 2.0
        assert seen[1] == [sender]
