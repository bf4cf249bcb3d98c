"""A mail server's settings: the municipality's own (``settings.mail.<kind>``), else the installation's
configuration (``<PREFIX>_<KEY>``). Outgoing SMTP (web.services.smtp) and the IMAP postbox
(web.services.mail) both read theirs through :class:`OwnOrConfig`."""

from __future__ import annotations

from typing import Any

from flask import current_app

from tinget.models import Municipality


def own_mail(m: Municipality) -> dict:
    """The municipality's own ``settings.mail`` (empty when it has none)."""
    return (m.settings or {}).get("mail") or {}


class OwnOrConfig:
    """``kind`` is the key under ``settings.mail`` ("smtp", "imap"); ``prefix`` the configuration's
    ("SMTP", "MAIL_IMAP"): the own key ``host`` falls back to ``<prefix>_HOST``."""

    def __init__(self, m: Municipality, kind: str, prefix: str):
        self.own = own_mail(m).get(kind) or {}
        self.cfg = current_app.config
        self.prefix = prefix

    def _key(self, key: str) -> str:
        return f"{self.prefix}_{key.upper()}"

    def value(self, key: str, default: Any = None) -> Any:
        """The own value when set (not empty), else the configuration's, else ``default``."""
        return self.own.get(key) or self.cfg.get(self._key(key), default)

    def flag(self, key: str, default: Any = None) -> bool:
        """A switch: the own value when present at all (``false`` turns off what the configuration turns on)."""
        return bool(self.own.get(key, self.cfg.get(self._key(key), default)))

    def config(self, key: str, default: Any = None) -> Any:
        """The installation's value only (secrets and timeouts are not per municipality)."""
        return self.cfg.get(self._key(key), default)
