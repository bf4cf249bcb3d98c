"""The e-mail channel in the app: intake (import or IMAP) → triage → case / auto-reply / set aside,
caseworker replies sent by SMTP in the resident's thread, and the triage figures for analytics.

Every mail gets one :class:`MailItem` with the triage decision and one transparency record with its
reason. Nothing is lost: a mail the NLU cannot read becomes a case for the service desk; a mail
delivered twice (same Message-ID) is counted on the first row, never a second case; a reply that
cannot be sent is noted on the case.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select, update

from kb.render import markdown_to_text
from kb.store import find_answer, kb_lexicon, kb_version
from mail.outbound import case_in_subject, compose_reply, message_id_of, send
from mail.parse import Mail, read_mail, with_forwarded
from mail.triage import Decision, MailSettings, triage_many
from privacy.crypto import decrypt, encrypt
from tinget.catalog import DEFAULT_DEPARTMENT
from tinget.db import utcnow
from tinget.language import detect
from tinget.models import Municipality
from web.extensions import db
from web.mail_models import MailItem
from web.models import AuditEvent, Case, Conversation, Draft, Message, TransparencyRecord
from web.services import cases
from web.services.mail_settings import OwnOrConfig, own_mail, sender_allowed
from web.services.public_values import PublicValues
from web.services.smtp import smtp_settings

log = logging.getLogger(__name__)
BATCH = 32
AUTO_REPLY_PER_SENDER_HOURS = 24  # at most one automatic reply per sender in this window (RFC 3834)
GREETINGS = {"nb": "Hei!", "nn": "Hei!", "sv": "Hej!", "da": "Hej!", "fi": "Hei!", "en": "Hello,"}
SOURCE = {"nb": "Les mer", "nn": "Les meir", "sv": "Läs mer", "da": "Læs mere", "fi": "Lue lisää", "en": "Read more"}
ROUTE_FOR_LOG = {"answer": "answer", "route": "handoff", "set_aside": "set_aside"}
# Why an e-mail was not sent (logs, the transparency record, the case note); failure_code() reads them back
NO_SMTP = "no SMTP server configured"
NO_ADDRESS = "the sender's address is unknown"


# ------------------------------------------------------------------------------ settings
def municipality_for(slug: str | None) -> Municipality:
    """The municipality a command names (``--municipality``); without a name, the installation's only one.
    With several (a region's installation) a command must say which: the first one by default put one
    municipality's mail, or deletion, into another's (as the resident API refuses a missing municipality)."""
    query = select(Municipality)
    if slug:
        query = query.where(Municipality.slug == slug)
    rows = db.session.scalars(query.order_by(Municipality.id).limit(None if slug else 50)).all()
    if not rows:
        raise ValueError(f"No municipality '{slug}'." if slug else "No municipality: run `tinget demo load`.")
    if not slug and len(rows) > 1:
        raise ValueError("This installation has several municipalities: name one with --municipality "
                         f"({', '.join(m.slug for m in rows)}).")
    return rows[0]


def mail_settings(m: Municipality) -> MailSettings:
    return MailSettings.from_settings(m.settings)


def from_address(m: Municipality) -> str:
    """The sender of the municipality's replies: the admin's choice (settings page) when it may be used on the
    server in use (web.services.mail_settings.sender_allowed, checked here again: the SMTP server may have
    changed since it was saved), else the municipality's contact address, else the installation's."""
    own = own_mail(m).get("from")
    if own and sender_allowed(m, own):
        return own
    return (m.settings or {}).get("email") or current_app.config.get("MAIL_FROM", "no-reply@localhost")


def _key() -> str:
    return current_app.config["ENCRYPTION_KEY"]


def sender_hash(address: str) -> str:
    return hmac.new(_key().encode(), address.strip().lower().encode(), hashlib.sha256).hexdigest()


def _nlu():
    """The mail NLU for this app's model directory, loaded once per process (mail.nlu caches it by
    path and file signature): an intake batch reuses it; a new or retrained model file is read again."""
    from mail.nlu import NLUUnavailable, RasaHTTPNLU, current_model_cached, load_nlu

    model = current_model_cached(Path(current_app.config["MODEL_DIR"]))
    if model is None:  # no model file here: a running Rasa server may still parse (slowly)
        if current_app.config.get("RASA_URL"):
            return RasaHTTPNLU(current_app.config["RASA_URL"], float(current_app.config.get("RASA_TIMEOUT", 15)))
        raise NLUUnavailable("No trained Rasa model (run `tinget bot train`).")
    return load_nlu(model, current_app.config.get("RASA_URL"))


# ------------------------------------------------------------------------------ intake
def import_files(m: Municipality, files: list[Path], progress=None) -> Counter:
    """Read and take in the files in batches; ``progress(n)`` is called with the files done per batch."""
    counts: Counter = Counter()
    for start in range(0, len(files), BATCH):
        raws = []
        for path in files[start:start + BATCH]:
            try:
                raws.append(path.read_bytes())
            except OSError as exc:
                log.warning("cannot read %s: %s", path.name, exc)
                counts["unreadable"] += 1
        for result in intake(m, raws):
            counts[result["status"]] += 1
        if progress:
            progress(len(files[start:start + BATCH]))
    return counts


def intake(m: Municipality, raws: list[bytes]) -> list[dict]:
    """Parse, redact, deduplicate and triage a batch of delivered mails; store what each became."""
    settings = mail_settings(m)
    mails: list[Mail] = []
    results: list[dict | None] = []
    for raw in raws:
        mail = read_mail(raw, allow=PublicValues(m))
        existing = db.session.scalar(select(MailItem).where(
            MailItem.municipality_id == m.id, MailItem.direction == "in", MailItem.message_id == mail.message_id))
        if existing is None and any(x.message_id == mail.message_id for x in mails):
            existing = "batch"
        if existing is not None:
            if isinstance(existing, MailItem):
                existing.deliveries += 1
            log.info("duplicate delivery of %s skipped", mail.message_id[:80])
            results.append({"status": "duplicate", "message_id": mail.message_id,
                            "case_id": getattr(existing, "case_id", None)})
            continue
        mails.append(mail)
        results.append(None)
    threads = [_thread_of(m, mail) for mail in mails]
    local = kb_lexicon(db.session, m.id)  # the municipality's own article words count as evidence, as in chat
    langs = [detect(mail.own_text or mail.subject, m.default_lang, local=local).lang for mail in mails]
    try:
        nlu = _nlu()
        decisions = triage_many(mails, nlu, settings, known_threads=[t is not None for t in threads], langs=langs)
        model_name = nlu.name
    except Exception as exc:  # the NLU failing must not lose a mail: a person sorts it
        log.warning("mail triage without NLU (%s): to the service desk", exc)
        from mail.classify import set_aside

        decisions, model_name = [], ""
        for mail, lang in zip(mails, langs, strict=True):
            aside = set_aside(mail)
            decisions.append(Decision("set_aside", None, [], False, f"set aside ({aside.kind}): {aside.reason}",
                                      1.0, aside.kind, lang) if aside else
                             Decision("route", DEFAULT_DEPARTMENT, [], False,
                                      f"route to {DEFAULT_DEPARTMENT}: intents unavailable ({exc.__class__.__name__})",
                                      0.0, lang=lang))
    it = iter(zip(mails, threads, decisions, strict=True))
    for i, r in enumerate(results):
        if r is None:
            mail, thread, decision = next(it)
            results[i] = _store(m, mail, thread, decision, settings, model_name)
    db.session.commit()
    for r in results:
        if r.get("case_id") and r.get("status") == "route":
            case = db.session.get(Case, r["case_id"])
            if case is not None:
                cases.after_open(case)  # suggester drafts; failing is logged, the case stays
    return results  # type: ignore[return-value]


def _thread_of(m: Municipality, mail: Mail) -> MailItem | None:
    """The mail this one answers: by In-Reply-To/References, else by the case tag of our reply's subject
    ("Re: … [#12]") if the sender is the one that case's mail came from (a tag alone joins no one's case)."""
    ids = [i for i in [mail.in_reply_to, *reversed(mail.references)] if i]
    if ids:
        found = db.session.scalars(select(MailItem).where(
            MailItem.municipality_id == m.id, MailItem.message_id.in_(ids), MailItem.conversation_id.is_not(None))
            .order_by(MailItem.id.desc())).first()
        if found is not None:
            return found
    case_id = case_in_subject(mail.subject)
    if case_id is None or not mail.from_addr:
        return None
    return db.session.scalars(select(MailItem).join(Case, Case.conversation_id == MailItem.conversation_id).where(
        MailItem.municipality_id == m.id, Case.id == case_id, Case.municipality_id == m.id,
        MailItem.direction == "in", MailItem.sender_hash == sender_hash(mail.from_addr))
        .order_by(MailItem.id.desc())).first()


def _store(m: Municipality, mail: Mail, thread: MailItem | None, d: Decision, settings: MailSettings,
           model_name: str) -> dict:
    now = utcnow()
    item = MailItem(municipality_id=m.id, direction="in", message_id=mail.message_id, in_reply_to=mail.in_reply_to,
                    references=mail.references, sender=encrypt(mail.from_addr, _key()) if mail.from_addr else b"",
                    sender_hash=sender_hash(mail.from_addr) if mail.from_addr else "", subject=mail.subject[:1000],
                    lang=d.lang, attachments=[a.as_dict() for a in mail.attachments], problems=mail.problems,
                    action=d.action, department=d.department, intents=d.intents, auto_reply=False,
                    confidence=round(float(d.confidence), 4), reason=d.reason[:300], set_aside_kind=d.set_aside_kind)
    db.session.add(item)
    record = TransparencyRecord(municipality_id=m.id, channel="mail", redactions=mail.redactions, lang=d.lang,
                                lang_source="detected", intent=(d.intents or [""])[0], confidence=item.confidence,
                                route=ROUTE_FOR_LOG[d.action], reason=d.reason[:200], model_version=model_name,
                                kb_version=kb_version(db.session, m.id))
    db.session.add(record)
    if mail.problems:
        log.info("mail %s read with problems: %s", mail.message_id[:80], ", ".join(mail.problems))
    if d.action == "set_aside":
        item.text = mail.own_text[:20_000]
        item.keep_until = now + timedelta(days=settings.set_aside_days)
        result = {"status": "set_aside", "message_id": mail.message_id, "case_id": None, "reason": d.reason}
        if d.set_aside_kind == "bounce":
            result["returned_case_id"] = _returned_reply(m, mail)
        return result

    conv = thread.conversation if thread is not None else None
    text = with_forwarded(mail.subject, mail.own_text, mail.forwarded_text()) or "(no text)"
    if conv is None:
        conv = Conversation(municipality_id=m.id, lang=d.lang or m.default_lang, channel="mail", state="handoff",
                            resident_email=encrypt(mail.from_addr, _key()).decode() if mail.from_addr else "")
        db.session.add(conv)
    conv.last_activity = now
    msg = Message(conversation=conv, sender="resident", text=text, lang=d.lang, intent=(d.intents or [""])[0],
                  confidence=item.confidence, route=ROUTE_FOR_LOG[d.action],
                  meta={"channel": "mail", "attachments": item.attachments, "subject": mail.subject[:300]})
    db.session.add(msg)
    record.conversation, record.message = conv, msg
    if thread is not None and conv.cases:
        case = cases.add_resident_message(conv, msg, mail.original)
        item.department = case.department  # a follow-up joins its case: no triage of its own to override
    else:
        case = cases.open_case(conv, msg, mail.original, department=d.department or DEFAULT_DEPARTMENT,
                               reason=f"mail_{d.action}", intent=(d.intents or [""])[0], confidence=item.confidence)
    item.conversation, item.case = conv, case
    result = {"status": d.action, "message_id": mail.message_id, "case_id": case.id, "reason": d.reason,
              "auto_reply": False}
    if d.action == "answer":
        body = _kb_reply(m, d.intents, d.lang or m.default_lang, case.department)
        if not body:  # no article to answer with: nothing is sent or drafted, a person answers
            _to_a_person(item, record, msg, case, d, result)
            return result
        case.drafts.append(Draft(rank=0, text=body, score=item.confidence, lang=d.lang,
                                 sources=[{"source_id": f"article:{i}:{d.lang}", "intent": i} for i in d.intents]))
        if d.auto_reply:
            sent, why = _auto_reply(m, mail, item, conv, case, body)
            item.auto_reply = sent
            result["auto_reply"] = sent
            record.reason = (d.reason if sent else f"{d.reason} — not sent: {why}")[:200]
            item.reason = record.reason
    return result


def _returned_reply(m: Municipality, mail: Mail) -> int | None:
    """A delivery report returning one of our replies (its Message-ID in the report's copy of the mail, or
    in In-Reply-To/References): the reply's case gets a note and is back in the open queue, or nobody would
    know that the resident never got the answer. Returns the case's id."""
    ids = [i for i in [*mail.returned_ids, mail.in_reply_to, *mail.references] if i]
    if not ids:
        return None
    ours = db.session.scalars(select(MailItem).where(
        MailItem.municipality_id == m.id, MailItem.direction == "out", MailItem.message_id.in_(ids),
        MailItem.case_id.is_not(None)).order_by(MailItem.id.desc())).first()
    if ours is None or ours.case is None:
        return None
    case = ours.case
    case.notes.append(cases.system_note("mail_returned"))
    cases.back_in_queue(case)
    return case.id


