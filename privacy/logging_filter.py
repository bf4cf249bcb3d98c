"""A logging filter that redacts personal data in log records: the second guard after redaction at
the entrance (a stray ``log.info("... %s", text)`` must not leak a national ID into a log file).

Records emitted from inside the redactor itself (spaCy/Presidio while loading or analysing) cannot
be redacted by it (same thread, engine lock held): our own ``privacy.*`` lines pass unchanged (they
never hold resident text), anything else is withheld.

Class names and other CamelCase identifiers (``ReadTimeout``, ``MaxRetryError``, ``HTTPError``,
``HybridIntentClassifier``) are kept as they are: a log line "Rasa server unreachable: <PERSON>" tells
the operator nothing. Only a whole entity that is one such identifier is kept; a name next to it is
still redacted, and so are names of CamelCase shape (``McDonald``, ``DeVito``, ``MacLeod``)."""

from __future__ import annotations

import logging
import re

WITHHELD = "[log message withheld: redaction failed]"
FROM_INSIDE = "[log message from inside the redactor withheld]"

# A word with a capital after a lower-case letter or digit inside it (ReadTimeout, OSError, utf8Decoder,
# HTTPConnectionPool), also with its module path (requests.exceptions.ReadTimeout).
_IDENTIFIER = re.compile(r"(?<![\w.@])(?:[A-Za-z_][A-Za-z0-9_]*\.)*[A-Za-z]*(?:[a-z0-9][A-Z]|[A-Z]{2}[a-z])"
                         r"[A-Za-z0-9]*(?![\w@])")
# Surname prefixes that make a person's name look like an identifier (McDonald, MacLeod, DeVito, VanDyke).
_NAME_PREFIX = re.compile(r"(?:Mc|Mac|Fitz|De|Di|Da|Du|Del|La|Le|Van|Von|Ten|Ter|O)[A-Z][a-z]+")


def identifiers(message: str) -> list[str]:
    """The CamelCase/dotted/underscored identifiers in a log message, which are not personal data."""
    return [m for m in _IDENTIFIER.findall(message) if not _NAME_PREFIX.fullmatch(m)]


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
            clean = redact(message, allow=identifiers(message)).text
        except Exception:
            clean = WITHHELD
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:  # a traceback's last line quotes the exception's message
            try:
                trace = logging.Formatter().formatException(record.exc_info)
                record.exc_text = redact(trace, allow=identifiers(trace)).text
            except Exception:
                record.exc_text = WITHHELD
        return True
