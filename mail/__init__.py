"""The e-mail channel: parse a delivered mail, redact it at once, triage it (answer, route or set aside).

This package imports only "down" the stack (``privacy``, ``tinget``, ``suggester``); the web layer
(``web/services/mail.py``) turns its decisions into cases, replies and transparency records.

    from mail.parse import read_mail
    mail = read_mail(raw_bytes, allow=PublicValues(municipality))   # parsed and redacted (web.services.public_values)
"""