def _to_a_person(item: MailItem, record: TransparencyRecord, msg: Message, case: Case, d: Decision,
                 result: dict) -> None:
    """Triage planned an answer (automatic or drafted), but the knowledge base has no article for the topic
    in the mail's language (nor its fallbacks): the mail is routed to the case's department like any mail a
    person answers, and the stored outcome says so (it said "sent automatically" or "answer drafted" while
    nothing was). The case is in the department's open queue as a routed mail; the suggester drafts for it."""
    reason = (f"route to {case.department} (no knowledge base article in {d.lang or '?'}): {d.reason}"
              .replace("; sent automatically", "; automatic reply planned"))
    item.action, item.reason, record.reason = "route", reason[:300], reason[:200]
    record.route = msg.route = ROUTE_FOR_LOG["route"]
    if case.reason == "mail_answer":  # opened for this mail (a follow-up joins its case as it is)
        case.reason = "mail_route"
    result.update(status="route", reason=reason)


def _kb_reply(m: Municipality, intents: list[str], lang: str, department: str) -> str:
    parts = []
    for intent in intents:
        answer = find_answer(db.session, m, intent, lang)
        if answer is None:
            return ""  # no article: a person answers
        parts.append(answer.body.strip() + (f"\n\n{SOURCE.get(lang, 'Les mer')}: {answer.source_url}" if answer.source_url else ""))
    dep = m.department(department)
    signature = dep.signature(lang) if dep else m.name
    return "\n\n".join([GREETINGS.get(lang, "Hei!"), *parts, signature]).strip()


