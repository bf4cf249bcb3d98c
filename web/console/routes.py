from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tinget.db import utcnow
from tinget.text import clean
from web.console import bp
from web.console.forms import (
    NOTE_MAX_CHARS,
    REPLY_MAX_CHARS,
    ActionForm,
    NoteForm,
    ReassignForm,
    ReplyForm,
)
from web.labels import department_choices, placeholders
from web.services import cases, drafts, held
from web.views import or_404, refusal_flashed, require_valid, valid_or_flash


def _case_or_404(case_id: int):
    try:
        case = cases.get_for(current_user, case_id)
    except cases.CaseAccessDenied:
        abort(403)
    return or_404(case)


def _to_case(case_id: int):
    return redirect(url_for("console.case", case_id=case_id))


def _case_action(case_id: int):
    """The case of a button's POST (403/404 as for viewing it; 400 when the button's form does not validate)."""
    item = _case_or_404(case_id)
    require_valid(ActionForm())
    return item


@bp.get("/")
@login_required
def queue():
    f = cases.queue_filter(current_user, request.args.get("status"), request.args.get("department"),
                           request.args.get("q"))
    for problem in f.problems:
        flash(_queue_problem(problem), "error")
    items = cases.queue(current_user, status=f.status, department=f.department, q=f.q, with_messages=True)
    return render_template("console/queue.html", cases=items, status=f.status, department=f.department, q=f.q,
                           unsent=cases.unsent_total(current_user), held_here=held.case_ids(current_user),
                           search_max=cases.SEARCH_MAX_CHARS, now=utcnow(),
                           target_hours=current_app.config["RESPONSE_TARGET_HOURS"],
                           departments=sorted(current_user.department_keys()))


def _queue_problem(code: str) -> str:
    return {
        "unknown_status": _("Unknown status filter: showing the open cases."),
        "unknown_department": _("That department is not one of yours: showing all your departments."),
        "long_search": _("The search text was too long: only its first %(n)d characters were searched for.",
                         n=cases.SEARCH_MAX_CHARS),
    }[code]


@bp.get("/cases/<int:case_id>")
@login_required
def case(case_id: int):
    item = _case_or_404(case_id)
    cases.mark_read(item, current_user)
    kept = held.held(item, current_user)  # a reply held back: back in the box (it came here by a redirect)
    reply_form = ReplyForm(formdata=None, text=kept.text, draft_id=kept.draft_id or "") if kept else None
    return _render_case(item, drafts_state=cases.drafts_state(item), reply_form=reply_form, kept=kept is not None)


def _department_choices(item) -> list[tuple[str, str]]:
    return department_choices(item.conversation.municipality.departments)


def _flash_held_back(why: str, sending: str, text: str) -> None:
    """Why a reply or draft was not sent (cases.hold_back_reason); ``sending``: "reply" (it is kept in the box)
    or "draft"."""
    if why == "resident":
        flash(_("The resident wrote again while you had the case open: read the new message below. Your reply "
                "was not sent; it is still in the reply box.") if sending == "reply" else
              _("The resident wrote again while you had the case open: read the new message below. The draft "
                "was not sent."), "error")
    elif why == "caseworker":
        flash(_("A reply was sent on this case while you had it open: read it below. Your reply was not sent; "
                "it is still in the reply box.") if sending == "reply" else
              _("A reply was sent on this case while you had it open: read it below. The draft was not sent."),
              "error")
    elif why == "rejected":
        flash(_("Not sent: you rejected this draft. To use it after all, choose “Edit before sending”."), "error")
    elif why == "sent":
        flash(_("Not sent again: this draft has been sent to the resident already."), "error")
    elif why == "weak":
        flash(_("Not sent: this draft is a weak match for the case. Choose “Edit before sending” if it answers "
                "the resident after all."), "error")
    elif why == "placeholders":
        # a reply with "<PHONE>" in it: the resident would read nothing there (the HTML drops it)
        flash(_("Not sent: the text still has personal data removed from an earlier case in it "
                "(%(placeholders)s). Write the right details in its place, then send.",
                placeholders=", ".join(placeholders(text))), "error")
    elif sending == "reply":
        flash(_("Not sent: lines marked ⚠ come from a reply to an earlier resident's case. Check each one "
                "against this case, then delete the ⚠ (or the line), and send."), "error")
    else:
        flash(_("Not sent: this draft has lines from a reply to an earlier resident's case, marked ⚠. Choose "
                "“Edit before sending”, check them, then send."), "error")


