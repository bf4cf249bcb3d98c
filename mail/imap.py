"""Fetching new mail from the municipality's postbox over IMAP (IMAPClient, a maintained library).

Unseen messages of the configured folder are fetched whole (``BODY.PEEK[]``: nothing is marked read
until the caller has stored the triage), then flagged ``\\Seen`` with :func:`mark_seen`. A message
fetched twice (e.g. after a crash before marking) is harmless: intake skips a Message-ID it has.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass

from mail.netguard import AddressPolicy

MAX_FETCH = 500  # messages per poll; the next poll takes the rest


@dataclass
class IMAPSettings:
    host: str
    port: int = 993
    user: str = ""
    password: str = ""
    use_ssl: bool = True
    folder: str = "INBOX"
    timeout: float = 30.0
    # a server a municipality's admin named: connect only where this policy allows (None: the installation's)
    policy: AddressPolicy | None = None


def open_client(settings: IMAPSettings, timeout: float | None = None):
    """An IMAPClient connected (not logged in) to the server; through ``settings.policy`` when there is one:
    the socket goes to the addresses the policy checked, the name is kept for the TLS certificate check.
    Raises mail.netguard.AddressRefused (an OSError) for an address the policy refuses."""
    from imapclient import IMAPClient, imap4, tls

    timeout = settings.timeout if timeout is None else timeout
    context = ssl.create_default_context() if settings.use_ssl else None
    policy = settings.policy
    if policy is None:
        return IMAPClient(settings.host, port=settings.port, ssl=settings.use_ssl, ssl_context=context,
                          timeout=timeout)

    class Plain(imap4.IMAP4WithTimeout):
        def _create_socket(self, timeout=None):
            return policy.connect(self.host, self.port, timeout if timeout is not None else self._timeout)

    class TLS(tls.IMAP4_TLS):
        def _create_socket(self, timeout=None):
            sock = policy.connect(self.host, self.port, timeout if timeout is not None else self._timeout)
            return tls.wrap_socket(sock, self.ssl_context, self.host)

    class Guarded(IMAPClient):
        def _create_IMAP4(self):  # noqa: N802 (IMAPClient's name)
            connect_timeout = getattr(self._timeout, "connect", None)
            if self.ssl:
                return TLS(self.host, self.port, self.ssl_context, connect_timeout)
            return Plain(self.host, self.port, connect_timeout)

    return Guarded(settings.host, port=settings.port, ssl=settings.use_ssl, ssl_context=context, timeout=timeout)


def connect(settings: IMAPSettings):
    client = open_client(settings)
    client.login(settings.user, settings.password)
    client.select_folder(settings.folder)
    return client


def fetch_unseen(client, limit: int = MAX_FETCH) -> list[tuple[int, bytes]]:
    uids = sorted(client.search(["UNSEEN"]))[:limit]
    out: list[tuple[int, bytes]] = []
    for start in range(0, len(uids), 50):
        chunk = uids[start:start + 50]
        for uid, data in client.fetch(chunk, ["BODY.PEEK[]"]).items():
            raw = data.get(b"BODY[]") or b""
            out.append((uid, raw))
    return sorted(out)


def mark_seen(client, uids: list[int]) -> None:
    if uids:
        client.add_flags(uids, [b"\\Seen"])


def logout(client) -> None:
    """Log out at the end, quietly: the connection may already be gone (what went wrong is said already)."""
    try:
        client.logout()
    except Exception:  # noqa: S110
        pass
