"""Replies by e-mail in the resident's thread, and the loop guards around them.

A reply carries its own Message-ID, ``In-Reply-To`` the resident's Message-ID and ``References`` the
thread, so the resident's mail client shows it in the same conversation. Automatic replies are marked
``Auto-Submitted: auto-replied`` (RFC 3834) and ``X-Auto-Response-Suppress: All``, so well-behaved
auto-responders do not answer them; our own intake sets aside anything with such headers (see
:func:`mail.classify.is_auto_reply`), which breaks a loop from our side too.
"""

from __future__ import annotations

import re
import smtplib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

from mail.netguard import AddressPolicy
from privacy.types import LABELS

LOOP_HEADER = "X-Tinget-Loop"
# The stored subject is redacted; the resident must not get "Re: Bostøtte for <PERSON> født <BIRTH_DATE>"
_PLACEHOLDER = re.compile(r"\s*<(?:" + "|".join(LABELS) + r")>")


@dataclass
class SMTPSettings:
    host: str
    port: int = 25
    user: str = ""
    password: str = ""
    starttls: bool = False
    timeout: float = 20.0
    # a server a municipality's admin named: connect only where this policy allows (None: the installation's)
    policy: AddressPolicy | None = None


class GuardedSMTP(smtplib.SMTP):
    """smtplib.SMTP whose socket goes only to the addresses ``policy`` checked (mail.netguard); the name
    stays the server's for STARTTLS's certificate check."""

    def __init__(self, host: str, port: int, *, policy: AddressPolicy, timeout: float):
        self._policy = policy
        super().__init__(host, port, timeout=timeout)

    def _get_socket(self, host, port, timeout):
        return self._policy.connect(host, port, timeout)


def open_smtp(settings: SMTPSettings, timeout: float | None = None) -> smtplib.SMTP:
    """A connection to the server (greeted, not logged in). Raises mail.netguard.AddressRefused (an OSError)
    for an address ``settings.policy`` refuses."""
    timeout = settings.timeout if timeout is None else timeout
    if settings.policy is None:
        return smtplib.SMTP(settings.host, settings.port, timeout=timeout)
    return GuardedSMTP(settings.host, settings.port, policy=settings.policy, timeout=timeout)


# The case's number in a reply's subject ("Re: Søknad barnehage [#12]"): a resident's mail program that
# drops In-Reply-To/References (a new mail, a forward, some webmail) keeps the subject, so the answer
# still finds its case (web.services.mail, with the sender's address as the case's).
CASE_TAG = re.compile(r"\[#(\d{1,12})\]")


def case_in_subject(subject: str) -> int | None:
    """The case number a subject carries (CASE_TAG), the last one if several."""
    found = CASE_TAG.findall(subject or "")
    return int(found[-1]) if found else None


def _re(subject: str, case: int | None = None) -> str:
    """``Re:`` and the resident's subject as stored (redacted), with each placeholder left out as "…", and
    the case's tag unless the subject has it."""
    subject = " ".join(_PLACEHOLDER.sub(" …", subject or "").split())
    subject = subject if subject.lower().startswith(("re:", "sv:", "vs:")) else f"Re: {subject}".strip()
    return subject if case is None or case_in_subject(subject) == case else f"{subject} [#{case}]"


def compose_reply(*, from_addr: str, from_name: str, to: str, subject: str, body: str, in_reply_to: str,
                  references: list[str] | None = None, automatic: bool = False, domain: str | None = None,
                  lang: str = "nb", case: int | None = None) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = formataddr((from_name, from_addr)) if from_name else from_addr
    msg["To"] = to
    msg["Subject"] = _re(subject, case)
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = make_msgid(domain=domain or from_addr.rpartition("@")[2] or None)
    if in_reply_to:
        msg["In-Reply-To"] = f"<{in_reply_to}>"
        refs = [r for r in (references or []) if r and r != in_reply_to][-10:] + [in_reply_to]
        msg["References"] = " ".join(f"<{r}>" for r in refs)
    msg[LOOP_HEADER] = "1"
    if automatic:
        msg["Auto-Submitted"] = "auto-replied"
        msg["X-Auto-Response-Suppress"] = "All"
        msg["Precedence"] = "auto_reply"
    msg.set_content(body)
    msg["Content-Language"] = lang  # after set_content, which replaces the Content-* headers
    return msg


def message_id_of(msg: EmailMessage) -> str:
    return str(msg["Message-ID"]).strip().strip("<>")


def send(msg: EmailMessage, settings: SMTPSettings) -> None:
    """Send through the configured SMTP server; raises ``smtplib.SMTPException``/``OSError`` on failure."""
    with open_smtp(settings) as smtp:
        if settings.starttls:
            smtp.starttls()
        if settings.user:
            smtp.login(settings.user, settings.password)
        smtp.send_message(msg)
