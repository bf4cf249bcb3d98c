"""Nordic PII detection and redaction (Presidio-style recognizers, python-stdnum checksums).

    from privacy import redact
    result = redact("Jeg heter Kari Nordmann, fnr 010190 12345", lang="nb", allow=["55 00 00 00"])
    result.text      # "Jeg heter <PERSON>, fnr <NATIONAL_ID>"
    result.entities  # [Entity(start, end, label, score)] offsets in the original text
    result.counts    # {"PERSON": 1, "NATIONAL_ID": 1}  (what the transparency log stores)

Labels: PERSON NATIONAL_ID PHONE EMAIL ADDRESS BANK_ACCOUNT BIRTH_DATE. Importing this package is cheap;
spaCy/Presidio and the name lists load on first use (``get_redactor().warm_up()`` to preload).

Contract: ``redact`` raises ``RedactionError`` for non-``str`` input and otherwise never fails
on odd text; if it raises anyway, the caller must NOT store, log or pass the text on. The
redacted text is at most ``len(text) + 16 * len(entities)`` characters long."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

from privacy.types import (
    LABELS,
    LANGS,
    MAX_GROWTH,
    Entity,
    RedactionError,
    RedactionResult,
    placeholder,
    replace_entities,
)

if TYPE_CHECKING:
    from privacy.redactor import Redactor

__all__ = ["LABELS", "LANGS", "MAX_GROWTH", "Entity", "RedactionError", "RedactionResult", "Redactor",
           "get_redactor", "placeholder", "redact", "replace_entities"]

_default = None
_lock = threading.Lock()


def get_redactor() -> Redactor:
    """The process-wide Redactor (created on first call; engines load on first analysis)."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                from privacy.redactor import Redactor

                _default = Redactor()
    return _default


def redact(text: str, lang: str | None = None, allow: Iterable[str] = ()) -> RedactionResult:
    """Redact ``text`` with the default Redactor; ``allow`` = public values to keep (e.g. the
    municipality's own phone numbers)."""
    if not isinstance(text, str):
        raise RedactionError(f"redaction needs text (str), got {type(text).__name__}")
    return get_redactor().redact(text, lang, allow)


def __getattr__(name: str):
    if name == "Redactor":
        from privacy.redactor import Redactor

        return Redactor
    raise AttributeError(name)
