"""Plain result types of the redactor and its placeholder form (no heavy imports here)."""

from __future__ import annotations

from dataclasses import dataclass, field

LABELS = ("PERSON", "NATIONAL_ID", "PHONE", "EMAIL", "ADDRESS", "BANK_ACCOUNT", "BIRTH_DATE")
LANGS = ("nb", "nn", "sv", "da", "fi", "en")

# Longest placeholder is "<BANK_ACCOUNT>" (14 characters): a redacted text is never longer than
# len(original) + MAX_GROWTH * len(entities).
MAX_GROWTH = 16


def placeholder(label: str) -> str:
    """What stands in a redacted text for a piece of personal data of ``label``: ``<LABEL>``."""
    return f"<{label}>"


def replace_entities(text: str, entities: list[Entity]) -> str:
    """``text`` with each of the sorted, non-overlapping ``entities`` replaced by its placeholder."""
    out, pos = [], 0
    for e in entities:
        out += [text[pos:e.start], placeholder(e.label)]
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


class RedactionError(ValueError):
    """Raised for input the redactor cannot take (anything that is not a ``str``).

    Contract for callers: if ``redact`` raises (this or anything else), the text must not be
    stored, logged, indexed or passed on; hold it back instead."""


@dataclass(frozen=True, order=True)
class Entity:
    """One piece of personal data: offsets into the ORIGINAL text (end exclusive)."""

    start: int
    end: int
    label: str
    score: float = field(default=1.0, compare=False)


@dataclass
class RedactionResult:
    """``text`` with every entity replaced by ``<LABEL>``; ``counts`` is label -> number (no values)."""

    text: str
    entities: list[Entity]
    counts: dict[str, int]
