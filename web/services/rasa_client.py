"""Talking to the Rasa server over its REST channel. Any failure becomes :class:`RasaUnavailable`,
which the caller turns into a case: a resident's message is never lost because Rasa is down."""

from __future__ import annotations

from dataclasses import dataclass

import requests


class RasaUnavailable(RuntimeError):
    pass


@dataclass
class BotTurn:
    payloads: list[dict]  # the actions' "tinget" JSON payloads, in order
    texts: list[str]  # plain texts, if any action sent one


class RasaClient:
    def __init__(self, base_url: str, timeout: float = 15.0):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._http = requests.Session()

    def send(self, sender: str, text: str, metadata: dict) -> BotTurn:
        try:
            resp = self._http.post(f"{self.base_url}/webhooks/rest/webhook",
                                   json={"sender": sender, "message": text, "metadata": metadata},
                                   timeout=self.timeout)
        except requests.RequestException as exc:
            raise RasaUnavailable(f"Rasa server unreachable: {exc.__class__.__name__}") from exc
        if resp.status_code != 200:
            raise RasaUnavailable(f"Rasa server answered {resp.status_code}")
        try:
            items = resp.json()
        except ValueError as exc:
            raise RasaUnavailable("Rasa server sent no JSON") from exc
        payloads = [i["custom"]["tinget"] for i in items if isinstance(i.get("custom"), dict) and "tinget" in i["custom"]]
        texts = [i["text"] for i in items if i.get("text")]
        return BotTurn(payloads, texts)

    def parse(self, text: str) -> dict:
        try:
            resp = self._http.post(f"{self.base_url}/model/parse", json={"text": text}, timeout=self.timeout)
            resp.raise_for_status()
            return resp.json()
        except (requests.RequestException, ValueError) as exc:
            raise RasaUnavailable(str(exc)) from exc

    def status(self) -> dict:
        try:
            resp = self._http.get(f"{self.base_url}/status", timeout=5)
            resp.raise_for_status()
            return resp.json()
        except (requests.RequestException, ValueError) as exc:
            raise RasaUnavailable(str(exc)) from exc

    def is_ready(self) -> bool:
        try:
            return bool(self.status().get("model_file"))
        except RasaUnavailable:
            return False
