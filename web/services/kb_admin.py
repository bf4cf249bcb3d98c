"""The admin's KB actions for the web layer: each commits, writes an audit event and makes the change
live. The bot reads published rows on every answer (kb.store via the action server), so a commit is
all it needs; the suggester's in-memory index gets the article's passages replaced or removed here.
"""

from __future__ import annotations

import logging
import time

from flask import current_app
from flask_babel import lazy_gettext as _l

from kb import editing
from kb.store import find_answer
from kb.validation import Problem
from suggester.documents import Document
from tinget.models import Municipality
from web.extensions import db
from web.models import AuditEvent, User

log = logging.getLogger(__name__)

# Problem codes (kb.validation, kb.transfer) in the admin's language. %(article)s is "intent/lang".
MESSAGES = {
    "empty": _l("%(article)s: the %(field)s is empty."),
    "too_long": _l("%(article)s: the %(field)s is longer than %(limit)s characters."),
    "missing_placeholder": _l("%(article)s, %(field)s line %(line)s: the placeholder %(placeholder)s has no value in the municipality's settings."),
    "malformed_placeholder": _l("%(article)s, %(field)s line %(line)s: %(placeholder)s is not a valid placeholder (write e.g. {municipality.name})."),
    "raw_html": _l("%(article)s, body line %(line)s: HTML such as %(tag)s is not allowed; use Markdown."),
    "broken_link": _l("%(article)s, body line %(line)s: a link is not closed; write [text](https://…)."),
    "unsafe_link": _l("%(article)s, body line %(line)s: the link %(url)s must start with https://, http://, mailto:, tel: or /."),
    "unbalanced_emphasis": _l("%(article)s, body line %(line)s: ** opens bold text that is never closed."),
    "unclosed_code": _l("%(article)s, body line %(line)s: a ``` code block is never closed."),
    "bad_source_url": _l("%(article)s: the source URL %(url)s must be a path starting with / or an http(s) address."),
    "unknown_department": _l("%(article)s: there is no department %(department)s."),
}
# Problems whose message depends on the field: the body's names its line, the title is one line.
TITLE_MESSAGES = {
    "raw_html": _l("%(article)s, title: HTML such as %(tag)s is not allowed; the title is shown as plain text."),
}
FIELDS = {"title": _l("title"), "body": _l("body"), "source_url": _l("source URL"), "department": _l("department")}


def message(problem: Problem) -> str:
    template = (TITLE_MESSAGES.get(problem.code) if problem.field == "title" else None) or MESSAGES.get(problem.code)
    if template is None:
        return str(problem)
    values = {"article": problem.article, "field": str(FIELDS.get(problem.field, problem.field)),
              "line": problem.line, **problem.params}
    return str(template) % values


def _audit(user: User, action: str, intent: str, lang: str, **details) -> None:
    db.session.add(AuditEvent(municipality_id=user.municipality_id, actor=user.email, action=action,
                              target=f"kb:{intent}/{lang}", details=details))


def save_draft(user: User, intent: str, lang: str, fields: editing.Fields) -> list[Problem]:
    """Save as draft; returns the problems that would block publishing (shown as warnings)."""
    m = user.municipality
    editing.save_draft(db.session, m, intent, lang, fields, user.email)
    _audit(user, "kb_draft", intent, lang)
    db.session.commit()
    return editing.problems(m, intent, lang, fields.normalised())


def publish(user: User, intent: str, lang: str, fields: editing.Fields | None = None) -> float:
    """Publish (the given text or the pending draft) and make it live. Returns seconds until live.

    On :class:`editing.NotPublished` the text is committed as the pending draft (nothing is lost) and
    the exception is raised again for the caller to show."""
    t0 = time.perf_counter()
    m = user.municipality
    try:
        row = editing.publish(db.session, m, intent, lang, user.email, fields)
    except editing.NotPublished:
        db.session.commit()  # keep the text as the draft; residents still get the published version
        raise
    _audit(user, "kb_publish", intent, lang, version=row.version)
    db.session.commit()
    sync_suggester(m, intent, [lang])
    return time.perf_counter() - t0


def create_override(user: User, intent: str, lang: str) -> None:
    editing.create_override(db.session, user.municipality, intent, lang, user.email)
    _audit(user, "kb_override_created", intent, lang)
    db.session.commit()