def _auto_reply(m: Municipality, mail: Mail, item: MailItem, conv: Conversation, case: Case, body: str) -> tuple[bool, str]:
    """Send the KB answer now. Guards: a real sender, SMTP configured, one auto-reply per sender per day."""
    if not mail.from_addr or "@" not in mail.from_addr or mail.from_addr.split("@")[0] in ("no-reply", "noreply", "donotreply"):
        return False, "no address to reply to"
    since = utcnow() - timedelta(hours=AUTO_REPLY_PER_SENDER_HOURS)
    recent = db.session.scalar(select(MailItem.id).where(
        MailItem.municipality_id == m.id, MailItem.direction == "out", MailItem.auto_reply.is_(True),
        MailItem.sender_hash == item.sender_hash, MailItem.received_at >= since).limit(1))
    if recent is not None:
        return False, "this sender got an automatic reply in the last 24 hours (loop guard)"
    smtp = smtp_settings(m)
    if smtp is None:
        return False, NO_SMTP
    ok, why = _send(m, conv, case, item, body, automatic=True, author="auto-reply")
    if ok:
        # answered and done: nothing is left for a caseworker (not in the "open" queue, retention applies);
        # the resident writing again in the thread reopens it (cases.add_resident_message)
        now = utcnow()
        case.status, case.closed_at, case.unread = "closed", now, 0
        case.first_reply_at = case.first_reply_at or now
        for draft in case.drafts:
            if draft.rank == 0:
                draft.status = "accepted"
    return ok, why


