"""Case lifecycle: new -> assigned -> answered -> closed; reopened when the resident writes again.

Originals (the resident's unredacted words) are stored encrypted on the case only.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, true
from sqlalchemy.orm import selectinload

from privacy.crypto import decrypt, encrypt
from tinget.db import utcnow
from tinget.models import Municipality
from tinget.text import clean
from web.extensions import db
from web.models import AuditEvent, Case, CaseNote, CaseOriginal, Conversation, Draft, Message, User

log = logging.getLogger(__name__)
OPEN_STATES = ("new", "assigned", "answered")

# The notes the app writes on a case, as a code with parameters. The stored text is English (the CSV
# export, the audit trail); parse_note() reads the code and parameters back, so the console shows the
# note in the reader's language (web.labels.case_note) - old rows too, without a schema change. A
# caseworker's own note (kind "note") is never read as one of these, and a text no template wrote is
# shown as stored.
NOTES = {
    "status": {
        "closed": "Closed.",
        "reopened_by_resident": "Reopened: the resident wrote again.",
        "reopened_by_reply": "Reopened by a reply.",
        "reopened": "Reopened.",
        "mail_not_sent": "The e-mail could not be sent ({why}); the reply is kept here.",
        "mail_sent_later": "The e-mail of an earlier reply was sent on another try.",
        "mail_returned": "The resident's mail server returned the e-mail of a reply: it did not arrive.",
        "restored": "Restored from the set-aside mail ({kind}): {reason}",
        "released": "Back in the department's queue: the caseworker's account was deactivated.",
    },
    "reassign": {"reassigned": "{old} → {new}: {reason}",
                 "no_department": "Routed to {old}, a department this municipality does not have; sent to {new}."},
}
_NOTE_KIND = {code: kind for kind, codes in NOTES.items() for code in codes}
_PARAM = {"old": r"[^\s→]+", "new": r"[^\s→]+", "kind": r"[^()]*"}


def _note_re(template: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", template)  # literal, name, literal, ...
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>{_PARAM.get(p, '.*?')})"
                              for i, p in enumerate(parts)) + r"\Z", re.S)


_NOTE_RE = {kind: {code: _note_re(t) for code, t in codes.items()} for kind, codes in NOTES.items()}


def note_text(code: str, **params: str) -> str:
    return NOTES[_NOTE_KIND[code]][code].format(**params)


def system_note(code: str, user: User | None = None, **params: str) -> CaseNote:
    return CaseNote(kind=_NOTE_KIND[code], author_id=user.id if user else None, text=note_text(code, **params))


def parse_note(kind: str, text: str) -> tuple[str, dict] | None:
    """The code and parameters of a note the app wrote, or None (a caseworker's note, an unknown text)."""
    for code, pattern in _NOTE_RE.get(kind, {}).items():
        match = pattern.match(text or "")
        if match:
            return code, match.groupdict()
    return None


class CaseAccessDenied(PermissionError):
    pass


def _key() -> str:
    return current_app.config["ENCRYPTION_KEY"]


def _keep_original(case: Case, message: Message, original: str) -> None:
    if original and original != message.text:
        token = encrypt(original, _key())
        case.originals.append(CaseOriginal(message=message, ciphertext=token if isinstance(token, bytes) else token.encode()))


def handed_over(case: Case) -> list[Message]:
    """The resident's messages this case is about, oldest first: those the bot did not answer itself. An
    earlier question the bot answered ("when is the rubbish collected?") is context in the conversation,
    not part of the case (the handover that follows it is). A case without such messages (a mail answered
    with a draft) has all of the resident's messages."""
    mine = [m for m in case.conversation.messages if m.sender == "resident"]
    return [m for m in mine if m.route != "answer"] or mine


def summary(case: Case) -> str:
    """One line for the queue: the first message the case is about."""
    messages = handed_over(case)
    return messages[0].text if messages else ""


def preview(case: Case) -> tuple[str, str]:
    """(subject, text) of the first message the case is about, for the queue: a mail's message holds its
    subject, a blank line and its text (web.services.mail), which read as one sentence on one line."""
    messages = handed_over(case)
    if not messages:
        return "", ""
    text, subject = messages[0].text, ((messages[0].meta or {}).get("subject") or "").strip()
    if subject and text.startswith(subject):
        return subject, text[len(subject):].strip()
    return "", text


def own_department(municipality, key: str) -> str:
    """``key`` if the municipality has that department; else its service desk, else its first department.
    The catalogue routes topics to departments every municipality is expected to have, but an admin may
    run without one (no culture department, say): a case filed under a key the municipality lacks would be
    in nobody's queue, not even an admin's."""
    if municipality.department(key) is not None or not municipality.departments:
        return key
    from tinget.catalog import DEFAULT_DEPARTMENT

    fallback = municipality.department(DEFAULT_DEPARTMENT) or min(municipality.departments, key=lambda d: d.id or 0)
    log.warning("no department %r in %s: the case goes to %s", key, municipality.slug, fallback.key)
    return fallback.key


def open_case(conv: Conversation, message: Message, original: str, *, department: str, reason: str,
              intent: str = "", confidence: float = 0.0) -> Case:
    municipality = conv.municipality or db.session.get(Municipality, conv.municipality_id)
    routed, department = department, own_department(municipality, department)
    case = Case(municipality_id=conv.municipality_id, conversation=conv, department=department, reason=reason,
                intent=intent, confidence=confidence, lang=conv.lang, status="new", unread=1)
    if department != routed:  # the caseworker who gets it should know it was meant for another queue
        case.notes.append(system_note("no_department", old=routed, new=department))
    db.session.add(case)
    db.session.flush()
    _keep_original(case, message, original)
    return case


def back_in_queue(case: Case, *, closed_to_department: bool = False) -> None:
    """Something came in that a caseworker must read (the resident wrote again, a reply came back): an
    answered or closed case is open again, with its caseworker (assigned) when it has one, else new in its
    department's queue, and one more unread. ``closed_to_department``: a closed case is new for the whole
    department even if someone had it (the resident writing again after it was closed)."""
    if case.status in ("answered", "closed"):
        # not to a caseworker whose account was deactivated since: nobody would read it (a closed case keeps
        # its caseworker as history; web.services.user_admin releases the open ones on deactivation)
        to_assignee = (case.assignee_id and case.assignee is not None and case.assignee.active
                       and not (closed_to_department and case.status == "closed"))
        case.status, case.closed_at = ("assigned" if to_assignee else "new"), None
        if not to_assignee:
            case.assignee_id = None
    case.unread += 1
    case.updated_at = utcnow()


def add_resident_message(conv: Conversation, message: Message, original: str) -> Case:
    case = conv.open_case or conv.latest_case
    if case is None:  # state says handoff but no case exists (e.g. deleted by an admin): open one
        return open_case(conv, message, original, department="service_desk", reason="resident_follow_up")
    if case.status == "closed":
        case.notes.append(system_note("reopened_by_resident"))
    back_in_queue(case, closed_to_department=True)
    # The case is answered in the language the resident writes now (a reply, its e-mail, the spell check).
    case.lang = message.lang or case.lang
    db.session.flush()
    _keep_original(case, message, original)
    return case


def after_open(case: Case) -> bool:
    """Draft replies for a new case; the suggester failing must not lose the case. False if it failed."""
    if not current_app.config.get("SUGGESTER_ENABLED"):
        return True
    try:
        from web.services import drafts

        drafts.propose(case)
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("drafting failed for case %s; the case stays without drafts", case.id)
        return False
    return True


def drafts_state(case: Case) -> str:
    """Draft a case that has none yet and say how its drafts stand: "ready" (drafts or a 'no good draft'
    row), "off" (no suggester), "closed", "building" or "failed". A case opened while its municipality's
    suggester index was still being built (the first minutes after `make run`, a rebuild after a KB
    import) was left without drafts for good; it gets them when a caseworker opens it."""
    if case.drafts:
        return "ready"
    if not current_app.config.get("SUGGESTER_ENABLED"):
        return "off"
    if case.status == "closed":
        return "closed"
    if not after_open(case):
        return "failed"
    return "ready" if case.drafts else "building"


# ------------------------------------------------------------------ what a case page shows
WATCHED_SENDERS = ("resident", "caseworker")  # a page is stale when either wrote after it was loaded


def last_message_id(case: Case) -> int:
    """The last resident or caseworker message a case page shows (its reply form sends it back as ``seen``)."""
    return max((m.id for m in case.conversation.messages if m.sender in WATCHED_SENDERS), default=0)


def written_since(case: Case, seen: str | None) -> str | None:
    """Who wrote on the case after the caseworker's page was loaded ("resident" before "caseworker"), or None.
    ``seen`` is the id of the last resident or caseworker message on that page; a form of an older page has
    none, and nothing is checked. The console does not update an open page: a reply or draft written for the
    first message went out without the caseworker having read the resident's new one ("Never mind, it is
    sorted", a new address), or as a second answer after a colleague's reply."""
    if not (seen or "").isdigit():
        return None
    newer = {m.sender for m in case.conversation.messages if m.sender in WATCHED_SENDERS and m.id > int(seen)}
    return next((who for who in WATCHED_SENDERS if who in newer), None)


def hold_back_reason(case: Case, text: str, seen: str | None) -> str | None:
    """Why a reply (or a draft sent as it is) must not go out now, or None: "resident" or "caseworker" wrote
    on the case after the page was loaded (written_since), "placeholders" (a placeholder of personal data
    removed from an earlier case is left in it: the resident would read nothing there), "to_check" (a line
    of a draft made from an earlier resident's reply is still marked for checking: web.services.drafts)."""
    from web.labels import placeholders
    from web.services.drafts import lines_to_check

    who = written_since(case, seen)
    if who:
        return who
    if placeholders(text):
        return "placeholders"
    if lines_to_check(text):
        return "to_check"
    return None


def draft_hold_back_reason(case: Case, draft: Draft, seen: str | None) -> str | None:
    """Why a draft must not be sent with one click now, or None: "rejected" (the caseworker rejected it: it
    stayed first on the page, and the A key sent it), "sent" (it went out already: a second A after the page
    came back sent the same answer twice), "weak" (its suggester score is below the "no good draft" threshold:
web.services.drafts.weak_drafts), else as hold_back_reason."""
    if draft.status == "rejected":
        return "rejected"
    if draft.status in ("accepted", "edited"):
        return "sent"
    from web.services.drafts import weak_drafts

    if draft.id in weak_drafts(case):
        return "weak"
    return hold_back_reason(case, draft.text, seen)


def drafts_quoting_chat(case: Case) -> set[int]:
    """The drafts that quote a KB article the assistant already answered with in this conversation: the
    resident read that answer and asked for a caseworker anyway, so sending it again rarely helps."""
    answered = {(m.meta or {}).get("source_url") for m in case.conversation.messages if m.sender == "bot"} - {"", None}
    return {d.id for d in case.drafts
            if any(s.get("kind") == "article" and s.get("url") in answered for s in d.sources or [])}


def drafts_in_other_language(case: Case) -> set[int]:
    """The drafts not in the resident's language (bokmål and nynorsk count as one): the suggester offers an
    article only the KB has in another language, and an earlier reply to a resident who wrote in another
    language (an English reply as draft 2 of a Danish case). One key sent it as it was."""
    def family(lang: str) -> str:
        return "no" if lang in ("nb", "nn") else lang

    return {d.id for d in case.drafts if d.lang and family(d.lang) != family(case.lang)}


def can_see(user: User, case: Case) -> bool:
    return user.municipality_id == case.municipality_id and (user.is_admin or case.department in user.department_keys())


def get_for(user: User, case_id: int) -> Case | None:
    case = db.session.get(Case, case_id)
    if case is None:
        return None
    if not can_see(user, case):
        raise CaseAccessDenied(case_id)
    return case


# "unsent": cases with a reply whose e-mail was not sent (any status): to send them again once mail works
STATUS_FILTERS = ("open", "new", "assigned", "answered", "closed", "all", "unsent")
SEARCH_MAX_CHARS = 200  # the search box's maxlength; a longer q (a hand-made link) is cut to this


@dataclass
class QueueFilter:
    """The queue's filters as given in the address, made valid: an unknown status or department is the
    default (open cases, all the user's departments), a search text longer than the box allows is cut.
    ``problems`` names what was changed, for the page to say so."""

    status: str = "open"
    department: str | None = None
    q: str = ""
    problems: list[str] = field(default_factory=list)


def queue_filter(user: User, status: str | None, department: str | None, q: str | None) -> QueueFilter:
    f = QueueFilter()
    if status and status not in STATUS_FILTERS:
        f.problems.append("unknown_status")
    elif status:
        f.status = status
    if department and department not in user.department_keys():
        f.problems.append("unknown_department")
    else:
        f.department = department or None
    f.q = (q or "").strip()
    if len(f.q) > SEARCH_MAX_CHARS:
        f.q = f.q[:SEARCH_MAX_CHARS].strip()
        f.problems.append("long_search")
    return f


def in_queues(user: User):
    """The cases of the user's queues (besides the municipality): a caseworker's departments; for an admin
    every case of the municipality, also one filed under a department key it no longer has."""
    return true() if user.is_admin else Case.department.in_(user.department_keys())


def queue(user: User, status: str | None = None, department: str | None = None, q: str | None = None,
          with_messages: bool = False) -> list[Case]:
    """The cases in the user's queues, oldest first. ``with_messages`` loads each case's conversation
    messages with it (two more queries in all, not two per case): the queue page shows a line of each."""
    query = select(Case).where(Case.municipality_id == user.municipality_id,
                               in_queues(user))
    if with_messages:
        query = query.options(selectinload(Case.conversation).selectinload(Conversation.messages))
    if status == "open" or status is None:
        query = query.where(Case.status.in_(OPEN_STATES))
    elif status == "unsent":
        query = query.where(Case.id.in_(_unsent_case_ids()))
    elif status != "all":
        query = query.where(Case.status == status)
    if department:
        query = query.where(Case.department == department)
    q = (q or "").strip()  # "?q=%00": the pattern is cleaned by Message.text's type (tinget.db), no 500
    if q:
        # the text as typed: "%" and "_" are characters to find, not LIKE's wildcards (escaped, here and on Postgres)
        query = query.join(Conversation).join(Message).where(Message.text.icontains(q, autoescape=True)).distinct()
    return list(db.session.scalars(query.order_by(Case.created_at)).all())


# A reply's e-mail is claimed ("sending", with ``mail_claimed_at``) before it goes to the mail server
# (web.services.mail: the first send and a resend alike). A claim older than this was left by a process that
# died before it recorded the outcome: the e-mail may or may not have gone out. It counts as unsent and may be
# sent again.
MAIL_CLAIM_STALE = timedelta(minutes=10)


def claim_stamp(at: datetime) -> str:
    """``mail_claimed_at`` as stored: one fixed format, so stamps compare as strings (in SQL too)."""
    return at.strftime("%Y-%m-%dT%H:%M:%S.%f")


def unsent_mail():
    """SQL condition on Message: its e-mail was not sent ("failed"), or its claim is stale (a claim
    without a stamp is from before claims had one: stale as well)."""
    mail, claimed = Message.meta["mail"].as_string(), Message.meta["mail_claimed_at"].as_string()
    return or_(mail == "failed", and_(mail == "sending", or_(claimed.is_(None),
                                                             claimed < claim_stamp(utcnow() - MAIL_CLAIM_STALE))))


def mail_reply(case: Case, message_id: int) -> Message | None:
    """A caseworker's reply on this mail case whose e-mail was due (sent, failed or being sent), or None:
    what "Send the e-mail again" may act on."""
    reply = db.session.get(Message, message_id)
    meta = (reply.meta or {}) if reply is not None else {}
    if (reply is None or reply.conversation_id != case.conversation_id or reply.sender != "caseworker"
            or case.conversation.channel != "mail" or meta.get("case_id", case.id) != case.id
            or meta.get("mail") not in ("failed", "sending", "sent")):
        return None
    return reply


def mail_state(meta: dict | None) -> str | None:
    """What became of a reply's e-mail: "sent", "failed", "sending" (being sent now), "unknown" (a stale
    claim: it may not have been sent) or None (no e-mail was due)."""
    mail = (meta or {}).get("mail")
    if mail == "sending":
        claimed = meta.get("mail_claimed_at") or ""
        if claimed < claim_stamp(utcnow() - MAIL_CLAIM_STALE):
            return "unknown"
    return mail


def _unsent_case_ids():
    """The ids of cases with a caseworker reply whose e-mail was not sent (unsent_mail())."""
    return (select(Case.id).join(Message, Message.conversation_id == Case.conversation_id)
            .where(Message.sender == "caseworker", unsent_mail()))


def unsent_total(user: User) -> int:
    """Replies in the user's queues whose e-mail was not sent: nothing sends them later by itself."""
    from sqlalchemy import func

    return int(db.session.scalar(
        select(func.count(func.distinct(Message.id))).select_from(Case)
        .join(Message, Message.conversation_id == Case.conversation_id)
        .where(Case.municipality_id == user.municipality_id, in_queues(user),
               Message.sender == "caseworker", unsent_mail())) or 0)


def next_case(user: User, after_id: int = 0) -> Case | None:
    """The next open case in the user's queues after ``after_id`` (oldest first), wrapping around. The case
    ``after_id`` is read only when it is of the user's municipality: another tenant's case number is as
    none (else the case it leads to would tell when that tenant's case came in)."""
    items = [c for c in queue(user, status="open") if c.id != after_id]
    if not items:
        return None
    current = db.session.get(Case, after_id)
    if current is not None and current.municipality_id == user.municipality_id and current.created_at:
        later = [c for c in items if (c.created_at, c.id) > (current.created_at, current.id)]
        if later:
            return later[0]
    return items[0]


def unread_total(user: User) -> int:
    """Unread resident messages over the open cases of the user's queues (shown in the navigation)."""
    from sqlalchemy import func

    return int(db.session.scalar(
        select(func.coalesce(func.sum(Case.unread), 0)).where(
            Case.municipality_id == user.municipality_id, in_queues(user),
            Case.status.in_(OPEN_STATES))) or 0)


def works_in(user: User, case: Case) -> bool:
    """A caseworker who is a member of the case's department (an administrator sees every department's
    cases through department_keys(), but is not working any of them)."""
    return not user.is_admin and case.department in {d.key for d in user.departments}


def mark_read(case: Case, user: User) -> None:
    """Opening a case: a caseworker of its department has read it, and takes a new case on (assigned to
    them). Anyone else who may look at it - an administrator browsing the console - leaves it as it was:
    still new and unread for the department, not taken from the caseworkers' queue. Whoever replies
    takes it then (reply())."""
    if not works_in(user, case):
        return
    case.unread = 0
    if case.status == "new":
        case.status, case.assignee_id = "assigned", user.id
    db.session.commit()


def originals(case: Case, user: User) -> dict[int, str]:
    """Decrypt the originals of a case for an authorised caseworker; every view is audited."""
    if not can_see(user, case):
        raise CaseAccessDenied(case.id)
    db.session.add(AuditEvent(municipality_id=case.municipality_id, actor=user.email, action="view_original",
                              target=f"case:{case.id}"))
    db.session.commit()
    return {o.message_id: decrypt(o.ciphertext, _key()) for o in case.originals}


def _differs_from_draft(case: Case, draft_id: int | None, text: str) -> bool:
    """The reply is a draft of this case changed before sending (whitespace aside)."""
    from web.services.drafts import differs

    draft = db.session.get(Draft, draft_id) if draft_id else None
    return draft is not None and draft.case_id == case.id and differs(draft.text, text)


def reply(case: Case, user: User, text: str, *, draft_id: int | None = None, edited: bool = False) -> Message:
    """Send a caseworker reply to the resident (widget; e-mail if the resident left an address).

    The outcome of the e-mail is on the returned message's meta: ``mail`` is "sent" or "failed" (then
    ``mail_failure`` says why), absent when no e-mail was due (a chat resident without an address)."""
    text = clean(text or "").strip()  # before the check for empty, and the text goes to e-mail and the suggester too
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # a browser sends a text box's lines with CRLF
    if not text:
        raise ValueError("The reply is empty.")
    from kb.render import reply_markdown_to_html

    conv = case.conversation
    msg = Message(conversation=conv, sender="caseworker", text=text, html=reply_markdown_to_html(text), lang=case.lang,
                  meta={"author": user.name, "case_id": case.id, "draft_id": draft_id})
    db.session.add(msg)
    now = utcnow()
    if case.status == "closed":  # a reply to a closed case reopens it (and is sent), it is never dropped
        case.closed_at = None
        case.notes.append(system_note("reopened_by_reply", user))
    case.status, case.updated_at, case.unread = "answered", now, 0
    case.assignee_id = case.assignee_id or user.id
    case.first_reply_at = case.first_reply_at or now
    conv.last_activity = now
    edited = edited or _differs_from_draft(case, draft_id, text)  # as the suggester records it (drafts.learn_from_reply)
    db.session.add(AuditEvent(municipality_id=case.municipality_id, actor=user.email, action="reply",
                              target=f"case:{case.id}", details={"draft_id": draft_id, "edited": edited}))
    from web.services import held

    held.forget(case, user)  # what they had held back is sent now, or replaced by what was sent
    db.session.commit()
    if conv.channel == "mail":  # a mail case's reply also goes out by e-mail, in the resident's thread
        from web.services.mail import send_case_reply

        send_case_reply(case, msg)
    try:
        from web.services import drafts

        drafts.learn_from_reply(case, msg, draft_id=draft_id, edited=edited)
    except Exception:
        log.exception("learning from reply on case %s failed", case.id)
    if conv.channel != "mail":  # a chat resident who left an address gets an e-mail copy
        from web.services import chat_mail

        if chat_mail.send_reply(case, msg):
            db.session.commit()
    return msg


def rerender_replies(*, dry_run: bool = False) -> tuple[int, int]:
    """Render the stored html of caseworker replies again from their stored text with today's
    reply_markdown_to_html (one-off, after the renderer changed: replies stored before c61b742 had their
    greeting, lists and signature joined into one paragraph). Only replies that have html are touched
    (a reply stored without it is shown as its text, as before); the text is not changed. Idempotent.
    Returns (replies checked, replies whose html changed); ``dry_run`` only counts."""
    from kb.render import reply_markdown_to_html

    checked = changed = 0
    for msg in db.session.scalars(select(Message).where(Message.sender == "caseworker", Message.html != "")):
        checked += 1
        html = reply_markdown_to_html(msg.text)
        if html != msg.html:
            changed += 1
            if not dry_run:
                msg.html = html
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    return checked, changed


def close(case: Case, user: User) -> None:
    case.status, case.closed_at = "closed", utcnow()
    case.notes.append(system_note("closed", user))
    db.session.commit()


def reopen(case: Case, user: User) -> None:
    """A closed case back in the open queue, without a reply (closed too early, or by a slip of the keys: it
    could only be reopened by replying to it). A caseworker of its department has it (assigned); anyone else
    who reopens it (an administrator) leaves it new for the department."""
    if case.status != "closed":
        return
    if works_in(user, case):
        case.status, case.assignee_id = "assigned", user.id
    elif case.assignee is not None and case.assignee.active:
        case.status = "assigned"
    else:  # nobody, or a deactivated account (release_assigned): new for the department
        case.status, case.assignee_id = "new", None
    case.closed_at, case.updated_at = None, utcnow()
    case.notes.append(system_note("reopened", user))
    db.session.commit()

def open_assigned(user: User) -> int:
    """How many open cases are assigned to ``user`` (what deactivating the account would release)."""
    return len(db.session.scalars(select(Case.id).where(Case.assignee_id == user.id,
                                                        Case.status.in_(OPEN_STATES))).all())


def release_assigned(user: User) -> int:
    """The open cases assigned to ``user`` (whose account is being deactivated) go back to their departments'
    queues, with a note: assigned to nobody who can log in, they looked taken to the colleagues. An answered
    case stays answered, without a caseworker: when the resident writes again it is new for the department.
    Returns how many; the caller commits."""
    cases = db.session.scalars(select(Case).where(Case.assignee_id == user.id, Case.status.in_(OPEN_STATES))).all()
    for case in cases:
        case.assignee_id = None
        if case.status == "assigned":
            case.status = "new"
        case.notes.append(system_note("released"))
        case.updated_at = utcnow()
    return len(cases)


def reassign(case: Case, user: User, department: str, reason: str) -> None:
    reason = clean(reason or "")  # before the check: a reason of control characters only is none
    if not reason.strip():
        raise ValueError("A reason is required to reassign a case.")
    if case.conversation.municipality.department(department) is None:
        raise ValueError(f"Unknown department '{department}'.")
    old = case.department
    case.department, case.assignee_id, case.status = department, None, "new"
    case.notes.append(system_note("reassigned", user, old=old, new=department, reason=reason.strip()))
    db.session.commit()
    after_open(case)  # the new department's articles and replies make the drafts now


def add_note(case: Case, user: User, text: str) -> None:
    text = clean(text or "")  # before the check: a note of control characters only is empty
    if not text.strip():
        raise ValueError("The note is empty.")
    case.notes.append(CaseNote(kind="note", author_id=user.id, text=text.strip()))
    db.session.commit()
