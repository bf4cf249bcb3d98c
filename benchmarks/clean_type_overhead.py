"""What the text columns' cleaning type (tinget.db.CleanString/CleanText) costs per bound value.

Times 100k calls of ``process_bind_param`` and of the bind processor SQLAlchemy actually calls (on
SQLite and psycopg2), on typical resident message texts without control characters (the common case:
one regex search, no substitution), and one with a NUL. Also counts the text values a resident's answered
turn binds (web/services/turn_rows.py: the resident's message, one bot reply, the transparency record).

    .venv/bin/python benchmarks/clean_type_overhead.py
"""

from __future__ import annotations

import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy.dialects import postgresql, sqlite  # noqa: E402

from tinget.db import CleanString, CleanText  # noqa: E402

N = 100_000
TEXTS = {
    "short (22 chars)": "Når åpner biblioteket?",
    "typical (96 chars)": "Hei! Jeg lurer på hvordan jeg søker om barnehageplass til høsten, og hva det koster per måned?",
    "long (600 chars)": ("Jeg vil klage på vedtaket om hjemmetjenester for min mor. Hun har fått færre timer enn før, "
                         "selv om helsen hennes er blitt dårligere. ") * 4 + "Hvem kan jeg snakke med?",
    "with a NUL (96 chars)": "Hei! Jeg lurer på hvordan jeg søker om barnehageplass\x00 til høsten, og hva det koster per måned",
}


def per_call_us(fn, value) -> float:
    best = min(timeit.repeat(lambda: fn(value), number=N, repeat=5))
    return best / N * 1e6


def main() -> None:
    text_type, string_type = CleanText(), CleanString(16)
    noop = per_call_us(lambda v: v, "x")
    print(f"baseline: a Python call that returns its argument: {noop:.3f} µs")
    for label, value in TEXTS.items():
        direct = per_call_us(lambda v: text_type.process_bind_param(v, None), value)
        line = f"{label:24} process_bind_param {direct:.3f} µs"
        for name, dialect in (("sqlite", sqlite.dialect()), ("psycopg2", postgresql.psycopg2.dialect())):
            proc = text_type.bind_processor(dialect)
            line += f" | {name} bind processor {per_call_us(proc, value):.3f} µs"
        print(line)
    print(f"a code such as 'resident' (String(16)): {per_call_us(lambda v: string_type.process_bind_param(v, None), 'resident'):.3f} µs")

    from web.models import Message, TransparencyRecord

    def text_columns(model) -> int:
        return sum(isinstance(c.type, CleanString) for c in model.__table__.columns)

    values = 2 * text_columns(Message) + text_columns(TransparencyRecord) + 1  # + the conversation's lang
    print(f"text values bound by a resident's answered turn (message, one reply, record, lang): {values}")


if __name__ == "__main__":
    main()