def _send(m: Municipality, conv: Conversation, case: Case, incoming: MailItem, body: str, *, automatic: bool,
          author: str, reply_message: Message | None = None) -> tuple[bool, str]:
    smtp = smtp_settings(m)
    if smtp is None:
        return False, NO_SMTP
    to = decrypt(incoming.sender, _key()) if incoming.sender else ""
    if not to:
        return False, NO_ADDRESS
    # the KB answer (and a draft built from it) is Markdown: the plain-text mail gets no "**" (as chat_mail)
    msg = compose_reply(from_addr=from_address(m), from_name=m.name, to=to, subject=incoming.subject,
                        body=markdown_to_text(body),
                        in_reply_to=incoming.message_id, references=incoming.references, automatic=automatic,
                        lang=case.lang, case=case.id)
    try:
        send(msg, smtp)
    except Exception as exc:  # SMTP down or refusing: the reply stays in the console, the case says so
        log.warning("sending the reply for case %s failed: %s", case.id, exc.__class__.__name__)
        return False, f"SMTP: {exc.__class__.__name__}"
    if reply_message is None:
        reply_message = Message(conversation=conv, sender="bot" if automatic else "caseworker", text=body,
                                lang=case.lang, route="answer", meta={"author": author, "channel": "mail"})
        db.session.add(reply_message)
    out = MailItem(municipality_id=m.id, direction="out", message_id=message_id_of(msg),
                   in_reply_to=incoming.message_id, references=list(incoming.references) + [incoming.message_id],
                   conversation=conv, case=case, sender_hash=incoming.sender_hash, subject=str(msg["Subject"])[:1000],
                   lang=case.lang, action="sent", auto_reply=automatic, reason=author[:300])
    db.session.add(out)
    return True, ""


