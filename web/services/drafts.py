"""Reply drafts for cases from the suggester, and learning from what caseworkers send.

One suggester index per municipality under ``SUGGESTER_INDEX_DIR/<slug>``, built from the
municipality's published KB articles (every language) and its accepted replies. The index is built
by ``tinget suggester reindex`` (``make run`` does it) or, if missing, in a background thread: a
case never waits for it. A command-line process must not exit under such a thread (the build would be
cut off and the index left missing or stale): the mail commands build the index in the foreground
before they take mail in (:func:`ensure_index`), and ``tinget`` waits for any build still running
before it exits (:func:`wait_for_builds`).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from kb.store import find_answer
from privacy import redact, replace_entities
from suggester.documents import Document
from suggester.drafts import strip_salutations
from suggester.service import NO_DRAFT_BELOW, SuggesterService
from tinget.catalog import LANGUAGES, load_catalogue
from tinget.models import Municipality
from web.extensions import db
from web.models import AcceptedReply, Case, Draft, Message
from web.services import cases
from web.services.fanout import fanout

log = logging.getLogger(__name__)
GREETINGS = {"nb": "Hei!", "nn": "Hei!", "sv": "Hej!", "da": "Hej!", "fi": "Hei!", "en": "Hello,"}
_BUILDING: dict[str, threading.Thread] = {}  # slug -> the thread building its index
_PROGRESS: dict[str, tuple[str, int, int]] = {}  # slug -> (stage, done, total) of that build


def documents(municipality: Municipality) -> list[Document]:
    """Every published article in its own language (no fallbacks) and every accepted reply."""
    docs: list[Document] = []
    for intent in load_catalogue().topics:
        for lang in LANGUAGES:
            answer = find_answer(db.session, municipality, intent, lang)
            if answer is None or answer.lang != lang:
                continue
            docs.append(Document(id=f"article:{intent}:{lang}", text=answer.body, lang=lang, kind="article",
                                 title=answer.title, url=answer.source_url, department=answer.department,
                                 intent=intent))
    for row in db.session.scalars(select(AcceptedReply).where(AcceptedReply.municipality_id == municipality.id)):
        # as record_feedback indexes a reply at once: its greeting and sign-off are each new draft's own (a
        # rebuilt index drafted "Hello,\n\nHello," and two signatures from every learned reply)
        docs.append(Document.reply(f"reply:{row.id}", row.question, strip_salutations(row.reply), lang=row.lang,
                                   department=row.department, intent=row.intent))
    return docs


def index_dir(municipality: Municipality) -> Path:
    return Path(current_app.config["SUGGESTER_INDEX_DIR"]) / municipality.slug


def _topic(municipality: Municipality) -> str:
    return f"suggester:{municipality.slug}"


def new_service(municipality: Municipality) -> SuggesterService:
    """The municipality's index, telling the other web workers (Redis fan-out) each time it changes."""
    svc = SuggesterService(index_dir(municipality), current_app.config["SUGGESTER_ENCODER"])
    hub, topic = fanout(), _topic(municipality)
    svc.on_change = lambda: hub.publish(topic)
    return svc


def service(municipality: Municipality, *, build_if_missing: bool = True) -> SuggesterService | None:
    """The municipality's suggester, or None while its index is being built."""
    key = f"tinget.suggester.{municipality.slug}"
    svc = current_app.extensions.get(key)
    if svc is None:
        svc = new_service(municipality)
        current_app.extensions[key] = svc
    elif fanout().changed(_topic(municipality)):
        svc.refresh()  # another web worker may have changed it (accepted reply, KB article published)
    if svc.size == 0 or svc.needs_rebuild:
        if build_if_missing:
            _build_in_background(municipality, svc.rebuild_reason if svc.needs_rebuild else "empty index")
        return None
    return svc


def reindex(municipality: Municipality, progress=None) -> dict:
    """Rebuild the municipality's index from the database (CLI, admin, after KB changes)."""
    key = f"tinget.suggester.{municipality.slug}"
    svc = current_app.extensions.get(key) or new_service(municipality)
    stats = svc.build(documents(municipality), progress=progress)
    current_app.extensions[key] = svc
    return stats


def ensure_index(municipality: Municipality, progress=None) -> bool:
    """Build the municipality's index now (in this thread) if it is missing or unusable, so that the cases
    a command is about to open get drafts and no background build is left behind. True if it built."""
    if not current_app.config.get("SUGGESTER_ENABLED") or service(municipality, build_if_missing=False) is not None:
        return False
    reindex(municipality, progress=progress)
    return True


