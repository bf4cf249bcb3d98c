"""What the assistant achieved for one municipality over a date range, computed from redacted rows only.

Sources: conversations (started per day), transparency records (one per resident message: route,
intent, language), cases (time to the first caseworker reply), drafts (accepted, edited, rejected)
and the e-mail channel's triage decisions (web.services.mail_analytics).
Conversations per day and the bot's answered/handed-over figures are the chat's: every mail becomes a case
(it would count as handed over even when answered automatically), and a mail's drafted answer is no
answer the resident got; the mail section has its own figures.
Originals (``CaseOriginal``) are never read here.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import case as when
from sqlalchemy import func, select

from web.extensions import db
from web.mail_models import MailItem
from web.models import Case, Conversation, Draft, Message, TransparencyRecord
from web.services import mail_analytics
from web.services.mail_analytics import MailReport

BOT_ROUTES = ("answer", "chitchat", "clarify")  # the bot kept the conversation
HANDED_ROUTES = ("handoff", "out_of_scope")  # a caseworker takes over
MAX_DAYS = 366
DEFAULT_DAYS = 30
# Upper bounds (hours) of the time-to-first-reply buckets; the last bucket is open.
REPLY_BUCKETS = (1, 4, 24, 72)

NO_INTENT = "(none)"  # the key of messages no intent was predicted for (the bot was down)


class RangeError(ValueError):
    pass


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date  # inclusive

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        """From the start's midnight to the midnight after the end (exclusive); the last day a date holds,
        9999-12-31, has no day after it and ends at the last moment there is (it was an OverflowError: a 500)."""
        hi = (datetime.combine(self.end + timedelta(days=1), datetime.min.time()) if self.end < date.max
              else datetime.max)
        return datetime.combine(self.start, datetime.min.time()), hi


def parse_range(start: str | None, end: str | None, today: date) -> DateRange:
    """A range from ``YYYY-MM-DD`` strings; missing ends default to the last 30 days up to today."""
    try:
        end_d = date.fromisoformat(end) if end else today
        start_d = date.fromisoformat(start) if start else end_d - timedelta(days=DEFAULT_DAYS - 1)
    except ValueError as exc:
        raise RangeError("Dates must be written as YYYY-MM-DD.") from exc
    if start_d > end_d:
        raise RangeError("The start date is after the end date.")
    if (end_d - start_d).days + 1 > MAX_DAYS:
        raise RangeError("Choose a range of at most 366 days.")
    return DateRange(start_d, end_d)


def default_range(today: date) -> DateRange:
    return DateRange(today - timedelta(days=DEFAULT_DAYS - 1), today)


@dataclass
class Split:
    """Resident messages the bot answered vs handed over, for one key (intent or language)."""

    key: str
    answered: int = 0
    handed_over: int = 0

    @property
    def total(self) -> int:
        return self.answered + self.handed_over

    @property
    def share_answered(self) -> float:
        return self.answered / self.total if self.total else 0.0


@dataclass
class Report:
    range: DateRange
    per_day: list[tuple[date, int, int]] = field(default_factory=list)  # day, conversations, of them handed over
    by_intent: list[Split] = field(default_factory=list)
    by_lang: list[Split] = field(default_factory=list)
    overall: Split = field(default_factory=lambda: Split("all"))
    drafts: dict[str, int | float] = field(default_factory=dict)
    reply_hours: dict[str, float | int | None] = field(default_factory=dict)
    reply_buckets: list[tuple[str, int]] = field(default_factory=list)
    unanswered: list[dict] = field(default_factory=list)
    mail: MailReport = field(default_factory=MailReport)

    @property
    def conversations(self) -> int:
        return sum(n for _, n, _ in self.per_day)


def compute(municipality_id: int, rng: DateRange, top: int = 10) -> Report:
    report = Report(rng)
    lo, hi = rng.bounds
    _per_day(report, municipality_id, lo, hi)
    _routes(report, municipality_id, lo, hi)
    _drafts(report, municipality_id, lo, hi)
    _reply_times(report, municipality_id, lo, hi)
    _unanswered(report, municipality_id, lo, hi, top)
    report.mail = mail_analytics.compute(municipality_id, rng.days, lo, hi)
    return report


def _day(value) -> date:
    return value if isinstance(value, date) and not isinstance(value, datetime) else date.fromisoformat(str(value)[:10])


def _per_day(report: Report, mid: int, lo: datetime, hi: datetime) -> None:
    has_case = select(Case.id).where(Case.conversation_id == Conversation.id).exists()
    day = func.date(Conversation.created_at)
    rows = db.session.execute(
        select(day, func.count(Conversation.id), func.sum(when((has_case, 1), else_=0)))
        .where(Conversation.municipality_id == mid, Conversation.channel == "chat",
               Conversation.created_at >= lo, Conversation.created_at < hi)
        .group_by(day)).all()
    counts = {_day(d): (int(n), int(h or 0)) for d, n, h in rows}
    report.per_day = [(d, *counts.get(d, (0, 0))) for d in report.range.days]


def _routes(report: Report, mid: int, lo: datetime, hi: datetime) -> None:
    R = TransparencyRecord
    rows = db.session.execute(
        select(R.intent, R.lang, R.route, func.count(R.id))
        .where(R.municipality_id == mid, R.channel == "chat", R.created_at >= lo, R.created_at < hi,
               R.route.in_(BOT_ROUTES + HANDED_ROUTES))
        .group_by(R.intent, R.lang, R.route)).all()
    intents: dict[str, Split] = {}
    langs: dict[str, Split] = {}
    for intent, lang, route, n in rows:
        for table, key in ((intents, intent or NO_INTENT), (langs, lang or "?"), ({"all": report.overall}, "all")):
            split = table.setdefault(key, Split(key))
            if route in BOT_ROUTES:
                split.answered += n
            else:
                split.handed_over += n
    report.by_intent = sorted(intents.values(), key=lambda s: (-s.total, s.key))
    report.by_lang = sorted(langs.values(), key=lambda s: (-s.total, s.key))


def _auto_replied():
    """The cases a mail auto-reply answered: no caseworker replied, nor chose a draft (the mail section counts
    them). Its first_reply_at is the second the mail came in and its first draft is marked sent."""
    return (select(MailItem.case_id)
            .where(MailItem.direction == "out", MailItem.auto_reply.is_(True), MailItem.case_id.is_not(None)))


def _drafts(report: Report, mid: int, lo: datetime, hi: datetime) -> None:
    """Of the answered cases that had drafts to offer: how often a caseworker sent one (as is or edited)."""
    rows = db.session.execute(
        select(Draft.case_id, Draft.status)
        .join(Case, Case.id == Draft.case_id)
        .where(Case.municipality_id == mid, Case.created_at >= lo, Case.created_at < hi,
               Case.first_reply_at.is_not(None), Case.id.not_in(_auto_replied()))).all()
    statuses: dict[int, set[str]] = defaultdict(set)
    for case_id, status in rows:
        statuses[case_id].add(status)
    offered = [s for s in statuses.values() if s - {"no_good"}]
    accepted = sum(1 for s in offered if "accepted" in s)
    edited = sum(1 for s in offered if "edited" in s and "accepted" not in s)
    report.drafts = {
        "cases_with_drafts": len(offered),
        "accepted": accepted,
        "edited": edited,
        "written_anew": len(offered) - accepted - edited,
        "no_good_draft": sum(1 for s in statuses.values() if not s - {"no_good"}),
        "acceptance_rate": (accepted + edited) / len(offered) if offered else 0.0,
    }


def _reply_times(report: Report, mid: int, lo: datetime, hi: datetime) -> None:
    rows = db.session.execute(
        select(Case.created_at, Case.first_reply_at)
        .where(Case.municipality_id == mid, Case.created_at >= lo, Case.created_at < hi,
               Case.id.not_in(_auto_replied()))).all()
    hours = sorted((r - c).total_seconds() / 3600 for c, r in rows if r is not None)
    waiting = sum(1 for _, r in rows if r is None)
    report.reply_hours = {
        "replied": len(hours), "waiting": waiting,
        "median": statistics.median(hours) if hours else None,
        "p90": hours[min(len(hours) - 1, int(0.9 * len(hours)))] if hours else None,
        "mean": statistics.fmean(hours) if hours else None,
    }
    counts = Counter()
    for h in hours:
        counts[next((i for i, b in enumerate(REPLY_BUCKETS) if h < b), len(REPLY_BUCKETS))] += 1
    labels = [f"< {REPLY_BUCKETS[0]} h"] + [f"{a}–{b} h" for a, b in zip(REPLY_BUCKETS, REPLY_BUCKETS[1:], strict=False)] + \
        [f"≥ {REPLY_BUCKETS[-1]} h"]
    report.reply_buckets = [(label, counts[i]) for i, label in enumerate(labels)]


def _unanswered(report: Report, mid: int, lo: datetime, hi: datetime, top: int) -> None:
    """Handed-over resident messages grouped by predicted intent and reason, with a redacted example."""
    R = TransparencyRecord
    # A mail's record keeps triage's own sentence ("route to welfare (the mail's topic): ... 0.84 ..."): unique per
    # mail, so no two mails made a group, and in English on every UI. They group under the case's reason code.
    reason = when((R.channel == "mail", "mail_route"), else_=R.reason)
    rows = db.session.execute(
        select(R.intent, reason, func.count(R.id), func.max(R.message_id))
        .where(R.municipality_id == mid, R.created_at >= lo, R.created_at < hi, R.route.in_(HANDED_ROUTES))
        .group_by(R.intent, reason).order_by(func.count(R.id).desc(), R.intent).limit(top)).all()
    ids = [m for *_, m in rows if m]
    texts = {m: (text, lang) for m, text, lang in db.session.execute(
        select(Message.id, Message.text, Message.lang).where(Message.id.in_(ids)))} if ids else {}
    # example_lang: the example is shown in its own language on a page in the UI's (WCAG 3.1.2)
    report.unanswered = [{"intent": intent or NO_INTENT, "reason": reason or "", "count": n,
                          "example": texts.get(mid_, ("", ""))[0], "example_lang": texts.get(mid_, ("", ""))[1]}
                         for intent, reason, n, mid_ in rows]


CSV_COLUMNS = ("metric", "key", "lang", "value")


def to_csv(report: Report) -> str:
    """One tidy table: a metric, its key (day, intent, bucket…), a language where it applies, a number."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    w.writerow(["range_start", "", "", report.range.start.isoformat()])
    w.writerow(["range_end", "", "", report.range.end.isoformat()])
    for day, n, handed in report.per_day:
        w.writerow(["conversations", day.isoformat(), "", n])
        w.writerow(["conversations_handed_over", day.isoformat(), "", handed])
    for s in report.by_intent:
        w.writerow(["answered_by_bot", s.key, "", s.answered])
        w.writerow(["handed_over", s.key, "", s.handed_over])
        w.writerow(["share_answered", s.key, "", f"{s.share_answered:.4f}"])
    for s in report.by_lang:
        w.writerow(["answered_by_bot", "", s.key, s.answered])
        w.writerow(["handed_over", "", s.key, s.handed_over])
        w.writerow(["share_answered", "", s.key, f"{s.share_answered:.4f}"])
    for key, value in report.drafts.items():
        w.writerow([f"drafts_{key}", "", "", f"{value:.4f}" if isinstance(value, float) else value])
    for key, value in report.reply_hours.items():
        w.writerow([f"first_reply_hours_{key}" if key not in ("replied", "waiting") else f"cases_{key}", "", "",
                    "" if value is None else (f"{value:.2f}" if isinstance(value, float) else value)])
    for label, n in report.reply_buckets:
        w.writerow(["first_reply_bucket", label, "", n])
    for g in report.unanswered:
        w.writerow(["unanswered", f"{g['intent']} / {g['reason']}", "", g["count"]])
    mail = report.mail
    for day, counts in zip(mail.days, mail.per_day, strict=True):
        for action, n in counts.items():
            w.writerow([f"mail_{action}", day.isoformat(), "", n])
    for day, counts in zip(mail.days, mail.per_day_department, strict=True):
        for dep, n in counts.items():
            w.writerow(["mail_department", f"{day.isoformat()} / {dep}", "", n])
    w.writerow(["mail_auto_reply_rate", "", "", f"{mail.auto_reply_rate:.4f}"])
    for dep, kept, changed in mail.by_department:
        w.writerow(["mail_cases_department_kept", dep, "", kept])
        w.writerow(["mail_cases_department_changed", dep, "", changed])
    w.writerow(["mail_override_rate", "", "", f"{mail.override_rate:.4f}"])
    w.writerow(["mail_set_aside_restored", "", "", mail.restored])
    return out.getvalue()
