"""A logging filter that redacts personal data in log records: the second guard after redaction at
the entrance (a stray ``log.info("... %s", text)`` must not leak a national ID into a log file).

Records emitted from inside the redactor itself (spaCy/Presidio while loading or analysing) cannot
be redacted by it (same thread, engine lock held): our own ``privacy.*`` lines pass unchanged (they
never hold resident text), anything else is withheld."""

from __future__ import annotations

import logging

WITHHELD = "[log message withheld: redaction failed]"
FROM_INSIDE = "[log message from inside the redactor withheld]"


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        from privacy.redactor import busy

        if busy():
            if not record.name.startswith("privacy"):
                record.msg, record.args, record.exc_info, record.exc_text = FROM_INSIDE, None, None, None
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave the record to logging's own handling
            return True
        from privacy import redact

        try:
            clean = redact(message).text
        except Exception:
            clean = WITHHELD
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:  # a traceback's last line quotes the exception's message
            try:
                record.exc_text = redact(logging.Formatter().formatException(record.exc_info)).text
            except Exception:
                record.exc_text = WITHHELD
        return True
