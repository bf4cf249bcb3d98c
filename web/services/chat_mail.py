"""E-mail copies of caseworker replies to chat residents who left an address (SMTP from settings).

(Cases that came in by e-mail are answered in their own thread by web.services.mail.)

The widget always shows the reply; e-mail is an extra copy. A failing SMTP server never loses the
reply: the failure is recorded on the message and shown to the caseworker.
"""

from __future__ import annotations

import logging
import re
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from mail.outbound import send
from privacy.crypto import DecryptionError, decrypt, encrypt
from tinget.text import first_control
from web.models import Case, Conversation, Message
from web.services.smtp import smtp_settings

log = logging.getLogger(__name__)
MAX_EMAIL_CHARS = 150  # encrypted it must fit the 300-character column
_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;.]{2,}$")


def valid_address(value: str) -> bool:
    """An address with a control character is refused, not cleaned: "kari\\x00@…" made "kari@…" could be
    someone else's mailbox, and the caseworker's reply would go there."""
    return len(value) <= MAX_EMAIL_CHARS and first_control(value) is None and bool(_EMAIL.match(value))


def store_address(conv: Conversation, address: str) -> None:
    conv.resident_email = encrypt(address, current_app.config["ENCRYPTION_KEY"]).decode() if address else ""


def resident_address(conv: Conversation) -> str:
    if not conv.resident_email:
        return ""
    try:
        return decrypt(conv.resident_email, current_app.config["ENCRYPTION_KEY"])
    except DecryptionError:
        log.warning("the e-mail address of conversation %s cannot be decrypted", conv.id)
        return ""


def compose(case: Case, reply: Message, to: str) -> EmailMessage:
    """The reply as an e-mail in the resident's language (the case's language)."""
    from kb.render import markdown_to_text

    conv = case.conversation
    municipality = conv.municipality
    sender = current_app.config["MAIL_FROM"]
    with force_locale(case.lang):
        subject = _("Answer to your inquiry to %(municipality)s (case %(case)d)",
                    municipality=municipality.name, case=case.id)
        intro = _("A caseworker at %(municipality)s has answered your question:", municipality=municipality.name)
        outro = _("You can answer in the chat on our website; your answer goes to the same case. "
                  "Please do not send national identity numbers by e-mail.")
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(idstring=f"case{case.id}.msg{reply.id}", domain=sender.rpartition("@")[2] or None)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(f"{intro}\n\n{markdown_to_text(reply.text)}\n\n-- \n{outro}\n")
    msg["Content-Language"] = case.lang  # after set_content, which replaces the Content-* headers
    return msg


def send_reply(case: Case, reply: Message) -> str | None:
    """Send the reply by e-mail if the resident left an address and SMTP is configured.

    Returns "sent", "failed" or None (nothing to send); the outcome and the Message-ID are kept on the
    message's meta (never the address)."""
    to = resident_address(case.conversation)
    settings = smtp_settings(case.conversation.municipality) if to else None
    if settings is None:
        return None
    msg = compose(case, reply, to)
    try:
        send(msg, settings)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("e-mail for case %s not sent: %s", case.id, type(exc).__name__)
        reply.meta = {**reply.meta, "mail": "failed"}
        return "failed"
    reply.meta = {**reply.meta, "mail": "sent", "mail_message_id": msg["Message-ID"]}
    return "sent"