def close_auto_answered(*, dry_run: bool = False) -> int:
    """Close the mail cases the automatic reply answered that were left "answered" (open, in the caseworkers'
    "open" queue) before an automatic reply closed its case: those with a sent automatic reply and no
    caseworker reply, that the resident did not write to again since (that would have made them new).
    Closed as of the automatic reply. One-off and idempotent; ``dry_run`` only counts."""
    auto = (select(MailItem.case_id, func.max(MailItem.received_at).label("at"))
            .where(MailItem.direction == "out", MailItem.auto_reply.is_(True), MailItem.action == "sent")
            .group_by(MailItem.case_id).subquery())
    caseworker = select(Message.id).where(Message.conversation_id == Case.conversation_id,
                                          Message.sender == "caseworker").exists()
    rows = db.session.execute(select(Case, auto.c.at).join(auto, auto.c.case_id == Case.id)
                              .where(Case.status == "answered", ~caseworker)).all()
    if not dry_run:
        for case, at in rows:
            case.status, case.closed_at = "closed", at or utcnow()
        db.session.commit()
    return len(rows)


def failure_code(why: str) -> str:
    """``no_smtp``, ``no_address`` or ``smtp_error`` for a reason :func:`_send` gave."""
    return {NO_SMTP: "no_smtp", NO_ADDRESS: "no_address"}.get(why, "smtp_error")


