"""The audit log of one municipality, as its admin (or data protection officer) exports it.

Who did what, when, to which object: the stored codes and English details, as the transparency log's export
keeps its codes (a stable record for the officer's own tools). Never another municipality's events, and not the
installation's own (retention's pending tracker deletions name no municipality)."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import select

from web.extensions import db
from web.models import AuditEvent

COLUMNS = ("created_at", "actor", "action", "target", "details")


def events(municipality_id: int) -> list[AuditEvent]:
    """The municipality's audit events, newest first."""
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.municipality_id == municipality_id)
                                   .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())))


def to_csv(rows: list[AuditEvent]) -> str:
    """CSV of the events; a cell that a spreadsheet would run as a formula (=, +, -, @ first) is quoted with
    a leading apostrophe: a department's name or a note is typed by staff."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for e in rows:
        writer.writerow([_cell(v) for v in (e.created_at.isoformat(timespec="seconds"), e.actor, e.action,
                                             e.target, json.dumps(e.details or {}, ensure_ascii=False,
                                                                  sort_keys=True))])
    return out.getvalue()


def _cell(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
