"""Talking to the Rasa server over its REST channel. Any failure becomes :class:`RasaUnavailable`,
which the caller turns into a case: a resident's message is never lost because Rasa is down.

``RASA_URL`` may list several servers, comma-separated (they share the tracker store and a Redis lock
store). Each conversation goes to the same server while it is up; when it refuses the connection the
next one in the list takes the message, so one server restarting does not turn messages into cases.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)

# Failures before the server can have processed the message (the next server may take it), and the names
# requests gives them (kept in the messages).
_NOT_SENT = (ConnectTimeoutError, ProtocolError)  # NewConnectionError is a ConnectTimeoutError
_NAMES = {NewConnectionError: "ConnectionError", ProtocolError: "ConnectionError",
          ConnectTimeoutError: "ConnectTimeout", ReadTimeoutError: "ReadTimeout"}


def _name(exc: Exception) -> str:
    return next((name for cls, name in _NAMES.items() if isinstance(exc, cls)), exc.__class__.__name__)


class RasaUnavailable(RuntimeError):
    pass


def _decode(resp):
    """The JSON body of a 200 answer; any other answer as RasaUnavailable."""
    if resp.status != 200:
        raise RasaUnavailable(f"Rasa server answered {resp.status}")
    try:
        return json.loads(resp.data)
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
        # One connection pool for every call. urllib3 directly: no per-call request preparation and hooks
        # (requests cost ~0.3 ms of CPU per message), and no HTTP(S)_PROXY from the environment — Rasa is
        # our own server and residents' text must never leave the machine through a proxy.
        self._pool = urllib3.PoolManager(num_pools=10, maxsize=10, retries=False)

    def _json(self, method: str, url: str, body: dict | None = None, timeout: float | None = None):
        """GET or POST JSON to one server; any failure (unreachable, not 200, not JSON) as RasaUnavailable."""
        try:
            data = None if body is None else json.dumps(body, allow_nan=False).encode()
            resp = self._pool.request(method, url, body=data, timeout=timeout or self.timeout, redirect=False,
                                      headers={"Content-Type": "application/json"} if data else None)
        except (HTTPError, ValueError) as exc:
            raise RasaUnavailable(f"Rasa server unreachable: {_name(exc)}") from exc
        return _decode(resp)

    def servers_for(self, sender: str) -> list[str]:
        """The servers in the order this conversation tries them (stable per conversation)."""
        start = zlib.crc32(sender.encode()) % len(self.base_urls)
        return self.base_urls[start:] + self.base_urls[:start]

    def send(self, sender: str, text: str, metadata: dict) -> BotTurn:
        try:
            body = json.dumps({"sender": sender, "message": text, "metadata": metadata}, allow_nan=False).encode()
        except ValueError as exc:  # as requests' InvalidJSONError was
            raise RasaUnavailable("Rasa server unreachable: InvalidJSONError") from exc
        resp = None
        for n, url in enumerate(self.servers_for(sender)):
            try:
                resp = self._pool.request("POST", f"{url}/webhooks/rest/webhook", body=body, timeout=self.timeout,
                                          headers={"Content-Type": "application/json"}, redirect=False)
                break
            except _NOT_SENT as exc:  # refused or reset: not processed, the next may take it
                if n == len(self.base_urls) - 1:
                    raise RasaUnavailable(f"Rasa server unreachable: {_name(exc)}") from exc
            except (HTTPError, ValueError) as exc:  # a timeout may have been processed: do not resend
                raise RasaUnavailable(f"Rasa server unreachable: {_name(exc)}") from exc
        items = _decode(resp)
        payloads = [i["custom"]["tinget"] for i in items if isinstance(i.get("custom"), dict) and "tinget" in i["custom"]]
        texts = [i["text"] for i in items if i.get("text")]
        return BotTurn(payloads, texts)

    def parse(self, text: str) -> dict:
        return self._json("POST", f"{self.base_url}/model/parse", {"text": text})

    def status(self) -> dict:
        """The first reachable server's status."""
        error: RasaUnavailable | None = None
        for url in self.base_urls:
            try:
                return self._json("GET", f"{url}/status", timeout=5)
            except RasaUnavailable as exc:
                error = exc
        raise RasaUnavailable(str(error))

    def is_ready(self) -> bool:
        try:
            return bool(self.status().get("model_file"))
        except RasaUnavailable:
            return False
