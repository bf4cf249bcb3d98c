from __future__ import annotations

import csv
import io
import json

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select

from tinget.db import utcnow
from web.admin import admin_required, bp
from web.admin.forms import ConfirmDeleteForm, DeleteForm
from web.extensions import db
from web.models import TransparencyRecord

EXPORT_FIELDS = ("id", "created_at", "channel", "redactions", "lang", "lang_source", "intent", "confidence",
                 "route", "reason", "model_version", "kb_version", "article_id")


@bp.get("/")
@admin_required
def index():
    return render_template("admin/index.html")


def _records(limit: int | None = None):
    query = (select(TransparencyRecord).where(TransparencyRecord.municipality_id == current_user.municipality_id)
             .order_by(TransparencyRecord.id.desc()))
    return db.session.scalars(query.limit(limit) if limit else query).all()


PAGE_ROWS = 200


@bp.get("/transparency")
@admin_required
def transparency():
    """The newest records; the page says when there are more (a data protection officer took the 200 rows
    shown for the whole log) and that the export holds them all."""
    total = db.session.scalar(select(func.count(TransparencyRecord.id))
                              .where(TransparencyRecord.municipality_id == current_user.municipality_id))
    return render_template("admin/transparency.html", rows=_records(PAGE_ROWS), total=total)


def _export_row(r: TransparencyRecord) -> dict:
    row = {field: getattr(r, field) for field in EXPORT_FIELDS}
    row["created_at"] = r.created_at.isoformat(timespec="seconds")
    return row


@bp.get("/transparency/export.<fmt>")
@admin_required
def transparency_export(fmt: str):
    """The whole transparency log of the admin's municipality: labels and counts, never values."""
    if fmt not in ("json", "csv"):  # the translated not-found page, as the KB's exports answer
        abort(404)
    rows = [_export_row(r) for r in _records()]
    if fmt == "json":
        body, mimetype = json.dumps(rows, ensure_ascii=False, indent=1), "application/json"
    elif fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS)
        writer.writeheader()
        for row in rows:
            row["redactions"] = " ".join(f"{k}={v}" for k, v in sorted(row["redactions"].items()))
            writer.writerow(row)
        body, mimetype = out.getvalue(), "text/csv"
    # content_type is sent as given; mimetype= would get Werkzeug's own "; charset=utf-8" appended for text/csv too
    # named by municipality and day, as the KB's and the analytics' exports are: a region's data protection officer
    # exporting for several municipalities got files of one name, to be told apart by opening them
    name = f"tinget-transparency-{current_user.municipality.slug}-{utcnow().date().isoformat()}.{fmt}"
    return Response(body, content_type=f"{mimetype}; charset=utf-8", headers={
        "Content-Disposition": f"attachment; filename={name}"})


@bp.get("/audit.csv")
@admin_required
def audit_export():
    """The municipality's audit log (who did what, when): what a data protection officer checks; there was
    no way to read it but the database."""
    from web.services import audit

    name = f"tinget-audit-{current_user.municipality.slug}-{utcnow().date().isoformat()}.csv"
    return Response(audit.to_csv(audit.events(current_user.municipality_id)), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={name}"})


@bp.route("/delete", methods=["GET", "POST"])
@admin_required
def delete():
    """Delete a conversation (by its id) or a case (by its number) with everything derived from it, in two
    steps: a typo in the number must not delete someone else's conversation. The first POST deletes
    nothing and shows what would go (case, department, date, messages, the first line of the handed-over
    message, redacted); only the confirmation POST, carrying the same reference and the conversation shown,
    deletes."""
    from web.services import deletion

    confirming = request.method == "POST" and "confirm" in request.form
    form = ConfirmDeleteForm() if confirming else DeleteForm()
    if request.method == "GET" and request.args.get("case"):  # the link on a case's console page: filled in
        form = DeleteForm(formdata=None, case=request.args["case"][:200])
    if request.method == "POST" and form.validate_on_submit():
        reference = {"conversation": form.conversation.data or "", "case": form.case.data or ""}
        outcome = deletion.request_deletion(current_user.municipality_id, current_user.email, **reference,
                                            shown=form.shown.data if confirming else None)
        if outcome.state == "preview":
            confirm = ConfirmDeleteForm(formdata=None, shown=outcome.conversation, **reference)
            return render_template("admin/delete.html", preview=outcome.preview, confirm=confirm)
        if outcome.state == "deleted":
            flash(_("Deleted: %(messages)s and %(cases)s.",
                    messages=ngettext("%(num)s message", "%(num)s messages", outcome.counts["messages"]),
                    cases=ngettext("%(num)s case", "%(num)s cases", outcome.counts["cases"])), "success")
            return redirect(url_for("admin.delete"))
        flash(_("Give a conversation ID or a case number.") if outcome.state == "no_reference" else
              _("No such conversation or case in this municipality; nothing was deleted."), "error")
    if confirming:  # the confirmation failed: the search form again, with what was typed
        form = DeleteForm(formdata=None, conversation=request.form.get("conversation", ""),
                          case=request.form.get("case", ""))
    return render_template("admin/delete.html", form=form), (400 if request.method == "POST" else 200)
