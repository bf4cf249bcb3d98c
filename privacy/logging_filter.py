"""A logging filter that redacts personal data in log records: the second guard after redaction at
the entrance (a stray ``log.info("... %s", text)`` must not leak a national ID into a log file)."""

from __future__ import annotations

import logging


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave the record to logging's own handling
            return True
        from privacy import redact

        try:
            clean = redact(message).text
        except Exception:
            clean = "[log message withheld: redaction failed]"
        if clean != message:
            record.msg, record.args = clean, None
        return True
