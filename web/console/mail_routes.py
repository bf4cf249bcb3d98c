"""Set-aside mail review in the console: the mails triage set aside, with the reason, and a one-click
restore into a case (web.services.mail_review)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from tinget.catalog import DEFAULT_DEPARTMENT
from web.console import bp
from web.console.forms import RestoreForm
from web.labels import department_choices
from web.services import mail_review
from web.views import or_404, refusal_flashed, valid_or_flash

KIND_LABELS = {
    "auto_reply": (_l("Automatic reply"),
                   _l("An out-of-office notice or another automatic answer; replying could start a mail loop.")),
    "bounce": (_l("Bounce"), _l("A delivery report from a mail system: a message could not be delivered.")),
    "newsletter": (_l("Newsletter"), _l("A mailing list, newsletter or marketing mail.")),
    "spam": (_l("Spam or phishing"), _l("Several independent signs of spam or phishing.")),
    "empty": (_l("Empty"), _l("No text and no attachment.")),
}


def _departments() -> list[tuple[str, str]]:
    return department_choices(current_user.municipality.departments)


@bp.get("/mail/set-aside")
@login_required
def set_aside():
    state = request.args.get("state", "waiting")
    state = state if state in mail_review.STATES else "waiting"
    kind = request.args.get("kind") or None
    kind = kind if kind in mail_review.KINDS else None
    rows = mail_review.items(current_user, state=state, kind=kind)
    form = RestoreForm()
    form.department.choices = _departments()
    form.department.data = DEFAULT_DEPARTMENT
    return render_template("console/set_aside.html", rows=rows, state=state, kind=kind, form=form,
                           kinds=KIND_LABELS, counts=mail_review.counts(current_user),
                           domain=mail_review.sender_domain)


@bp.post("/mail/set-aside/<int:item_id>/restore")
@login_required
def restore_set_aside(item_id: int):
    item = or_404(mail_review.get(current_user, item_id))
    form = RestoreForm()
    form.department.choices = _departments()
    if valid_or_flash(form, _("Choose a department to restore the mail to.")):
        with refusal_flashed(mail_review.NotRestorable, lambda exc: _("This mail was restored already.")):
            case = mail_review.restore(item, current_user, form.department.data)
            flash(_("The mail is now case #%(id)s.", id=case.id), "success")
            if case.department in current_user.department_keys():
                return redirect(url_for("console.case", case_id=case.id))
    return redirect(url_for("console.set_aside"))
