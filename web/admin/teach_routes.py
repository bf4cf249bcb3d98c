"""Teach the bot: group unanswered questions, turn them into training examples, retrain."""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SubmitField

from tinget.catalog import load_catalogue
from web.admin import admin_required, bp
from web.admin.users_routes import LANG_NAMES
from web.labels import intent_name, intents_by_name, shared_model_refusal
from web.services import shared_model
from web.services import teach as teaching
from web.services.inquiry import model_version
from web.services.teach import TeachError
from web.views import require_valid

MAX_GROUPS = 30


class TeachForm(FlaskForm):
    """CSRF for the group forms and the retrain button; the fields are read from request.form."""

    submit = SubmitField()


def _error(code: str) -> str:
    if code == "shared_model":  # reads which municipalities are the bot team: only when it is the refusal
        return shared_model_refusal()
    return {
        "no_questions": _("Choose at least one question."),
        "intent_unknown": _("Choose an intent from the list."),
        "lang_unknown": _("Choose a language from the list."),
        "busy": _("A retraining is already running."),
    }.get(code, code)


STATE_LABELS = {
    "idle": lambda: _("No retraining has run yet."),
    "training": lambda: _("Training the bot model …"),
    "loading": lambda: _("Loading the new model into the running bot …"),
    "reindexing": lambda: _("Reindexing the answer suggester …"),
    "done": lambda: _("Done: the bot answers with the new model."),
    "failed": lambda: _("Retraining failed. The bot keeps its last good model."),
}
ERROR_LABELS = {
    "training": lambda: _("Training failed."),
    "loading": lambda: _("The new model could not be loaded."),
    "reindexing": lambda: _("The bot has the new model, but the suggester index was not rebuilt."),
    "interrupted": lambda: _("The run was interrupted."),
    "internal": lambda: _("An unexpected error stopped the run."),
}


def status_json(st: teaching.RetrainStatus) -> dict:
    """The retraining's state for the page and its poller. The tool's own last words of a failed run
    (``reason``: the Rasa server's address, training files, lines of other municipalities' examples) are for
    the admins who may retrain (the bot team); every other admin is told what failed, in their language."""
    return {"state": st.state, "running": st.running, "progress": st.progress, "detail": st.detail,
            "label": STATE_LABELS.get(st.state, STATE_LABELS["idle"])(),
            "error": ERROR_LABELS[st.error]() if st.error in ERROR_LABELS else st.error,
            "reason": st.reason if shared_model.may_change(current_user) else "",
            "model": st.model, "started_at": st.started_at, "finished_at": st.finished_at,
            "load_started_at": st.load_started_at, "load_finished_at": st.load_finished_at}


def _message_ids() -> list[int]:
    ids = []
    for value in request.form.getlist("q"):
        ids += [int(v) for v in value.split(",") if v.strip().isdigit()]
    return ids


@bp.get("/teach")
@admin_required
def teach():
    groups = teaching.group(teaching.questions(current_user.municipality_id))
    catalogue = load_catalogue()
    may_train = shared_model.may_change(current_user)
    return render_template("admin/teach/index.html", groups=groups[:MAX_GROUPS], more=max(0, len(groups) - MAX_GROUPS),
                           intents=intents_by_name(catalogue.intents), langs=[(c, LANG_NAMES.get(c, c)) for c in
                                                                      current_app.config["LANGUAGES"]],
                           form=TeachForm(), status=status_json(teaching.status()),
                           requests=teaching.article_requests(current_user.municipality_id),
                           model=model_version(), may_train=may_train,
                           removed=teaching.removed_since_retrain(current_user.municipality_id),
                           shared_model_note="" if may_train else shared_model_refusal())


@bp.post("/teach/groups")
@admin_required
def teach_group():
    require_valid(TeachForm())
    ids, intent = _message_ids(), request.form.get("intent", "")
    try:
        if request.form.get("action") == "article":
            teaching.request_article(current_user, ids, intent, request.form.get("note", ""))
            flash(_("Article request saved with %(n)s questions.", n=len(ids)), "success")
        else:
            result = teaching.add_examples(current_user, ids, intent, request.form.get("lang", ""))
            flash(_("%(n)s training examples added to %(intent)s. Retrain to use them.", n=len(result["added"]),
                    intent=intent_name(intent)), "success")
            for text, other in result["conflicts"]:
                if other is None:  # another municipality's residents' question: neither its intent nor whose
                    flash(_("Not added: “%(text)s” already belongs to another intent, in examples taught from "
                            "residents' questions that are not shown to you. Leave this question out of the group, "
                            "or teach it with other words.", text=text), "error")
                else:
                    flash(_("Not added: “%(text)s” is already an example of %(other)s.", text=text,
                            other=intent_name(other)), "error")
    except TeachError as exc:
        flash(_error(exc.code), "error")
    return redirect(url_for("admin.teach"))


@bp.post("/teach/retrain")
@admin_required
def teach_retrain():
    require_valid(TeachForm())
    wants_json = request.accept_mimetypes.best == "application/json"
    try:
        st = teaching.start_retrain(current_user)
    except TeachError as exc:
        if wants_json:
            return jsonify({"error": _error(exc.code)}), 403 if exc.code == "shared_model" else 409
        flash(_error(exc.code), "error")
        return redirect(url_for("admin.teach"))
    if wants_json:
        return jsonify(status_json(st)), 202
    flash(_("Retraining started."), "success")
    return redirect(url_for("admin.teach") + "#retrain")


@bp.get("/teach/retrain/status")
@admin_required
def teach_retrain_status():
    resp = jsonify(status_json(teaching.status()))
    resp.headers["Cache-Control"] = "no-store"
    return resp
