"""The app's Rasa client talks only to the Rasa servers it is given, never through a proxy from the
environment: residents' text must not leave the machine (and a stray HTTP_PROXY must not break the bot)."""

from __future__ import annotations

from tests.fake_rasa import fake_rasa
from web.services.rasa_client import RasaClient


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
