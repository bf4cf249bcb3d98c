"""Talking to the Rasa server over its REST channel. Any failure becomes :class:`RasaUnavailable`,
which the caller turns into a case: a resident's message is never lost because Rasa is down.

``RASA_URL`` may list several servers, comma-separated (they share the tracker store and a Redis lock
store). Each conversation goes to the same server while it is up; when it refuses the connection the
next one in the list takes the message, so one server restarting does not turn messages into cases.

The HTTP is the standard library's ``http.client`` over kept-alive connections (a few per server, shared
by the app's threads): Rasa is our own server on the same machine or network, so no proxy from the
environment is ever used (residents' text must never leave through one), and a message costs about a
tenth of a millisecond of the app's CPU here (urllib3: a quarter; requests: half). A kept connection
that the server has closed while it was idle fails before Rasa reads anything; the message is then sent
once more on a new connection.

A server that let a message time out (hung: it accepted the connection but does not answer) is *suspect*
for :data:`SUSPECT_SECONDS`: before each message it is asked for ``/status`` with a :data:`PROBE_TIMEOUT`
timeout, and if it does not answer that either, the message goes to the next server or becomes a case at
once. Without this every resident waited the whole ``RASA_TIMEOUT`` (15 s) while Rasa hung, and the web
worker's threads were all held waiting, so the console stalled too. Any answer to the probe (even an error
status) ends the suspicion: the server is there again.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
import zlib
from dataclasses import dataclass
from urllib.parse import urlsplit

_HEADERS = {"Content-Type": "application/json"}
_KEEP = 10  # idle connections kept per server
SUSPECT_SECONDS = 30.0  # after a message timed out, the server is probed before each message this long
PROBE_TIMEOUT = 1.0  # a server that does not answer GET /status in this time is taken as hung


class RasaUnavailable(RuntimeError):
    pass


class _ReadTimeout(RasaUnavailable):
    """The server took the message but did not answer in time (it may still be working on it)."""


class _NotSent(Exception):
    """The server cannot have read the message (refused, unreachable, or closed before answering)."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


class _Server:
    """One Rasa server: where it is, and its idle kept-alive connections."""

    def __init__(self, url: str, timeout: float):
        parts = urlsplit(url)
        try:
            port = parts.port
        except ValueError:  # a port that is not a number
            port = None
            parts = parts._replace(scheme="")
        self.timeout = timeout
        self.valid = parts.scheme in ("http", "https") and bool(parts.hostname)  # else: every call fails
        self.host, self.port, self.https = parts.hostname, port, parts.scheme == "https"
        self.prefix = parts.path.rstrip("/")
        self._idle: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()
        self.suspect_until = 0.0  # time.monotonic() until which a message is preceded by a probe

    def answering(self) -> bool:
        """False if the server let a message time out lately and does not answer a probe now either."""
        if time.monotonic() >= self.suspect_until:
            return True
        try:
            self.request("GET", "/status", timeout=PROBE_TIMEOUT)
        except (_NotSent, RasaUnavailable):
            self.suspect_until = time.monotonic() + SUSPECT_SECONDS
            return False
        self.suspect_until = 0.0  # any answer: it is there again
        return True

    def _connection(self, timeout: float, fresh: bool) -> tuple[http.client.HTTPConnection, bool]:
        with self._lock:
            if fresh:  # the kept ones are likely closed too (the server restarted or timed them out)
                stale, self._idle = self._idle, []
                for conn in stale:
                    conn.close()
            elif self._idle:
                conn = self._idle.pop()
                conn.timeout = timeout
                if conn.sock is not None:
                    conn.sock.settimeout(timeout)
                return conn, True
        cls = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
        return cls(self.host, self.port, timeout=timeout), False

    def _keep(self, conn: http.client.HTTPConnection) -> None:
        with self._lock:
            if conn.sock is not None and len(self._idle) < _KEEP:
                self._idle.append(conn)
                return
        conn.close()

    def request(self, method: str, path: str, body: bytes | None = None,
                timeout: float | None = None) -> tuple[int, bytes]:
        """(status, body). Raises :class:`_NotSent`, or RasaUnavailable once the server may have read it."""
        timeout = timeout or self.timeout
        if not self.valid:
            raise _NotSent("InvalidURL")
        for attempt in (1, 2):
            conn, reused = self._connection(timeout, fresh=attempt == 2)
            try:
                if conn.sock is None:
                    conn.connect()
            except TimeoutError as exc:
                conn.close()
                raise _NotSent("ConnectTimeout") from exc
            except OSError as exc:
                conn.close()
                raise _NotSent("ConnectionError") from exc
            try:
                conn.request(method, self.prefix + path, body=body, headers=_HEADERS if body is not None else {})
                resp = conn.getresponse()
                data = resp.read()
            except TimeoutError as exc:  # Rasa may be working on it: never sent twice
                conn.close()
                raise _ReadTimeout("Rasa server unreachable: ReadTimeout") from exc
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as exc:
                conn.close()
                if reused and attempt == 1:
                    continue  # a kept connection the server had closed: once more on a new one
                raise _NotSent("ConnectionError") from exc
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                raise RasaUnavailable(f"Rasa server unreachable: {exc.__class__.__name__}") from exc
            if resp.will_close:
                conn.close()
            else:
                self._keep(conn)
            return resp.status, data
        raise AssertionError("the loop returns or raises")  # pragma: no cover


