"""Fetching new mail from the municipality's postbox over IMAP (IMAPClient, a maintained library).

Unseen messages of the configured folder are fetched whole (``BODY.PEEK[]``: nothing is marked read
until the caller has stored the triage), then flagged ``\\Seen`` with :func:`mark_seen`. A message
fetched twice (e.g. after a crash before marking) is harmless: intake skips a Message-ID it has.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass

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


def connect(settings: IMAPSettings):
    from imapclient import IMAPClient

    context = ssl.create_default_context() if settings.use_ssl else None
    client = IMAPClient(settings.host, port=settings.port, ssl=settings.use_ssl, ssl_context=context,
                        timeout=settings.timeout)
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