def _build_in_background(municipality: Municipality, reason: str = "") -> None:
    slug = municipality.slug  # read now: the request's session may be gone when the thread ends
    if slug in _BUILDING:
        return
    log.warning("rebuilding the suggester index for %s in the background (%s); cases get drafts when it is done",
                slug, reason or "no index yet")
    app, municipality_id = current_app._get_current_object(), municipality.id

    def progress(stage: str, done: int, total: int) -> None:
        _PROGRESS[slug] = (stage, done, total)

    def work():
        try:
            with app.app_context():
                reindex(db.session.get(Municipality, municipality_id), progress=progress)
        except Exception:
            log.exception("building the suggester index failed")
        finally:
            _BUILDING.pop(slug, None)
            _PROGRESS.pop(slug, None)

    # a daemon: a web worker that stops does not wait for it (the next one builds again); a command does
    # (wait_for_builds), since its process ends as soon as the command returns
    thread = threading.Thread(target=work, name="suggester-build", daemon=True)
    _BUILDING[slug] = thread
    thread.start()


def wait_for_builds(progress_for=None, poll: float = 0.5) -> list[str]:
    """Wait until every background build of this process has finished; returns the slugs waited for.
    ``progress_for(slug)`` gives a ``progress(stage, done, total)`` callable that is told how each goes."""
    waited = []
    for slug, thread in list(_BUILDING.items()):
        waited.append(slug)
        report = progress_for(slug) if progress_for else None
        while thread.is_alive():
            thread.join(poll)
            if report and slug in _PROGRESS:
                report(*_PROGRESS[slug])
    return waited


def case_question(case: Case, limit: int = 3) -> str:
    """What the drafts answer: the last ``limit`` messages the case is about (not the questions the bot
    already answered earlier in the conversation)."""
    return "\n".join(m.text for m in cases.handed_over(case)[-limit:])


def propose(case: Case) -> None:
    """Store up to three drafts on the case, or one 'no good draft' row listing the nearest articles."""
    municipality = case.conversation.municipality
    svc = service(municipality)
    if svc is None:
        return
    dep = municipality.department(case.department)
    # per language: a draft's greeting and signature are in its answer's language (suggester.drafts.compose)
    signatures = {**{lg: s for lg, s in (dep.signatures or {}).items() if s}, case.lang: dep.signature(case.lang)} if dep else None
    result = svc.suggest(case_question(case), case.lang, k=3, department=case.department,
                         signature=signatures, greeting={**GREETINGS, case.lang: GREETINGS.get(case.lang, "Hei!")})
    case.drafts.clear()
    if result.no_good_draft:
        case.drafts.append(Draft(rank=0, text="", score=result.drafts[0].score if result.drafts else 0.0,
                                 sources=result.nearest, lang=case.lang, status="no_good"))
        return
    # drafts after a good first one are kept whatever their score (the second article of a two-part question
    # scores low on its own, 0.08, and is still worth editing in); below the threshold they are weak_drafts
    for rank, d in enumerate(result.drafts):
        sources = [{**s, "source_id": d.source_id} for s in d.sources] or [{"source_id": d.source_id}]
        case.drafts.append(Draft(rank=rank, text=mark_to_check(d.text, d.to_check), score=d.score,
                                 sources=sources, lang=d.lang))


def good_enough(score: float) -> bool:
    """A suggester draft's calibrated confidence (suggester.drafts.Draft.score) is at the threshold below which
    the suggester has no good draft (suggester.service.NO_DRAFT_BELOW)."""
    return score >= NO_DRAFT_BELOW


def weak_drafts(case: Case) -> set[int]:
    """The case's drafts still offered whose suggester score is below the threshold (good_enough). The threshold
    decided only whether the first draft was offered: after a good first draft, drafts 2 and 3 came at 0.14 (an
    after-school price article on a bullying case) with "Accept and send" like the first. They are marked on the
    case page and never sent with one click (cases.draft_hold_back_reason). A draft from the mail channel (its
    score is the intent model's, sources without a "kind") is not the suggester's."""
    return {d.id for d in case.drafts if d.status == "proposed" and not good_enough(d.score)
            and any(s.get("kind") for s in d.sources or [])}


# A draft made from an earlier reply: the lines written for that resident's case (a date, an amount, "your
# application from 3 March", a decision), not copied from the KB (suggester.provenance), begin with this
# mark. The caseworker checks each against the case in hand and deletes the mark (or the line); a reply with
# a mark left in it is not sent (cases.hold_back_reason), nor is such a draft with one click. Leaving those
# lines out would drop what the earlier caseworker added to the article, which is why a learned reply is
# worth offering; sending them unmarked told one resident about another's matter.
CHECK = "⚠"


def mark_to_check(text: str, lines: list[str]) -> str:
    """``text`` with each line in ``lines`` (stripped) begun with CHECK."""
    if not lines:
        return text
    wanted = set(lines)
    return "\n".join(f"{CHECK} {line.strip()}" if line.strip() in wanted else line for line in text.split("\n"))