def _render_case(item, originals: dict | None = None, drafts_state: str = "ready", reply_form=None,
                 kept: bool = False):
    reassign_form = ReassignForm()
    reassign_form.department.choices = _department_choices(item)
    # none chosen yet (or one that is not there): the case's own department, not the list's first one
    if reassign_form.department.data not in dict(reassign_form.department.choices):
        reassign_form.department.data = item.department
    if reply_form is None:
        reply_form = ReplyForm(formdata=None)
    reply_form.seen.data = str(cases.last_message_id(item))  # what this page shows
    return render_template("console/case.html", case=item, reply_form=reply_form, action_form=ActionForm(),
                           given=cases.drafts_quoting_chat(item), other_language=cases.drafts_in_other_language(item),
                           weak_drafts=drafts.weak_drafts(item),
                           reassign_form=reassign_form, note_form=NoteForm(), originals=originals, now=utcnow(),
                           mail_state=cases.mail_state, drafts_state=drafts_state, kept=kept,
                           to_check=drafts.lines_to_check, target_hours=current_app.config["RESPONSE_TARGET_HOURS"])


@bp.post("/cases/<int:case_id>/original")
@login_required
def show_original(case_id: int):
    item = _case_action(case_id)
    return _render_case(item, cases.originals(item, current_user))


@bp.post("/cases/<int:case_id>/reply")
@login_required
def reply(case_id: int):
    """Send the reply box. A reply that is not sent comes back in the box by a redirect to the case page
    (web.services.held): the page that answered the POST itself sent it again when reloaded."""
    item = _case_or_404(case_id)
    form = ReplyForm()
    draft_id = int(form.draft_id.data) if (form.draft_id.data or "").isdigit() else None
    if not form.validate_on_submit():
        if form.csrf_token.errors:  # an expired page: nothing is stored from a POST that is not the user's own
            flash(_("The reply was not sent: the page had expired. Send it again."), "error")
            return _render_case(item, reply_form=form)
        if not (form.text.data or "").strip():
            flash(_("Write a reply before sending."), "error")
            return _to_case(case_id)
        flash(_("The reply was not sent: it is longer than %(n)d characters. Shorten it and send it again.",
                n=REPLY_MAX_CHARS), "error")
        held.hold(item, current_user, form.text.data, draft_id)
        return _to_case(case_id)
    why = cases.hold_back_reason(item, form.text.data, form.seen.data)
    if why:
        _flash_held_back(why, "reply", form.text.data)
        held.hold(item, current_user, form.text.data, draft_id)
        return _to_case(case_id)
    sent = cases.reply(item, current_user, form.text.data, draft_id=draft_id)
    _flash_sent(item, sent, _("Reply sent to the resident."))
    return _to_case(case_id)


@bp.post("/cases/<int:case_id>/held/discard")
@login_required
def discard_held(case_id: int):
    """Empty the reply box of a reply that was held back (else it comes back on each visit for a day)."""
    item = _case_action(case_id)
    held.discard(item, current_user)
    flash(_("The unsent reply was discarded."), "success")
    return _to_case(case_id)


def _flash_sent(item, sent, message: str) -> None:
    """What became of the reply, truthfully: a mail case's reply reaches the resident only by e-mail."""
    if item.conversation.channel == "mail" and sent.meta.get("mail") != "sent":
        flash(_mail_not_sent(sent.meta.get("mail_failure", "")), "error")
        return
    flash(message, "success")
    if item.conversation.channel == "mail":
        return
    if sent.meta.get("mail") == "sent":
        flash(_("A copy went to the resident's e-mail address."), "success")
    elif sent.meta.get("mail") == "failed":
        flash(_("The e-mail copy could not be sent; the resident sees the reply in the chat."), "error")


def _mail_not_sent(failure: str) -> str:
    """There is no outbox (web.services.mail.send_case_reply): an unsent reply is not sent later by itself."""
    if failure == "no_smtp":
        return _("The reply is saved on the case, but the e-mail to the resident was NOT sent: no mail server "
                 "is set up for outgoing mail. It will not be sent later by itself. Ask an administrator to set "
                 "up outgoing mail, then send the reply again.")
    if failure == "smtp_error":
        return _("The reply is saved on the case, but the e-mail to the resident was NOT sent: the mail server "
                 "could not be reached or refused it. It will not be sent later by itself. Send the reply again "
                 "in a while; if it fails again, ask an administrator to check the mail settings.")
    return _("The reply is saved on the case, but the e-mail was NOT sent: the resident's e-mail address is "
             "not known. Contact the resident another way.")