def _body(obj: dict) -> bytes:
    try:
        return json.dumps(obj, allow_nan=False).encode()
    except ValueError as exc:  # as requests' InvalidJSONError was
        raise RasaUnavailable("Rasa server unreachable: InvalidJSONError") from exc


def _decode(status: int, data: bytes):
    """The JSON body of a 200 answer; any other answer as RasaUnavailable."""
    if status != 200:
        raise RasaUnavailable(f"Rasa server answered {status}")
    try:
        return json.loads(data)
    except ValueError as exc:
        raise RasaUnavailable("Rasa server sent no JSON") from exc


@dataclass
class BotTurn:
    payloads: list[dict]  # the actions' "tinget" JSON payloads, in order
    texts: list[str]  # plain texts, if any action sent one


class RasaClient:
    def __init__(self, base_url: str, timeout: float = 15.0):
        self.base_urls = [u.strip().rstrip("/") for u in base_url.split(",") if u.strip()]
        self.base_url = self.base_urls[0]
        self.timeout = timeout
        self._servers = {url: _Server(url, timeout) for url in self.base_urls}

    def _json(self, method: str, base: str, path: str, body: dict | None = None, timeout: float | None = None):
        """GET or POST JSON to one server; any failure (unreachable, not 200, not JSON) as RasaUnavailable."""
        data = None if body is None else _body(body)
        try:
            return _decode(*self._servers[base].request(method, path, data, timeout))
        except _NotSent as exc:
            raise RasaUnavailable(f"Rasa server unreachable: {exc.name}") from exc

    def servers_for(self, sender: str) -> list[str]:
        """The servers in the order this conversation tries them (stable per conversation)."""
        start = zlib.crc32(sender.encode()) % len(self.base_urls)
        return self.base_urls[start:] + self.base_urls[:start]

    def send(self, sender: str, text: str, metadata: dict) -> BotTurn:
        body = _body({"sender": sender, "message": text, "metadata": metadata})
        order = self.servers_for(sender)
        for n, url in enumerate(order):
            server = self._servers[url]
            try:
                if not server.answering():
                    raise _NotSent("ServerHung")  # a CamelCase reason, like the others: kept in log lines
                status, data = server.request("POST", "/webhooks/rest/webhook", body)
                break
            except _ReadTimeout:
                server.suspect_until = time.monotonic() + SUSPECT_SECONDS
                raise
            except _NotSent as exc:  # refused, closed unread or hung: the next server may take it
                if n == len(order) - 1:
                    raise RasaUnavailable(f"Rasa server unreachable: {exc.name}") from exc
        items = _decode(status, data)
        payloads = [i["custom"]["tinget"] for i in items if isinstance(i.get("custom"), dict) and "tinget" in i["custom"]]
        texts = [i["text"] for i in items if i.get("text")]
        return BotTurn(payloads, texts)

    def parse(self, text: str, timeout: float | None = None) -> dict:
        """The model's NLU result for ``text`` (Rasa's ``/model/parse``): no conversation's tracker is read or
        written."""
        return self._json("POST", self.base_url, "/model/parse", {"text": text}, timeout)

    def status(self, timeout: float = 5.0) -> dict:
        """The first reachable server's status."""
        error: RasaUnavailable | None = None
        for url in self.base_urls:
            try:
                return self._json("GET", url, "/status", timeout=timeout)
            except RasaUnavailable as exc:
                error = exc
        raise RasaUnavailable(str(error))

    def is_ready(self) -> bool:
        try:
            return bool(self.status().get("model_file"))
        except RasaUnavailable:
            return False
