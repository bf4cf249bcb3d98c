"""A small, dependable redactor: e-mail addresses, national ID numbers validated with their
checksums (python-stdnum), phone numbers and Norwegian account numbers."""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from stdnum.dk import cpr
from stdnum.fi import hetu
from stdnum.no import fodselsnummer, kontonr
from stdnum.se import personnummer

LABELS = ("PERSON", "NATIONAL_ID", "PHONE", "EMAIL", "ADDRESS", "BANK_ACCOUNT")


class RedactionError(TypeError):
    pass


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    label: str
    score: float = 1.0


@dataclass
class RedactionResult:
    text: str
    entities: list[Entity] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(e.label for e in self.entities))


EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}")
NO_ID = re.compile(r"(?<!\d)(\d{6})[ .]?(\d{5})(?!\d)")
SE_ID = re.compile(r"(?<!\d)(\d{2})?(\d{6})([-+ ]?)(\d{4})(?!\d)")
DK_ID = re.compile(r"(?<!\d)(\d{6})-?(\d{4})(?!\d)")
FI_ID = re.compile(r"(?<![\w])(\d{6}[-+ABCDEFUVWXY]\d{3}[0-9A-Y])(?![\w])", re.IGNORECASE)
ACCOUNT = re.compile(r"(?<!\d)(\d{4})[ .]?(\d{2})[ .]?(\d{5})(?!\d)")
PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)(?:47|46|45|358|44|1)[ -]?)?(?:\d[ -]?){7,10}\d(?![\w])")


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


class Redactor:
    def __init__(self) -> None:
        self._lock = threading.Lock()

    def analyze(self, text: str, lang: str | None = None, allow: Iterable[str] = ()) -> list[Entity]:
        if not isinstance(text, str):
            raise RedactionError(f"text must be str, not {type(text).__name__}")
        found: list[Entity] = [Entity(m.start(), m.end(), "EMAIL") for m in EMAIL.finditer(text)]
        for m in NO_ID.finditer(text):
            if fodselsnummer.is_valid(m.group(1) + m.group(2)):
                found.append(Entity(m.start(), m.end(), "NATIONAL_ID"))
        for m in SE_ID.finditer(text):
            if personnummer.is_valid(m.group(0).replace(" ", "-")):
                found.append(Entity(m.start(), m.end(), "NATIONAL_ID"))
        for m in DK_ID.finditer(text):
            if cpr.is_valid(m.group(1) + m.group(2)):
                found.append(Entity(m.start(), m.end(), "NATIONAL_ID", 0.9))
        for m in FI_ID.finditer(text):
            if hetu.is_valid(m.group(1)):
                found.append(Entity(m.start(), m.end(), "NATIONAL_ID"))
        for m in ACCOUNT.finditer(text):
            if kontonr.is_valid(_digits(m.group(0))):
                found.append(Entity(m.start(), m.end(), "BANK_ACCOUNT", 0.9))
        allowed = {_digits(a)[-8:] for a in allow if _digits(a)}
        for m in PHONE.finditer(text):
            digits = _digits(m.group(0))
            if len(digits) >= 8 and digits[-8:] not in allowed:
                found.append(Entity(m.start(), m.end(), "PHONE", 0.6))
        return _resolve(found)

    def redact(self, text: str, lang: str | None = None, allow: Iterable[str] = ()) -> RedactionResult:
        entities = self.analyze(text, lang, allow)
        out, last = [], 0
        for e in entities:
            out.append(text[last:e.start])
            out.append(f"<{e.label}>")
            last = e.end
        out.append(text[last:])
        return RedactionResult("".join(out), entities)


def _resolve(found: list[Entity]) -> list[Entity]:
    """Non-overlapping entities, preferring the more specific (higher score, then longer)."""
    chosen: list[Entity] = []
    for e in sorted(found, key=lambda e: (-e.score, -(e.end - e.start), e.start)):
        if all(e.end <= c.start or e.start >= c.end for c in chosen):
            chosen.append(e)
    return sorted(chosen, key=lambda e: e.start)


_DEFAULT: Redactor | None = None


def get_redactor() -> Redactor:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Redactor()
    return _DEFAULT


def redact(text: str, lang: str | None = None, allow: Iterable[str] = ()) -> RedactionResult:
    return get_redactor().redact(text, lang, allow)
