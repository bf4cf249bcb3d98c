"""The SMTP server a municipality's outgoing mail goes through: its own (settings.mail.smtp) or the
installation's (SMTP_* configuration). Both chat-reply copies and e-mail case replies use this."""

from __future__ import annotations

from mail.outbound import SMTPSettings
from tinget.models import Municipality
from web.services.mail_settings import OwnOrConfig


def smtp_settings(m: Municipality) -> SMTPSettings | None:
    """``None`` when no SMTP server is configured (mail is then not sent, and nothing fails)."""
    s = OwnOrConfig(m, "smtp", "SMTP")
    host = s.value("host")
    if not host:
        return None
    return SMTPSettings(host=host, port=int(s.value("port") or 25), user=s.value("user", ""),
                        password=s.password(), starttls=s.flag("starttls"),
                        timeout=float(s.config("timeout") or 20.0), policy=s.policy())