def lines_to_check(text: str | None) -> list[str]:
    """The lines of ``text`` still begun with CHECK."""
    return [line.strip() for line in (text or "").splitlines() if line.lstrip().startswith(CHECK)]


def _source_id(draft: Draft | None) -> str | None:
    if draft is None or not draft.sources:
        return None
    return draft.sources[0].get("source_id") or draft.sources[0].get("id")


def differs(draft_text: str, reply_text: str) -> bool:
    """The caseworker changed the draft before sending it (whitespace aside)."""
    return " ".join(draft_text.split()) != " ".join(reply_text.split())


def learn_from_reply(case: Case, reply: Message, *, draft_id: int | None, edited: bool) -> None:
    """Remember the sent reply (redacted question + reply) and index it at once."""
    draft = db.session.get(Draft, draft_id) if draft_id else None
    if draft is not None and draft.case_id != case.id:
        draft = None
    if draft is not None:
        edited = edited or differs(draft.text, reply.text)
        draft.status = "edited" if edited else "accepted"
    action = "edit" if (edited or draft is None) else "accept"
    question = case_question(case)
    # the caseworker's reply may name the resident ("Hei Kari Nordmann, ..."): what the suggester
    # learns from (this row rebuilds the index) is redacted like the resident's messages
    try:
        learned = redacted_reply(case, reply.text)
    except Exception:  # never learn unredacted text; the reply itself was sent already
        log.exception("redacting a sent reply failed; the suggester does not learn from it")
        return
    row = AcceptedReply(municipality_id=case.municipality_id, case_id=case.id, question=question,
                        reply=learned, lang=case.lang, department=case.department, intent=case.intent,
                        draft_source=_source_id(draft) or "", action=action if draft else "manual")
    db.session.add(row)
    db.session.commit()
    svc = service(case.conversation.municipality, build_if_missing=False)
    if svc is None or not question.strip():
        return
    source_id = _source_id(draft)
    svc.record_feedback(question, case.lang, source_id if source_id in svc.docs else None, action,
                        final_text=learned, reply_id=f"reply:{row.id}", department=case.department)


def redacted_reply(case: Case, text: str) -> str:
    """A sent reply as the suggester learns it: personal data redacted, the municipality's own public
    values kept (its phone numbers and names, as in residents' messages), and so is every line the
    caseworker sent as one of this case's drafts had it. Those lines are a KB article's (public) or an
    earlier, already redacted reply's: redacting them again turned the department's own phone number and
    e-mail address, and words the name recognizer misread ("Lue lisää"), into placeholders, and a draft
    made from the learned reply showed "Questions: Finance, ." to the next caseworker (and sent it)."""
    from web.services.public_values import PublicValues

    result = redact(text, case.lang, allow=PublicValues(case.conversation.municipality))
    if not result.entities:
        return result.text
    public = {line.strip() for d in case.drafts for line in (d.text or "").splitlines() if line.strip()}
    kept = [e for e in result.entities if _line_at(text, e.start, e.end).strip() not in public]
    if len(kept) == len(result.entities):
        return result.text
    return replace_entities(text, kept)  # sorted and non-overlapping (the redactor resolved overlaps)


def _line_at(text: str, start: int, end: int) -> str:
    """The whole line(s) of ``text`` around ``text[start:end]``."""
    begin = text.rfind("\n", 0, start) + 1
    stop = text.find("\n", end)
    return text[begin:stop if stop >= 0 else len(text)]


def reject(case: Case, draft: Draft, reason: str) -> None:
    draft.status, draft.reject_reason = "rejected", (reason or "").strip()[:300]
    db.session.commit()
    svc = service(case.conversation.municipality, build_if_missing=False)
    source_id = _source_id(draft)
    if svc is not None and source_id in svc.docs:
        svc.record_feedback(case_question(case), case.lang, source_id, "reject", origin=f"case:{case.id}")


def forget_case(case_ids: list[int], municipality: Municipality) -> None:
    """Deletion on request: remove the accepted replies of these cases from DB and index, and the rejections
    of their drafts (the vector of the resident's question; those recorded before rejections kept their case
    leave by retention, ``RETENTION_DAYS_LEARNED``)."""
    forget_replies(db.session.scalars(select(AcceptedReply).where(AcceptedReply.case_id.in_(case_ids))).all(),
                   municipality)
    svc = service(municipality, build_if_missing=False)
    if svc is not None and case_ids:
        svc.forget_rejections(origins=[f"case:{i}" for i in case_ids])


def forget_replies(rows: list[AcceptedReply], municipality: Municipality) -> None:
    """Remove these accepted replies (one municipality's) from the DB session and from the suggester's
    index (saved and announced to the other workers at once). The caller commits."""
    ids = [f"reply:{r.id}" for r in rows]
    for r in rows:
        db.session.delete(r)
    svc = service(municipality, build_if_missing=False)
    if svc is not None and ids:
        svc.remove(ids)