def send_case_reply(case: Case, reply: Message) -> str | None:
    """Called by :func:`web.services.cases.reply`: a caseworker's reply to a mail case goes out by e-mail
    in the resident's thread. Returns "sent", "failed", "already_sent" (claimed by another request) or None
    (not a mail case); the outcome is kept on the reply's meta (``mail``, and ``mail_failure``: ``no_smtp``,
    ``no_address`` or ``smtp_error``).

    A reply that could not be sent stays stored (the console shows it) and is noted on the case; there
    is no outbox: nothing sends it later. The caseworker is told so and sends it again."""
    conv = case.conversation
    if conv.channel != "mail":
        return None
    incoming = db.session.scalars(select(MailItem).where(
        MailItem.conversation_id == conv.id, MailItem.direction == "in").order_by(MailItem.id.desc())).first()
    if incoming is not None:  # the mail this reply answers: sending it again answers the same one (same thread)
        reply.meta = {**reply.meta, "mail_answers": incoming.id}
    # claimed before the mail server is called, as a resend is: a process that dies during the call leaves
    # "sending", which turns "unknown" (maybe not sent, may be sent again) once the claim is stale
    if not _claim(reply, Message.meta["mail"].as_string().is_(None)):
        return "already_sent"
    ok = _send_claimed(case, reply, incoming)
    db.session.commit()
    return "sent" if ok else "failed"


def _claim(reply: Message, unclaimed) -> bool:
    """Mark ``reply``'s e-mail as being sent ("sending", stamped ``mail_claimed_at``) and commit, if the
    SQL condition ``unclaimed`` still holds in the database: of two requests at once, one claims it."""
    claimed = db.session.execute(  # what this request read may be stale: the database decides
        update(Message).where(Message.id == reply.id, unclaimed)
        .values(meta={**reply.meta, "mail": "sending", "mail_claimed_at": cases.claim_stamp(utcnow())})).rowcount
    if claimed != 1:
        db.session.rollback()
        return False
    db.session.commit()
    db.session.refresh(reply)
    return True


def _send_claimed(case: Case, reply: Message, incoming: MailItem | None) -> bool:
    """:func:`_send_reply` for a claimed reply. An error that is not an SMTP failure (those are an outcome)
    frees the claim ("failed": it can be sent again) and is raised: the error is the app's."""
    try:
        return _send_reply(case, reply, incoming)
    except Exception:
        db.session.rollback()
        db.session.execute(update(Message).where(Message.id == reply.id).values(meta={**reply.meta, "mail": "failed"}))
        db.session.commit()
        raise


def _send_reply(case: Case, reply: Message, incoming: MailItem | None) -> bool:
    """Send ``reply`` in the thread of ``incoming`` and keep the outcome on its meta (not committed)."""
    conv = case.conversation
    if incoming is None:  # no mail to answer in (the address was never stored): say so, do not pretend
        ok, why = False, NO_ADDRESS
    else:
        ok, why = _send(conv.municipality, conv, case, incoming, reply.text, automatic=False,
                        author=reply.meta.get("author", "caseworker"), reply_message=reply)
    meta = {k: v for k, v in reply.meta.items() if k not in ("mail_failure", "mail_claimed_at")}
    if ok:
        reply.meta = {**meta, "mail": "sent"}
    else:
        reply.meta = {**meta, "mail": "failed", "mail_failure": failure_code(why)}
        case.notes.append(cases.system_note("mail_not_sent", why=why))
    return ok


