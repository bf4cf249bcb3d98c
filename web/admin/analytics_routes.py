"""Analytics page and its CSV export (admin, own municipality only)."""

from __future__ import annotations

from flask import Response, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from tinget.db import utcnow
from web.admin import admin_required, bp
from web.labels import department_choices, intent_name, language_name
from web.services import analytics
from web.services.svg_charts import bar_chart, share_chart

ANSWERED, HANDED = "#0b5394", "#a34a00"
# distinct colours with at least 3:1 contrast on white (WCAG 1.4.11), one per department
PALETTE = ("#0b5394", "#a34a00", "#2e7d32", "#6a1b9a", "#00695c", "#ad1457", "#4e342e", "#37474f")
RANGE_ERRORS = {  # service messages -> translated ones
    "Dates must be written as YYYY-MM-DD.": lambda: _("Dates must be written as YYYY-MM-DD."),
    "The start date is after the end date.": lambda: _("The start date is after the end date."),
    "Choose a range of at most 366 days.": lambda: _("Choose a range of at most 366 days."),
}


def _range() -> tuple[analytics.DateRange, str | None]:
    today = utcnow().date()
    try:
        return analytics.parse_range(request.args.get("from"), request.args.get("to"), today), None
    except analytics.RangeError as exc:
        message = str(exc)
        return analytics.default_range(today), RANGE_ERRORS[message]() if message in RANGE_ERRORS else message


def _charts(report: analytics.Report) -> dict:
    answered, handed, empty = _("Answered by the bot"), _("Handed over"), _("No data")
    days = report.per_day
    top_intents = report.by_intent[:12]
    return {
        "per_day": bar_chart(
            "chart-per-day", _("Conversations per day"),
            _("%(n)s conversations from %(start)s to %(end)s; %(h)s of them were handed over to a caseworker.",
              n=report.conversations, start=report.range.start.isoformat(), end=report.range.end.isoformat(),
              h=sum(h for *_, h in days)),
            [d.strftime("%d.%m") for d, *_ in days],
            [(_("Bot only"), [n - h for _d, n, h in days], ANSWERED), (handed, [h for *_, h in days], HANDED)]),
        "by_intent": share_chart(
            "chart-by-intent", _("Answered by the bot vs handed over, per intent"),
            _("Share of resident messages the bot answered, for the %(n)s most frequent intents.",
              n=len(top_intents)),
            [(intent_name(s.key), [s.answered, s.handed_over]) for s in top_intents], [(answered, ANSWERED), (handed, HANDED)],
            empty=empty),
        "by_lang": share_chart(
            "chart-by-lang", _("Answered by the bot vs handed over, per language"),
            _("Share of resident messages the bot answered, per language."),
            [(language_name(s.key), [s.answered, s.handed_over]) for s in report.by_lang], [(answered, ANSWERED), (handed, HANDED)],
            empty=empty),
        "drafts": share_chart(
            "chart-drafts", _("Draft acceptance"),
            _("Of %(n)s answered cases with suggested drafts, %(pct)s %% were answered with a draft (as is or edited).",
              n=report.drafts["cases_with_drafts"], pct=f"{100 * report.drafts['acceptance_rate']:.0f}"),
            [(_("Cases"), [report.drafts["accepted"], report.drafts["edited"], report.drafts["written_anew"]])],
            [(_("Draft sent as is"), ANSWERED), (_("Draft edited"), "#2e7d32"), (_("Written anew"), HANDED)],
            empty=empty),
        "reply_times": bar_chart(
            "chart-reply-times", _("Time to first caseworker reply"),
            _("Number of cases by hours from the handover to the first caseworker reply."),
            [label for label, _n in report.reply_buckets],
            [(_("Cases"), [n for _label, n in report.reply_buckets], ANSWERED)], height=220),
    }


def _department_names() -> dict[str, str]:
    return dict(department_choices(current_user.municipality.departments))


def _mail_charts(report: analytics.Report, names: dict[str, str]) -> dict:
    mail = report.mail
    if not mail.total:
        return {}
    labels = [d.strftime("%d.%m") for d in mail.days]
    actions = [("auto_reply", _("Answered automatically"), "#2e7d32"),
               ("answer", _("Answer drafted, sent after a click"), ANSWERED),
               ("route", _("Routed to a department"), HANDED), ("set_aside", _("Set aside"), "#5f6368")]
    return {
        "mail_actions": bar_chart(
            "chart-mail-actions", _("Mail triage per day"),
            _("%(n)s mails from %(start)s to %(end)s: %(auto)s answered automatically, %(answer)s answers drafted, "
              "%(route)s routed, %(aside)s set aside.", n=mail.total, start=report.range.start.isoformat(),
              end=report.range.end.isoformat(), auto=mail.totals["auto_reply"], answer=mail.totals["answer"],
              route=mail.totals["route"], aside=mail.totals["set_aside"]),
            labels, [(name, [c[key] for c in mail.per_day], color) for key, name, color in actions]),
        "mail_departments": bar_chart(
            "chart-mail-departments", _("Mail per department per day"),
            _("Answered and routed mails per day, by the department triage chose."),
            labels, [(names.get(dep, dep), [c[dep] for c in mail.per_day_department], PALETTE[i % len(PALETTE)])
                     for i, dep in enumerate(mail.departments)]),
        "mail_overrides": share_chart(
            "chart-mail-overrides", _("Caseworker overrides of the triage"),
            _("Of %(n)s mail cases, caseworkers moved %(changed)s to another department (%(pct)s %%).",
              n=mail.mail_cases, changed=mail.department_changes, pct=f"{100 * mail.override_rate:.0f}"),
            [(names.get(dep, dep), [kept, changed]) for dep, kept, changed in mail.by_department],
            [(_("Department kept"), ANSWERED), (_("Department changed"), HANDED)], empty=_("No data")),
    }


@bp.get("/analytics")
@admin_required
def analytics_page():
    rng, error = _range()
    typed = None
    if error:  # the default range is shown, the dates as typed stay in the form to be corrected
        flash(error, "error")
        typed = {"from": request.args.get("from", "")[:20], "to": request.args.get("to", "")[:20]}
    report = analytics.compute(current_user.municipality_id, rng)
    names = _department_names()
    return render_template("admin/analytics/index.html", report=report, charts=_charts(report),
                           mail_charts=_mail_charts(report, names), department_names=names, typed=typed)


@bp.get("/analytics.csv")
@admin_required
def analytics_csv():
    rng, error = _range()
    if error:
        return Response(error + "\n", status=400, mimetype="text/plain")
    report = analytics.compute(current_user.municipality_id, rng)
    name = f"tinget-analytics-{rng.start.isoformat()}-{rng.end.isoformat()}.csv"
    return Response(analytics.to_csv(report), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
