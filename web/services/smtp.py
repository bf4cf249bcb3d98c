"""The SMTP server a municipality's outgoing mail goes through: its own (settings.mail.smtp) or the
installation's (SMTP_* configuration). Both chat-reply copies and e-mail case replies use this."""

from __future__ import annotations

from flask import current_app

from mail.outbound import SMTPSettings
from tinget.models import Municipality


def smtp_settings(m: Municipality) -> SMTPSettings | None:
    """``None`` when no SMTP server is configured (mail is then not sent, and nothing fails)."""
    cfg = current_app.config
    own = ((m.settings or {}).get("mail") or {}).get("smtp") or {}
    host = own.get("host") or cfg.get("SMTP_HOST")
    if not host:
        return None
    return SMTPSettings(host=host, port=int(own.get("port") or cfg.get("SMTP_PORT") or 25),
                        user=own.get("user") or cfg.get("SMTP_USER", ""),
                        password=cfg.get("SMTP_PASSWORD", ""),
                        starttls=bool(own.get("starttls", cfg.get("SMTP_STARTTLS"))),
                        timeout=float(cfg.get("SMTP_TIMEOUT") or 20.0))