@bp.post("/cases/<int:case_id>/messages/<int:message_id>/resend")
@login_required
def resend_mail(case_id: int, message_id: int):
    """Send again the e-mail of a reply on a mail case that was not sent (never twice once sent)."""
    from web.services.mail import resend_case_reply

    item = _case_or_404(case_id)
    reply = or_404(cases.mail_reply(item, message_id))
    require_valid(ActionForm())
    outcome = resend_case_reply(item, reply, current_user)
    if outcome == "sent":
        flash(_("The e-mail with the reply was sent to the resident now."), "success")
    elif outcome == "failed":
        flash(_mail_not_sent(reply.meta.get("mail_failure", "")), "error")
    else:
        flash(_("This reply was sent by e-mail already, or is being sent now; it was not sent again."), "success")
    return _to_case(case_id)


@bp.post("/cases/<int:case_id>/close")
@login_required
def close(case_id: int):
    item = _case_action(case_id)
    cases.close(item, current_user)
    flash(_("Case closed."), "success")
    return redirect(url_for("console.queue"))


@bp.post("/cases/<int:case_id>/reopen")
@login_required
def reopen(case_id: int):
    item = _case_action(case_id)
    cases.reopen(item, current_user)
    flash(_("Case reopened."), "success")
    return _to_case(case_id)


@bp.post("/cases/<int:case_id>/reassign")
@login_required
def reassign(case_id: int):
    item = _case_or_404(case_id)
    form = ReassignForm()
    form.department.choices = _department_choices(item)
    if not valid_or_flash(form, _("Choose a department and give a reason.")):
        return _render_case(item)  # the page again with the department chosen (its form reads this POST)
    with refusal_flashed(ValueError, str):
        cases.reassign(item, current_user, form.department.data, form.reason.data)
        flash(_("Case reassigned."), "success")
        return redirect(url_for("console.queue"))
    return _to_case(case_id)


@bp.post("/cases/<int:case_id>/notes")
@login_required
def note(case_id: int):
    item = _case_or_404(case_id)
    form = NoteForm()
    if not form.validate_on_submit():
        too_long = len(form.text.data or "") > NOTE_MAX_CHARS
        flash(_("The note was not added: it is longer than %(n)d characters.", n=NOTE_MAX_CHARS) if too_long
              else _("Write a note before adding it."), "error")
        return _render_case(item)  # the page again with the note as written (its form reads this POST)
    cases.add_note(item, current_user, form.text.data)
    flash(_("Note added."), "success")  # said (role=status): the note itself appears at the foot of the list
    return _to_case(case_id)


def _draft_or_404(item, draft_id: int):
    from web.extensions import db
    from web.models import Draft

    draft = db.session.get(Draft, draft_id)
    if draft is None or draft.case_id != item.id or not draft.text:
        abort(404)
    return draft


def _draft_action(case_id: int, draft_id: int):
    """The case and draft of a draft button's POST (404 when either is not there; then 400 as _case_action)."""
    item = _case_or_404(case_id)
    draft = _draft_or_404(item, draft_id)
    require_valid(ActionForm())
    return item, draft


@bp.post("/cases/<int:case_id>/drafts/<int:draft_id>/accept")
@login_required
def accept_draft(case_id: int, draft_id: int):
    """One click: send the suggested draft unchanged (recorded as accepted for the suggester)."""
    item, draft = _draft_action(case_id, draft_id)
    why = cases.draft_hold_back_reason(item, draft, request.form.get("seen"))
    if why:
        _flash_held_back(why, "draft", draft.text)
        return _to_case(case_id)
    sent = cases.reply(item, current_user, draft.text, draft_id=draft.id)
    _flash_sent(item, sent, _("Draft sent to the resident."))
    return _to_case(case_id)


@bp.get("/next")
@login_required
def next_case():
    after = request.args.get("after", "0")
    item = cases.next_case(current_user, int(after) if after.isdigit() else 0)
    if item is None:
        flash(_("No more open cases in your queues."), "success")
        return redirect(url_for("console.queue"))
    return redirect(url_for("console.case", case_id=item.id))


@bp.post("/cases/<int:case_id>/drafts/<int:draft_id>/reject")
@login_required
def reject_draft(case_id: int, draft_id: int):
    item, draft = _draft_action(case_id, draft_id)
    reason = clean(request.form.get("reason") or "").strip()  # before the check: control characters only is none
    if not reason:
        flash(_("Give a reason for rejecting the draft; it helps the suggester."), "error")
        return _to_case(case_id)
    drafts.reject(item, draft, reason)
    flash(_("Draft rejected; similar cases will see it less."), "success")
    return _to_case(case_id)


@bp.app_context_processor
def unread_in_navigation():
    """The number of unread resident messages in the user's queues, for the navigation badge."""
    def unread_total() -> int:
        return cases.unread_total(current_user) if current_user.is_authenticated else 0

    return {"unread_total": unread_total}