def discard_draft(user: User, intent: str, lang: str) -> None:
    editing.discard_draft(db.session, user.municipality, intent, lang)
    _audit(user, "kb_draft_discarded", intent, lang)
    db.session.commit()


def remove_override(user: User, intent: str, lang: str) -> None:
    editing.remove_override(db.session, user.municipality, intent, lang, user.email)
    _audit(user, "kb_override_removed", intent, lang)
    db.session.commit()
    sync_suggester(user.municipality, intent, [lang])


def rollback(user: User, intent: str, lang: str, version_id: int) -> int:
    row = editing.rollback(db.session, user.municipality, intent, lang, version_id, user.email)
    _audit(user, "kb_rollback", intent, lang, version=row.version, to_version_id=version_id)
    db.session.commit()
    sync_suggester(user.municipality, intent, [lang])
    return row.version


def article_document(municipality: Municipality, intent: str, lang: str) -> Document | None:
    """The suggester document of one article as served now (same id scheme as web.services.drafts)."""
    answer = find_answer(db.session, municipality, intent, lang)
    if answer is None or answer.lang != lang:
        return None
    return Document(id=f"article:{intent}:{lang}", text=answer.body, lang=lang, kind="article",
                    title=answer.title, url=answer.source_url, department=answer.department, intent=intent)


def sync_suggester(municipality: Municipality, intent: str, langs: list[str]) -> None:
    """Replace (or remove) the article's passages in the municipality's suggester index, if it has one.

    A missing index is built from the database later anyway; a failing suggester never undoes a
    publication (the next reindex repairs it)."""
    if not current_app.config.get("SUGGESTER_ENABLED"):
        return
    try:
        from web.services import drafts

        svc = drafts.service(municipality, build_if_missing=False)
        if svc is None:
            return
        svc.refresh()  # another worker may have changed it on disk
        add, remove = [], []
        for lang in langs:
            doc = article_document(municipality, intent, lang)
            if doc is not None:
                add.append(doc)
            else:
                remove.append(f"article:{intent}:{lang}")
        if add:
            svc.add(add)
        if remove:
            svc.remove(remove)
    except Exception:
        log.exception("updating the suggester index after a KB change failed; run `tinget suggester reindex`")


def import_kb(user: User, text: str, fmt: str):
    """Import a YAML/CSV file into the municipality's KB: all records or none (transfer.ImportRejected)."""
    from kb import transfer

    m = user.municipality
    try:
        records = transfer.parse(text, fmt)
        transfer.check_owner(text, fmt, m)  # another municipality's export: refused, saying how to import it
        result = transfer.apply(db.session, m, records, user.email)
    except Exception:
        db.session.rollback()
        raise
    db.session.add(AuditEvent(municipality_id=m.id, actor=user.email, action="kb_import", target=f"kb:{fmt}",
                              details={"published": result.published, "unchanged": result.unchanged}))
    db.session.commit()
    by_intent: dict[str, list[str]] = {}
    for key in result.published:
        intent, lang = key.split(":")
        by_intent.setdefault(intent, []).append(lang)
    for intent, langs in by_intent.items():
        sync_suggester(m, intent, langs)
    return result


def training_examples(user: User, data_dir) -> list[dict]:
    """The bot's training examples as an admin exports them: the shared per-language files and the examples
    taught from the own municipality's residents' questions, never another municipality's (their residents'
    words). The files taught before examples were kept per municipality are the municipality's when it is
    the installation's only one, and nobody's once there are several."""
    from sqlalchemy import func, select

    from bot import examples

    only_one = db.session.scalar(select(func.count(Municipality.id))) == 1
    return examples.read(data_dir, taught=user.municipality.slug, legacy=only_one)


def import_examples(user: User, data_dir, records):
    """Add training examples from an imported file (all or none; bot.examples.ExamplesRejected). Only an
    admin who may change the installation's shared model (web.services.shared_model) may."""
    from bot import examples
    from web.services import shared_model

    if not shared_model.may_change(user):
        raise examples.ExamplesRejected([examples.ExampleProblem("shared_model", 0)])

    # a clash with an example this admin may not see (another municipality's residents' question) is named
    # without its intent or municipality
    visible = {(r["lang"], r["text"].casefold()) for r in training_examples(user, data_dir)}
    result = examples.apply(data_dir, records, visible)
    db.session.add(AuditEvent(municipality_id=user.municipality_id, actor=user.email, action="training_import",
                              target="training_data", details={"added": result.added, "files": result.files}))
    db.session.commit()
    return result
