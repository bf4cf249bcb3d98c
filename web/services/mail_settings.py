"""A mail server's settings: the municipality's own (``settings.mail.<kind>``), else the installation's
configuration (``<PREFIX>_<KEY>``). Outgoing SMTP (web.services.smtp) and the IMAP postbox
(web.services.mail) both read theirs through :class:`OwnOrConfig`.

Passwords are never stored in the database. The installation's (``TINGET_IMAP_PASSWORD``,
``TINGET_SMTP_PASSWORD``) belongs to the installation's server and is sent to no other: a region's
municipalities share one installation, and an admin of one of them names the own server's host. Were
the installation's password sent to it, that admin could point the host at a server of their own and
receive the region's password with the next connection test (and read or send the other
municipalities' mail with it). A municipality's own server gets its own password from the environment,
``TINGET_IMAP_PASSWORD_<SLUG>`` / ``TINGET_SMTP_PASSWORD_<SLUG>`` (web.config.per_municipality), or none.

Nor may an admin make the server connect into the installation's own network: a municipality's own server
is connected to only through :func:`address_policy` (mail.netguard: never link-local or unspecified
addresses; with several municipalities no internal ones either, unless the operator allows them in
``TINGET_MAIL_ALLOWED_HOSTS``). The installation's servers are the operator's and are not checked.
"""

from __future__ import annotations

import re
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from mail.netguard import AddressPolicy
from tinget.models import Municipality

# the configuration's prefix -> the environment variable of its password
PASSWORD_ENV = {"SMTP": "TINGET_SMTP_PASSWORD", "MAIL_IMAP": "TINGET_IMAP_PASSWORD"}


def own_mail(m: Municipality) -> dict:
    """The municipality's own ``settings.mail`` (empty when it has none)."""
    return (m.settings or {}).get("mail") or {}


def own_domains(m: Municipality) -> list[str]:
    """The mail domains that are the municipality's own as the operator set it up (municipality file, not
    the admin's settings page): its contact address's, its departments' addresses' and its website's."""
    from urllib.parse import urlsplit

    found = [(m.settings or {}).get("email") or "", *(d.email or "" for d in m.departments)]
    domains = [a.rpartition("@")[2].strip().lower() for a in found if "@" in a]
    host = (urlsplit(m.website or "").hostname or "").lower()
    domains.append(host.removeprefix("www."))
    return sorted({d for d in domains if "." in d})


def sender_allowed(m: Municipality, address: str) -> bool:
    """May replies go out from ``address``? On the installation's SMTP server (the region's relay, trusted by
    every municipality's residents' mail servers) only from the municipality's own domains (or theirs
    below), never from another municipality's: an admin of one could otherwise send mail as the other.
    Through the municipality's own server any address: that server decides."""
    if OwnOrConfig(m, "smtp", "SMTP").own_server:
        return True
    domain = (address or "").rpartition("@")[2].strip().lower()
    return any(domain == d or domain.endswith("." + d) for d in own_domains(m))


def address_policy(kind: str) -> AddressPolicy:
    """Where a municipality's own ``kind`` ("imap", "smtp") server may be, and on which ports
    (mail.netguard): read at every connection, as the installation may have got its second municipality
    since the server was saved."""
    from web.extensions import db

    region = (db.session.scalar(select(func.count(Municipality.id))) or 0) > 1
    return AddressPolicy.of(region, current_app.config.get("MAIL_ALLOWED_HOSTS") or (), kind)


def slug_key(slug: str) -> str:
    """A slug as the end of an environment variable's name: ``sor-fron`` -> ``SOR_FRON``."""
    return re.sub(r"[^A-Z0-9]", "_", (slug or "").upper())


class OwnOrConfig:
    """``kind`` is the key under ``settings.mail`` ("smtp", "imap"); ``prefix`` the configuration's
    ("SMTP", "MAIL_IMAP"): the own key ``host`` falls back to ``<prefix>_HOST``.

    A municipality with a server of its own (an own ``host``) uses only its own values for it: neither
    the installation's user name nor its password go to a server the municipality's admin named."""

    def __init__(self, m: Municipality, kind: str, prefix: str):
        self.kind = kind
        self.own = own_mail(m).get(kind) or {}
        self.cfg = current_app.config
        self.prefix = prefix
        self.slug = m.slug

    @property
    def own_server(self) -> bool:
        return bool(self.own.get("host"))

    def _key(self, key: str) -> str:
        return f"{self.prefix}_{key.upper()}"

    def value(self, key: str, default: Any = None) -> Any:
        """The own value when set (not empty); else, for the installation's server, the configuration's;
        else ``default``."""
        if self.own_server:
            return self.own.get(key) or default
        return self.own.get(key) or self.cfg.get(self._key(key), default)

    def flag(self, key: str, default: Any = None) -> bool:
        """A switch: the own value when present at all (``false`` turns off what the configuration turns on)."""
        return bool(self.own.get(key, self.cfg.get(self._key(key), default)))

    def config(self, key: str, default: Any = None) -> Any:
        """The installation's value only (timeouts and the like, the same for every server)."""
        return self.cfg.get(self._key(key), default)

    def password(self) -> str:
        """The password for the server in use: the installation's for the installation's server, the
        municipality's own (``<PREFIX>_PASSWORDS[<SLUG>]``) for its own server, else none."""
        if not self.own_server:
            return self.config("password", "") or ""
        return (self.cfg.get(f"{self.prefix}_PASSWORDS") or {}).get(slug_key(self.slug), "") or ""

    def policy(self) -> AddressPolicy | None:
        """The address policy for the server in use: :func:`address_policy` for the municipality's own,
        None for the installation's (the operator's choice)."""
        return address_policy(self.kind) if self.own_server else None

    def password_env(self) -> str:
        """The environment variable the password of the server in use is read from (for the admin page)."""
        name = PASSWORD_ENV[self.prefix]
        return f"{name}_{slug_key(self.slug)}" if self.own_server else name