def _answered_mail(case: Case, reply: Message) -> MailItem | None:
    """The resident's mail ``reply`` answered when it was first sent: the one recorded then
    (``mail_answers``), else (a reply stored before that was recorded) the latest received before it."""
    conv = case.conversation
    known = db.session.get(MailItem, reply.meta["mail_answers"]) if reply.meta.get("mail_answers") else None
    if known is not None and known.conversation_id == conv.id and known.direction == "in":
        return known
    mails = select(MailItem).where(MailItem.conversation_id == conv.id, MailItem.direction == "in")
    return (db.session.scalars(mails.where(MailItem.received_at <= reply.created_at)
                               .order_by(MailItem.id.desc())).first()
            or db.session.scalars(mails.order_by(MailItem.id.desc())).first())


def resend_case_reply(case: Case, reply: Message, user) -> str:
    """Send again the e-mail of a mail case's reply that was not sent (``mail`` "failed" on its meta): the
    same stored reply, in the same thread (In-Reply-To/References of the mail it first answered).

    Returns "sent", "failed" (the meta says why again, and the case has a note) or "already_sent": a
    reply whose e-mail went out (or is going out in another request right now) is never sent twice. The
    row is claimed first with a conditional UPDATE, so two clicks at once send one e-mail.

    A claim older than cases.MAIL_CLAIM_STALE ("unknown": the process died between claim and outcome)
    may be claimed again: the console shows it as maybe not sent, and warns that it may go out twice."""
    if cases.mail_state(reply.meta) not in ("failed", "unknown"):
        return "already_sent"
    if not _claim(reply, cases.unsent_mail()):
        return "already_sent"
    ok = _send_claimed(case, reply, _answered_mail(case, reply))
    if ok:
        case.notes.append(cases.system_note("mail_sent_later", user))
    db.session.add(AuditEvent(municipality_id=case.municipality_id, actor=user.email, action="resend_mail_reply",
                              target=f"case:{case.id}",
                              details={"message_id": reply.id, "outcome": "sent" if ok else "failed",
                                       "failure": reply.meta.get("mail_failure", "")}))
    db.session.commit()
    return "sent" if ok else "failed"


# ------------------------------------------------------------------------------ IMAP
def imap_settings(m: Municipality):
    from mail.imap import IMAPSettings

    s = OwnOrConfig(m, "imap", "MAIL_IMAP")
    host = s.value("host")
    if not host:
        return None
    return IMAPSettings(host=host, port=int(s.value("port") or 993), user=s.value("user", ""),
                        password=s.password(), use_ssl=s.flag("ssl", True),
                        folder=s.value("folder", "INBOX"), policy=s.policy())


def poll_imap(m: Municipality) -> Counter:
    """Fetch unseen mail, triage it, then mark it seen (after the triage is stored)."""
    from mail import imap

    settings = imap_settings(m)
    if settings is None:
        raise ValueError("No IMAP postbox configured (MAIL_IMAP_HOST or settings.mail.imap).")
    counts: Counter = Counter()
    client = imap.connect(settings)
    try:
        fetched = imap.fetch_unseen(client)
        for start in range(0, len(fetched), BATCH):
            chunk = fetched[start:start + BATCH]
            for r in intake(m, [raw for _, raw in chunk]):
                counts[r["status"]] += 1
            imap.mark_seen(client, [uid for uid, _ in chunk])
    finally:
        imap.logout(client)
    counts["fetched"] = len(fetched)
    return counts


