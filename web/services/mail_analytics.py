"""The e-mail channel in analytics: what triage decided per day and per department, how often a reply
went out automatically, and how often caseworkers overrode the triage.

Sources: ``MailItem`` rows of incoming mail (the triage decision as made) and the cases they opened
(the department a case is in now). An override is a mail case whose department differs from the one
triage chose (a caseworker reassigned it), or a set-aside mail someone restored as a case. Only
labels and counts are read; no text.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from web.extensions import db
from web.mail_models import MailItem
from web.models import Case

ACTIONS = ("auto_reply", "answer", "route", "set_aside")  # answer = an answer drafted, sent after a click


@dataclass
class MailReport:
    days: list[date] = field(default_factory=list)
    per_day: list[dict[str, int]] = field(default_factory=list)  # one Counter-like dict per day, keys ACTIONS
    departments: list[str] = field(default_factory=list)  # most mail first
    per_day_department: list[dict[str, int]] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)  # per ACTIONS key
    by_department: list[tuple[str, int, int]] = field(default_factory=list)  # triage department, kept, changed
    changes: list[tuple[str, str, int]] = field(default_factory=list)  # from, to, cases
    restored: int = 0  # set-aside mails restored as cases

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    @property
    def resident_mails(self) -> int:
        """Mails triage sent to an answer or a case (not set aside)."""
        return self.total - self.totals.get("set_aside", 0)

    @property
    def auto_reply_rate(self) -> float:
        return self.totals.get("auto_reply", 0) / self.resident_mails if self.resident_mails else 0.0

    @property
    def department_changes(self) -> int:
        return sum(changed for _d, _k, changed in self.by_department)

    @property
    def mail_cases(self) -> int:
        return sum(kept + changed for _d, kept, changed in self.by_department)

    @property
    def override_rate(self) -> float:
        """Department changes per mail case triage opened."""
        return self.department_changes / self.mail_cases if self.mail_cases else 0.0


def _day(value) -> date:
    return value.date() if isinstance(value, datetime) else date.fromisoformat(str(value)[:10])


def compute(municipality_id: int, days: list[date], lo: datetime, hi: datetime) -> MailReport:
    report = MailReport(days=list(days))
    rows = db.session.execute(
        select(MailItem.id, MailItem.received_at, MailItem.action, MailItem.auto_reply, MailItem.department,
               MailItem.case_id, MailItem.released_at)
        .where(MailItem.municipality_id == municipality_id, MailItem.direction == "in",
               MailItem.received_at >= lo, MailItem.received_at < hi)).all()
    per_day: dict[date, Counter] = defaultdict(Counter)
    per_dep_day: dict[date, Counter] = defaultdict(Counter)
    deps: Counter = Counter()
    first_item_of_case: dict[int, tuple[int, str]] = {}  # case -> (first mail id, the department triage chose)
    for item_id, received, action, auto, department, case_id, released in rows:
        key = "auto_reply" if action == "answer" and auto else action
        if key not in ACTIONS:
            continue
        d = _day(received)
        per_day[d][key] += 1
        if action != "set_aside" and department:
            per_dep_day[d][department] += 1
            deps[department] += 1
        if released is not None:
            report.restored += 1
        if case_id is not None and action in ("answer", "route") and department:
            if case_id not in first_item_of_case or item_id < first_item_of_case[case_id][0]:
                first_item_of_case[case_id] = (item_id, department)
    report.totals = {a: sum(c[a] for c in per_day.values()) for a in ACTIONS}
    report.per_day = [{a: per_day[d][a] for a in ACTIONS} for d in report.days]
    report.departments = [dep for dep, _n in deps.most_common()]
    report.per_day_department = [{dep: per_dep_day[d][dep] for dep in report.departments} for d in report.days]
    now_in = dict(db.session.execute(select(Case.id, Case.department).where(
        Case.id.in_(list(first_item_of_case)))).all()) if first_item_of_case else {}
    kept: Counter = Counter()
    changed: Counter = Counter()
    moves: Counter = Counter()
    for case_id, (_first, triaged) in first_item_of_case.items():
        current = now_in.get(case_id)
        if current is None:
            continue  # the case was deleted since
        if current == triaged:
            kept[triaged] += 1
        else:
            changed[triaged] += 1
            moves[(triaged, current)] += 1
    report.by_department = sorted(((dep, kept[dep], changed[dep]) for dep in set(kept) | set(changed)),
                                  key=lambda r: (-(r[1] + r[2]), r[0]))
    report.changes = [(a, b, n) for (a, b), n in sorted(moves.items(), key=lambda kv: (-kv[1], kv[0]))]
    return report

