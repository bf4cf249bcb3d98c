"""A logging filter that redacts personal data in log records: the second guard after redaction at
the entrance (a stray ``log.info("... %s", text)`` must not leak a national ID into a log file)."""

from __future__ import annotations

import logging
import threading

_busy = threading.local()


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(_busy, "active", False):
            # a record logged by the redactor itself (presidio logs at INFO while it analyses):
            # redacting it would call the redactor again, and again — endless recursion once the
            # root logger is at INFO. These records carry no resident text.
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave the record to logging's own handling
            return True
        from privacy import redact

        _busy.active = True
        try:
            clean = redact(message).text
        except Exception:
            clean = "[log message withheld: redaction failed]"
        finally:
            _busy.active = False
        if clean != message:
            record.msg, record.args = clean, None
        return True