# ------------------------------------------------------------------------------ review and analytics
def release(item: MailItem, user, department: str | None = None) -> Case:
    """A caseworker moves a set-aside mail into a case (an override of the triage, counted as such)."""
    m = db.session.get(Municipality, item.municipality_id)
    conv = Conversation(municipality_id=m.id, lang=item.lang or m.default_lang, channel="mail", state="handoff",
                        resident_email=encrypt(decrypt(item.sender, _key()), _key()).decode() if item.sender else "")
    db.session.add(conv)
    msg = Message(conversation=conv, sender="resident", text="\n\n".join(t for t in (item.subject, item.text) if t),
                  lang=item.lang, route="handoff", meta={"channel": "mail", "released_by": user.email,
                                                        "subject": item.subject[:300]})
    db.session.add(msg)
    case = cases.open_case(conv, msg, "", department=department or DEFAULT_DEPARTMENT, reason="mail_released")
    item.conversation, item.case, item.released_at, item.keep_until = conv, case, utcnow(), None
    db.session.commit()
    return case


def purge(now=None) -> int:
    """Retention for mail rows: set-aside mails past their review period are deleted; rows whose
    conversation retention deleted lose the sender, subject and text (the triage decision stays for
    analytics, as the transparency log does)."""
    now = now or utcnow()
    expired_rows = db.session.scalars(select(MailItem).where(MailItem.keep_until.is_not(None),
                                                             MailItem.keep_until < now)).all()
    for row in expired_rows:
        db.session.delete(row)
    orphans = db.session.scalars(select(MailItem).where(
        MailItem.conversation_id.is_(None), MailItem.keep_until.is_(None), MailItem.sender_hash != "")).all()
    for row in orphans:
        _forget(row)
    db.session.commit()
    return len(expired_rows) + len(orphans)


def _forget(row: MailItem) -> None:
    """Drop what a mail row holds of the resident (address, subject, text); the triage decision stays."""
    row.sender, row.sender_hash, row.subject, row.text = b"", "", "", ""


def forget_conversation(conversation_id: int) -> int:
    """Deletion on request: the mail rows of a conversation lose the sender, subject and text at once
    (not at the next retention run, hours later) and their link. The caller commits."""
    rows = db.session.scalars(select(MailItem).where(MailItem.conversation_id == conversation_id)).all()
    for row in rows:
        _forget(row)
        row.conversation_id = row.case_id = None
    return len(rows)


def triage_stats(m: Municipality, since=None) -> dict:
    """Share answered / routed / set aside, per department, auto-replies, and how often caseworkers
    overrode the triage (a mail case reassigned to another department; a set-aside mail released)."""
    query = select(MailItem).where(MailItem.municipality_id == m.id, MailItem.direction == "in")
    if since is not None:
        query = query.where(MailItem.received_at >= since)
    items = db.session.scalars(query).all()
    actions = Counter(i.action for i in items)
    per_dep: dict[str, Counter] = defaultdict(Counter)
    overrides = Counter()
    for i in items:
        if i.action != "set_aside":
            per_dep[i.department or DEFAULT_DEPARTMENT][i.action] += 1
        if i.case is not None and i.department and i.case.department != i.department and i.action != "set_aside":
            overrides["department"] += 1
        if i.released_at is not None:
            overrides["action"] += 1
    total = len(items)

    def share(n: int, d: int) -> float:
        return round(100.0 * n / d, 1) if d else 0.0

    return {
        "total": total,
        "counts": {a: actions.get(a, 0) for a in ("answer", "route", "set_aside")},
        "share": {a: share(actions.get(a, 0), total) for a in ("answer", "route", "set_aside")},
        "auto_replies": sum(1 for i in items if i.auto_reply),
        "duplicates": sum(i.deliveries - 1 for i in items),
        "set_aside_by_kind": dict(Counter(i.set_aside_kind for i in items if i.action == "set_aside")),
        "per_department": {dep: {"answer": c.get("answer", 0), "route": c.get("route", 0),
                                 "share_answered": share(c.get("answer", 0), sum(c.values()))}
                           for dep, c in sorted(per_dep.items())},
        "overrides": {"department": overrides["department"], "action": overrides["action"],
                      "rate": share(overrides["department"] + overrides["action"], total)},
    }
