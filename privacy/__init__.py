"""Personal-data detection and redaction (Nordic IDs with checksums, phones, e-mails, ...).

``redact(text, lang=None, allow=())`` returns a :class:`RedactionResult` whose ``text`` has every
entity replaced by ``<LABEL>``; ``entities`` hold the original offsets; ``counts`` labels and counts
(what the transparency log keeps). Callers must not pass text on if redaction raises.
"""

from privacy.redactor import Entity, RedactionError, RedactionResult, Redactor, get_redactor, redact

__all__ = ["Entity", "RedactionError", "RedactionResult", "Redactor", "get_redactor", "redact"]
