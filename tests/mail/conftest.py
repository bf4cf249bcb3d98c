"""Fixtures for the mail channel: a real SMTP server (aiosmtpd) collecting what the app sends, the app
on a temporary database wired to it, and a builder for synthetic mails."""

from __future__ import annotations

import email
import email.policy
import shutil
import tempfile
from contextlib import contextmanager
from email.message import EmailMessage
from pathlib import Path

import pytest

from bot.servers import free_port
from tests.conftest import dispose, make_app
from tests.mail import dovecot

DATA = Path(__file__).parent / "data"


class SMTPSink:
    def __init__(self):
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


@contextmanager
def smtp_on_loopback(handler):
    """An aiosmtpd server on a free loopback port handing what it receives to ``handler`` (whose ``port`` it
    sets), stopped on leaving the block."""
    from aiosmtpd.controller import Controller

    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def smtp_sink():
    with smtp_on_loopback(SMTPSink()) as sink:
        yield sink


@pytest.fixture(scope="session")
def model_available():
    from bot.training import current_model

    if current_model() is None:
        pytest.skip("no trained Rasa model (run `make train`): mail triage reads its intents")
    return True


@pytest.fixture
def smtp_app(tmp_path, smtp_sink):
    """The app on a temporary database, its outgoing mail going to ``smtp_sink``."""
    app = make_app(tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_sink.port)
    yield app
    dispose(app)


@pytest.fixture
def mail_app(smtp_app, model_available):
    """:func:`smtp_app` for tests that triage mail (which reads the trained model's intents)."""
    return smtp_app


def build(body: str, subject: str = "Spørsmål", *, sender: str = "Kari Nordmann <kari.nordmann@example.org>",
          message_id: str | None = None, html: bool = False, **headers) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "postmottak@fjordvik.example"
    msg["Subject"] = subject
    msg["Date"] = "Mon, 02 Nov 2026 10:00:00 +0100"
    msg["Message-ID"] = message_id or email.utils.make_msgid(domain="example.org")
    for k, v in headers.items():
        msg[k.replace("_", "-")] = v
    msg.set_content(body, subtype="html" if html else "plain")
    return msg.as_bytes()


@pytest.fixture
def imap_server():
    """A throw-away Dovecot IMAP server on a loopback port (tests/mail/dovecot.py)."""
    if not dovecot.available():
        pytest.skip("dovecot is not installed (Debian: apt-get install dovecot-imapd)")
    # not under pytest's tmp_path: its parents are private to root, and dovecot's own users must read
    tmp = Path(tempfile.mkdtemp(prefix="tinget-dovecot-"))
    server = dovecot.Dovecot(tmp, free_port())
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
