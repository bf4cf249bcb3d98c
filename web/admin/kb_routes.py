"""KB editor pages under /admin/kb: list, edit, drafts, publish, history, diff, rollback, import/export.

Every page is for the logged-in admin's own municipality: articles are addressed by intent and
language, never by another tenant's row id, and version ids of other tenants answer 404.
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from kb import editing, transfer
from kb.placeholders import fill, placeholder_values
from kb.render import markdown_to_html
from kb.store import find_answer
from kb.validation import MAX_BODY
from web.admin import admin_required, bp
from web.admin.kb_forms import ArticleForm, ImportForm, KbActionForm
from web.extensions import csrf, db
from web.labels import department_choices, shared_model_refusal
from web.services import kb_admin
from web.views import require_valid

MAX_EDIT_BYTES = 512 * 1024  # an article form (Markdown up to 20 000 characters, percent-encoded)
MAX_IMPORT_BYTES = 8 * 1024 * 1024


def _entry(intent: str, lang: str) -> editing.Entry:
    try:
        return editing.entry(db.session, current_user.municipality, intent, lang)
    except editing.NotFound:
        abort(404)


def _departments() -> list[tuple[str, str]]:
    return department_choices(current_user.municipality.departments)


@bp.get("/kb/")
@admin_required
def kb_list():
    lang = request.args.get("language") or None  # not "lang": that one switches the page language
    show = request.args.get("show", "all")
    if lang not in (None, *editing.LANGUAGES):
        lang = None
    rows = editing.entries(db.session, current_user.municipality, lang)
    if show == "local":
        rows = [e for e in rows if e.override is not None]
    elif show == "changed":
        rows = [e for e in rows if e.base_changed]
    elif show == "drafts":
        rows = [e for e in rows if e.draft is not None]
    elif show == "missing":
        rows = [e for e in rows if e.served is None]
    return render_template("admin/kb/list.html", rows=rows, lang=lang, show=show, languages=editing.LANGUAGES,
                           action_form=KbActionForm())


@bp.route("/kb/<intent>/<lang>", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own CSRF token below, after the larger body limit is set
@admin_required
def kb_edit(intent: str, lang: str):
    request.max_content_length = MAX_EDIT_BYTES
    e = _entry(intent, lang)
    form, too_large = _article_form()
    if form is None:  # nothing of the body can be read: the editor again, saying why and how to get the text back
        flash(too_large, "error")
        return redirect(url_for("admin.kb_edit", intent=intent, lang=lang), 303)
    form.department.choices = _departments()
    if request.method == "POST":
        if not form.validate_on_submit():
            if "csrf_token" in form.errors:
                abort(400)
            for name, errors in form.errors.items():  # e.g. a title over 300 characters: show, keep the text
                for error in errors:
                    flash(f"{form[name].label.text}: {error}", "error")
            return _render_edit(e, form, intent, lang, prefill=False), 422
        fields = editing.Fields(form.title.data or "", form.body.data or "", form.source_url.data or "",
                                form.department.data or "")
        if form.publish.data:
            try:
                seconds = kb_admin.publish(current_user, intent, lang, fields)
            except editing.NotPublished as exc:
                _flash_not_published(exc)
            else:
                _flash_published(seconds)
        else:
            problems = kb_admin.save_draft(current_user, intent, lang, fields)
            flash(_("Draft saved. Residents still get the published version."), "success")
            for p in problems:
                flash(_("Before publishing: %(problem)s", problem=kb_admin.message(p)), "warning")
        return _to_edit(intent, lang)
    return _render_edit(e, form, intent, lang)


def _article_form() -> tuple[ArticleForm | None, str | None]:
    """The article form, or None and the reason when the POST is over MAX_EDIT_BYTES. The fields' maxlength
    keeps a browser's form under the limit (tests/admin/test_kb_editor.py), so this is a pasted-around or scripted
    body. The editor is shown again by a redirect (a page rendered for this request would read the unreadable body
    again, e.g. for its buttons' forms), with how large an article may be; the back button then returns to the
    page with the text (the edit page is not no-store, so browsers restore its fields)."""
    try:
        return ArticleForm(), None
    except RequestEntityTooLarge:
        return None, _(
            "Not saved: what you sent is larger than %(kb)s kB, the limit for one article (at most %(chars)s "
            "characters of text). Go back with the browser's back button to get your text, shorten it and save again.",
            kb=MAX_EDIT_BYTES // 1024, chars=format_number(MAX_BODY))


def _to_edit(intent: str, lang: str):
    return redirect(url_for("admin.kb_edit", intent=intent, lang=lang))


def _flash_published(seconds: float) -> None:
    flash(_("Published: residents get the new text from now on (live after %(ms)s ms).", ms=round(seconds * 1000)),
          "success")


def _flash_not_published(exc: editing.NotPublished) -> None:
    flash(_("Not published. Your text is kept as a draft; residents still get the published version."), "error")
    for p in exc.problems:
        flash(kb_admin.message(p), "error")


def _render_edit(e: editing.Entry, form: ArticleForm, intent: str, lang: str, prefill: bool = True):
    source = (e.draft or e.override or e.base) if prefill else None
    if source is not None:
        f = editing.Fields.of(source)
        form.title.data, form.body.data, form.source_url.data = f.title, f.body, f.source_url
        form.department.data = f.department or (e.base.department if e.base else "")
    answer = find_answer(db.session, current_user.municipality, intent, lang)
    base_diff = None
    if e.base_changed and e.base_version_seen is not None:
        old = editing.base_version_row(db.session, e.base, e.base_version_seen)
        base_diff = editing.diff(old.body if old else "", e.base.body)
    override_history = editing.history(db.session, e.local) if e.local is not None else []
    base_history = editing.history(db.session, e.base) if e.base is not None else []
    return render_template("admin/kb/edit.html", e=e, form=form, action_form=KbActionForm(), answer=answer,
                           preview=markdown_to_html(fill(form.body.data or "", placeholder_values(
                               current_user.municipality, lang))), base_diff=base_diff,
                           override_history=override_history, base_history=base_history,
                           editable=e.override is not None or not prefill)


def _action(intent: str, lang: str) -> None:
    """A KB button's POST: 404 for an entry that is not there, 400 when the button's form does not validate."""
    _entry(intent, lang)
    require_valid(KbActionForm())


def _change(service, intent: str, lang: str, *args):
    """:func:`_action`, then ``service(current_user, intent, lang, *args)``; its NotFound is a 404 too."""
    _action(intent, lang)
    try:
        return service(current_user, intent, lang, *args)
    except editing.NotFound:
        abort(404)


@bp.post("/kb/<intent>/<lang>/override")
@admin_required
def kb_create_override(intent: str, lang: str):
    _action(intent, lang)
    kb_admin.create_override(current_user, intent, lang)
    flash(_("Local override created as a draft. Edit it and publish it; until then residents get the national base."), "success")
    return _to_edit(intent, lang)


@bp.post("/kb/<intent>/<lang>/publish")
@admin_required
def kb_publish_draft(intent: str, lang: str):
    try:
        seconds = _change(kb_admin.publish, intent, lang)
    except editing.NotPublished as exc:
        _flash_not_published(exc)
    else:
        _flash_published(seconds)
    return _to_edit(intent, lang)


def _unconfirmed(intent: str, lang: str, what: str):
    """Discarding a draft and removing an override delete the draft, the admin's unpublished text, for good, and
    the buttons sit next to Save and Publish: one click lost the work. The first POST shows what goes and asks;
    only the confirmation (``confirm=1``) changes anything. None when confirmed."""
    if request.form.get("confirm") == "1":
        return None
    _action(intent, lang)
    e = _entry(intent, lang)
    if e.draft is None if what == "discard" else e.override is None:
        abort(404)
    return render_template("admin/kb/confirm.html", e=e, what=what, action_form=KbActionForm())


@bp.post("/kb/<intent>/<lang>/discard")
@admin_required
def kb_discard(intent: str, lang: str):
    page = _unconfirmed(intent, lang, "discard")
    if page is not None:
        return page
    _change(kb_admin.discard_draft, intent, lang)
    flash(_("Draft discarded."), "success")
    return _to_edit(intent, lang)


@bp.post("/kb/<intent>/<lang>/remove")
@admin_required
def kb_remove_override(intent: str, lang: str):
    page = _unconfirmed(intent, lang, "remove")
    if page is not None:
        return page
    _change(kb_admin.remove_override, intent, lang)
    flash(_("Local override removed: residents get the national base article again. Its history is kept."), "success")
    return _to_edit(intent, lang)


@bp.get("/kb/<intent>/<lang>/versions/<int:version_id>")
@admin_required
def kb_version(intent: str, lang: str, version_id: int):
    e = _entry(intent, lang)
    try:
        version = editing.version_of(db.session, current_user.municipality, version_id)
    except editing.NotFound:
        abort(404)
    article_ids = {a.id for a in (e.base, e.local) if a is not None}
    if version.article_id not in article_ids:
        abort(404)
    previous = editing.previous_version(db.session, version)
    changes = editing.diff(previous.body if previous else "", version.body)
    from_base = None  # an override's first version: what it changed in the national base text
    seen = (version.meta or {}).get("base_version")
    if previous is None and e.base is not None and version.article_id != e.base.id and isinstance(seen, int):
        from_base = editing.base_version_row(db.session, e.base, seen)
        if from_base is not None:
            changes = editing.diff(from_base.body, version.body)
    served = e.served
    current = served if served is not None and served.id == version.article_id else None
    to_current = editing.diff(version.body, current.body) if current is not None else None
    # any published version of the own override that residents do not get now (also of a removed one)
    can_roll_back = (e.local is not None and version.article_id == e.local.id and version.status == "published"
                     and not (current is not None and version.version == current.version))
    return render_template("admin/kb/version.html", e=e, version=version, previous=previous, changes=changes,
                           from_base=from_base,
                           to_current=to_current, current=current, action_form=KbActionForm(),
                           can_roll_back=can_roll_back, title_changed=previous is not None and previous.title != version.title)


@bp.post("/kb/<intent>/<lang>/versions/<int:version_id>/rollback")
@admin_required
def kb_rollback(intent: str, lang: str, version_id: int):
    try:
        new_version = _change(kb_admin.rollback, intent, lang, version_id)
    except editing.NotPublished as exc:
        _flash_not_published(exc)
    else:
        flash(_("Rolled back: the earlier text is published again as version %(version)s.", version=new_version),
              "success")
    return _to_edit(intent, lang)


@bp.get("/kb/export.<fmt>")
@admin_required
def kb_export(fmt: str):
    if fmt not in ("yaml", "csv"):
        abort(404)
    m = current_user.municipality
    records = transfer.export_records(db.session, m)
    if fmt == "yaml":
        body, mime = transfer.to_yaml(records, m), "application/yaml"
    else:
        body, mime = transfer.to_csv(records), "text/csv"
    return Response(body, mimetype=mime, headers={
        "Content-Disposition": f'attachment; filename="kb-{m.slug}.{fmt}"'})


IMPORT_MESSAGES = {
    "control_character": lambda p: _("Line %(line)s: the text holds an invisible control character (%(char)s). "
                                     "Remove it, or save the file again as UTF-8 text.", line=p.line, **p.params),
    "not_yaml": lambda p: _("Line %(line)s: the file is not valid YAML (%(error)s).", line=p.line, **p.params),
    "not_csv": lambda p: _("Line %(line)s: the file is not valid CSV (%(error)s).", line=p.line, **p.params),
    "too_deep": lambda p: _("The file cannot be imported: its lists are nested too deeply."),
    "cell_too_long": lambda p: _("Line %(line)s: a cell is longer than %(limit)s characters. Is a quotation mark "
                                 "left open on this line?", line=p.line, **p.params),
    "not_text": lambda p: _("Line %(line)s: the field %(field)s must be text, not a list or a group of fields.",
                            line=p.line, **p.params),
    "no_records": lambda p: _("The file holds no articles (expected a list under 'articles', or CSV rows)."),
    "too_many": lambda p: _("Line %(line)s: more than %(limit)s articles in one file.", line=p.line, **p.params),
    "missing_columns": lambda p: _("Line %(line)s: missing columns: %(columns)s.", line=p.line, **p.params),
    "unknown_columns": lambda p: _("Line %(line)s: unknown columns: %(columns)s.", line=p.line, **p.params),
    "wrong_cell_count": lambda p: _("Line %(line)s: %(found)s cells, expected %(expected)s.", line=p.line, **p.params),
    "not_a_record": lambda p: _("Line %(line)s: expected an article with fields, found something else.", line=p.line),
    "duplicate_id": lambda p: _("Line %(line)s: the id %(id)s is already used on line %(first)s.", line=p.line, **p.params),
    "id_mismatch": lambda p: _("Line %(line)s: the id %(id)s should be %(expected)s.", line=p.line, **p.params),
    "unknown_intent": lambda p: _("Line %(line)s: there is no topic %(intent)s.", line=p.line, **p.params),
    "unknown_language": lambda p: _("Line %(line)s: there is no language %(lang)s.", line=p.line, **p.params),
    "article": lambda p: _("Line %(line)s: %(problem)s", line=p.line, problem=kb_admin.message(p.problem)),
    "other_municipality": lambda p: _(
        "Line %(line)s: the file is the export of another municipality (%(slug)s), and importing it would publish "
        "that municipality's texts to your residents. To import it anyway, change this line to “municipality: "
        "%(own)s”.", line=p.line, **p.params),
}


@bp.route("/kb/import", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own CSRF token below, after the larger body limit is set
@admin_required
def kb_import():
    request.max_content_length = MAX_IMPORT_BYTES
    form, problems = _import_form()
    if request.method == "POST" and not problems:
        text, fmt, encoding, problems = _uploaded(form)
        _flash_encoding(encoding)
        if not problems:
            try:
                result = kb_admin.import_kb(current_user, text, fmt)
            except transfer.ImportRejected as exc:
                problems = [IMPORT_MESSAGES[p.code](p) for p in exc.problems[:50]]
                if len(exc.problems) > 50:
                    problems.append(_("… and %(n)s more problems.", n=len(exc.problems) - 50))
            else:
                flash(_("Imported: %(published)s articles published, %(unchanged)s unchanged.",
                        published=len(result.published), unchanged=result.unchanged), "success")
                return redirect(url_for("admin.kb_list"))
    status = 422 if problems else 200
    return render_template("admin/kb/import.html", form=form, problems=problems, kind="kb"), status


# ------------------------------------------------------------------ the bot's training examples
def _training_dir():
    from pathlib import Path

    from flask import current_app

    from bot import examples

    return Path(current_app.config.get("TRAINING_DATA_DIR") or examples.default_dir())


@bp.get("/kb/training.<fmt>")
@admin_required
def training_export(fmt: str):
    from bot import examples

    if fmt not in ("yaml", "csv"):
        abort(404)
    records = kb_admin.training_examples(current_user, _training_dir())
    body = examples.to_yaml(records) if fmt == "yaml" else examples.to_csv(records)
    return Response(body, mimetype="application/yaml" if fmt == "yaml" else "text/csv",
                    headers={"Content-Disposition": f'attachment; filename="training-examples.{fmt}"'})


EXAMPLE_MESSAGES = {
    "no_records": lambda p: _("The file holds no examples (expected a list under 'examples', or CSV rows)."),
    "unknown_intent": lambda p: _("Line %(line)s: there is no intent %(intent)s.", line=p.line, **p.params),
    "empty_text": lambda p: _("Line %(line)s: the example is empty.", line=p.line),
    "multiline_text": lambda p: _("Line %(line)s: an example must be one line.", line=p.line),
    "text_too_long": lambda p: _("Line %(line)s: the example is longer than %(limit)s characters.", line=p.line, **p.params),
    "duplicate_example": lambda p: _("Line %(line)s: the example “%(text)s” is already on line %(first)s.", line=p.line, **p.params),
    "conflicting_example": lambda p: _(
        "Line %(line)s: the example “%(text)s” is also on line %(first)s, with the intent %(intent)s. An example "
        "can belong to only one intent: keep one of the two lines.", line=p.line, **p.params) if p.params["first"] else _(
        "Line %(line)s: the example “%(text)s” already belongs to the intent %(intent)s in the training data. An "
        "example can belong to only one intent: remove the line, or give it the intent %(intent)s.",
        line=p.line, **p.params),
    # with an example the admin may not see (another municipality's residents' question): neither its intent
    # nor whose it is are named
    "conflicting_example_other": lambda p: _(
        "Line %(line)s: the example “%(text)s” already belongs to another intent, in examples taught from "
        "residents' questions that are not shown to you. An example can belong to only one intent: remove the "
        "line, or reword the example.", line=p.line, **p.params),
    "shared_model": lambda p: shared_model_refusal(),
}


@bp.route("/kb/training/import", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own CSRF token below, after the larger body limit is set
@admin_required
def training_import():
    from bot import examples

    request.max_content_length = MAX_IMPORT_BYTES
    form, problems = _import_form()
    if request.method == "POST" and not problems:
        text, fmt, encoding, problems = _uploaded(form)
        _flash_encoding(encoding)
        if not problems:
            try:
                records = transfer.parse(text, fmt, examples.COLUMNS, (), key="examples")
                result = kb_admin.import_examples(current_user, _training_dir(), records)
            except (transfer.ImportRejected, examples.ExamplesRejected) as exc:
                problems = [(EXAMPLE_MESSAGES.get(p.code) or IMPORT_MESSAGES[p.code])(p) for p in exc.problems[:50]]
            else:
                flash(_("Imported: %(added)s examples added, %(unchanged)s already there. Retrain the bot to use them.",
                        added=result.added, unchanged=result.unchanged), "success")
                return redirect(url_for("admin.kb_list"))
    return render_template("admin/kb/import.html", form=form, problems=problems, kind="training"), (
        422 if problems else 200)


def _import_form() -> tuple[ImportForm, list[str]]:
    """The import form, or an empty one and the problem when the upload is over MAX_IMPORT_BYTES (shown on
    the import page, not as a bare 413 page that does not say how large a file may be)."""
    try:
        return ImportForm(), []
    except RequestEntityTooLarge:
        return ImportForm(formdata=None), [_("The file is larger than %(mb)s MB. Split it into smaller files.",
                                             mb=MAX_IMPORT_BYTES // (1024 * 1024))]


def _uploaded(form) -> tuple[str | None, str | None, str | None, list[str]]:
    """The uploaded file's text, format and encoding (``utf-8``, ``cp1252``, ``utf-16``), or the problems
    (CSRF failures are 400)."""
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        return None, None, None, [_("Choose a file to import.")]
    upload = form.file.data
    name = (upload.filename or "").lower()
    fmt = "csv" if name.endswith(".csv") else "yaml" if name.endswith((".yml", ".yaml")) else None
    text, encoding = transfer.decode_upload(upload.read(), fmt)
    if text is None:
        return None, fmt, None, [_("The file is not UTF-8 text.")]
    if fmt is None:
        return text, None, encoding, [_("Name the file .yaml, .yml or .csv so its format is known.")]
    return text, fmt, encoding, []


def _flash_encoding(encoding: str | None) -> None:
    """Say which encoding a file that is not UTF-8 was read as (Excel's exports), so a wrong guess is noticed."""
    if encoding == "cp1252":
        flash(_("The file was read as Windows-1252, the encoding of Excel's «CSV (semicolon delimited)»."), "info")
    elif encoding == "utf-16":
        flash(_("The file was read as UTF-16, the encoding of Excel's «Unicode text»."), "info")
