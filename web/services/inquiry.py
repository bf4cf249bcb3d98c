"""One resident message through the whole path (ARCHITECTURE.md, "Data flow"):

validate -> redact -> store -> language -> Rasa (action_answer / action_handoff) -> reply or case.

Nothing a resident writes is lost: if redaction or Rasa fails, the message becomes a case and the
resident is told a caseworker will answer.
"""

from __future__ import annotations

import logging
import math
import re
import time
from dataclasses import dataclass
from pathlib import PurePath

from flask import current_app

from kb.places import find_street
from kb.store import kb_lexicon, kb_version, system_text
from privacy import redact
from tinget.catalog import load_catalogue
from tinget.db import commit_keeping_objects, utcnow
from tinget.language import detect
from tinget.shorthand import written_out
from web.extensions import db
from web.models import Conversation, Message, TransparencyRecord
from web.services import also_asked, cases, conversations
from web.services.conversations import Known
from web.services.public_values import PublicValues
from web.services.rasa_client import RasaClient, RasaUnavailable
from web.services.transparency import chat_reason
from web.services.turn_rows import write_turn

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    resident_message: Message
    replies: list[Message]
    route: str

    @property
    def touched_case(self) -> bool:
        """False for a turn the bot answered itself: no case was opened, reopened or added to."""
        return self.route not in ("answer", "chitchat", "clarify")


def rasa_client() -> RasaClient:
    client = current_app.extensions.get("tinget.rasa")
    if client is None:
        client = RasaClient(current_app.config["RASA_URL"], current_app.config["RASA_TIMEOUT"])
        current_app.extensions["tinget.rasa"] = client
    return client


# How long a worker trusts the model name it last read from Rasa's /status. Rasa can load another model
# at any time (a retrain from the admin area, in another web worker, or Rasa restarted with a new one).
MODEL_CHECK_SECONDS = 30.0
MODEL_CHECK_TIMEOUT = 1.0


def model_version(status: dict | None = None) -> str:
    """The file name of the model Rasa serves, for the transparency record: read from Rasa's ``/status`` at
    most every MODEL_CHECK_SECONDS per worker, or taken from a ``status`` the caller already has; the last
    known name while Rasa cannot say (or "")."""
    ext = current_app.extensions
    now = time.monotonic()
    if status is not None or now - ext.get("tinget.model_checked_at", -math.inf) >= MODEL_CHECK_SECONDS:
        ext["tinget.model_checked_at"] = now  # also when Rasa is down: one try per period, not per message
        if status is None:
            try:
                # on the resident's request path, right after Rasa answered: a short timeout if it hangs now
                status = rasa_client().status(timeout=MODEL_CHECK_TIMEOUT)
            except RasaUnavailable:
                status = {}
        name = PurePath(str(status.get("model_file") or "")).name
        if name:
            ext["tinget.model_version"] = name
    return ext.get("tinget.model_version", "")


def receive(conv: Conversation, text: str, payload: str | None = None, known: Known | None = None) -> Outcome:
    """:func:`handle_message` with a last safety net: on any unexpected failure the message is still
    stored (redacted, or withheld if redaction is what failed) as a case, and the resident told so."""
    conv_id = conv.id
    try:
        return handle_message(conv, text, payload, known)
    except Exception:
        log.exception("handling a resident message failed; storing it as a case")
        db.session.rollback()
        conv = db.session.get(Conversation, conv_id)
        try:
            redacted = redact(text, conv.lang, allow=PublicValues(conv.municipality)).text
        except Exception:
            redacted = "[message withheld: redaction failed]"
        resident = Message(conversation=conv, sender="resident", text=redacted, lang=conv.lang, route="handoff")
        db.session.add(resident)
        record = TransparencyRecord(municipality_id=conv.municipality_id, conversation=conv, message=resident,
                                    channel=conv.channel, route="handoff", reason="internal_error")
        db.session.add(record)
        if conv.state != "bot":
            cases.add_resident_message(conv, resident, text)
            db.session.commit()
            return Outcome(resident, [], "paused")
        return _to_case(conv, resident, text, record, reason="internal_error", notice="rasa_down")


def offered_button(conv: Conversation, text: str, payload: str | None, known: Known | None = None) -> dict | None:
    """The quick-reply button the resident pressed, if the bot's last message offered it, or the one topic
    offered after an answer that a typed "ja takk" takes (also_asked.accepted). Only offered payloads
    reach Rasa as payloads: a resident cannot trigger an intent by typing "/intent"."""
    wanted = payload or text
    last = _last_bot_meta(conv, known)
    for button in (last.get("buttons") or []) if last is not None else []:
        if wanted in (button.get("payload"), button.get("title")) and (payload is None or wanted == button["payload"]):
            return button
    return also_asked.accepted(text, last) if payload is None else None


def handle_message(conv: Conversation, text: str, payload: str | None = None, known: Known | None = None) -> Outcome:
    # Nothing is written before Rasa has answered: a flush would open the database's write transaction
    # (on SQLite, its one write lock) and hold it through the Rasa call, queueing every other resident
    # behind this one. Nor while the replies are built: each row is inserted once, complete, at the
    # commit (no INSERT then UPDATE), and the write lock is held for the commit only. The resident's
    # message, the record and the replies start as transient objects: a turn the bot answers is written
    # by turn_rows.write_turn; a turn that opens or touches a case hands them to the session (_attach).
    with db.session.no_autoflush:
        municipality = conv.municipality
        button = offered_button(conv, text, payload, known) if conv.state == "bot" else None
        if button is not None and (payload is not None or text in (button["title"], button["payload"])):
            text = button["title"]  # pressed; a "ja takk" that takes an offer keeps the resident's words
        try:
            result = redact(text, conv.lang, allow=PublicValues(municipality))
            redacted, counts, redaction_ok = result.text, result.counts, True
        except Exception:  # the redactor must never let unredacted text through
            log.exception("redaction failed; the message is held as a case")
            redacted, counts, redaction_ok = "[message withheld: redaction failed]", {"FAILED": 1}, False

        resident = Message(conversation_id=conv.id, sender="resident", text=redacted, lang=conv.lang)
        record = TransparencyRecord(municipality_id=municipality.id, conversation_id=conv.id, message=resident,
                                    redactions=counts,
                                    channel=conv.channel, kb_version=kb_version(db.session, municipality.id))

        if not redaction_ok:
            return _to_case(conv, resident, text, record, reason="redaction_failed", notice="rasa_down")

        if conv.state != "bot":
            # The bot is paused: the message belongs to the caseworker's case (reopened if closed). Its
            # language is still followed: the notice below and the widget's texts answer in it.
            detection = detect(redacted, conv.lang, fixed=conv.lang_fixed, norwegian=municipality.default_lang,
                               local=kb_lexicon(db.session, municipality.id),
                               follow_up=_last_bot_meta(conv, known) is not None)
            conv.lang = resident.lang = detection.lang
            _attach(conv, record)
            case = cases.add_resident_message(conv, resident, text)
            record.route, record.reason = "paused", chat_reason("case", case=case.id)
            record.lang, record.lang_source = detection.lang, detection.source
            replies = []
            if not _last_bot_said(conv, "paused", known):
                replies.append(_bot_text(conv, "paused", system_text(db.session, municipality, "paused", conv.lang)))
            db.session.add_all(replies)
            db.session.commit()
            return Outcome(resident, replies, "paused")

        if button is not None:  # a button's title says nothing new about the language
            record.lang, record.lang_source = conv.lang, "button"
            rasa_text = button["payload"]
        else:
            detection = detect(redacted, conv.lang, fixed=conv.lang_fixed, norwegian=municipality.default_lang,
                               local=kb_lexicon(db.session, municipality.id),
                               follow_up=_last_bot_meta(conv, known) is not None)
            conv.lang = resident.lang = detection.lang
            record.lang, record.lang_source = detection.lang, detection.source
            rasa_text = re.sub(r"^[/\s]+", "", redacted) or "?"  # typed "/intent" is text, not a command
            rasa_text = written_out(rasa_text)  # "ka kosta bhg": the model reads "barnehage" (tinget.shorthand)
        metadata = {"lang": conv.lang, "municipality": municipality.slug}
        # Only the street name of a known school district goes to the bot, never the house number.
        street = find_street(text, municipality.settings.get("school_districts") or [])
        if street:
            metadata["street"] = street

        try:
            turn = rasa_client().send(conv.public_id, rasa_text, metadata)
        except RasaUnavailable as exc:
            log.warning("Rasa unavailable (%s); message stored as a case", exc)
            return _to_case(conv, resident, text, record, reason="bot_unavailable", notice="rasa_down")

        record.model_version = model_version()
        replies: list[Message] = []
        route = "answer"
        case_opened = False
        for payload in turn.payloads or [{"type": "handoff", "reason": "no_reply"}]:
            resident.intent = record.intent = payload.get("intent", "")
            resident.confidence = record.confidence = float(payload.get("confidence") or 0.0)
            kind = payload.get("type")
            if kind == "answer":
                route = "answer"
                record.article_id = payload.get("article_id") or record.article_id
                replies.append(_answer_message(conv, payload))
            elif kind == "chitchat":
                route = "chitchat"
                # the system text's key: the intent's, or the bot's own for "ok", "snakker du engelsk?" (bot.smalltalk)
                replies.append(_bot_text(conv, payload.get("key") or resident.intent, payload.get("text", ""), payload))
            elif kind == "clarify":  # "did you mean A or B?": the bot keeps the conversation
                route = "clarify"
                replies.append(_bot_text(conv, "clarify", payload.get("text", ""), payload,
                                         buttons=payload.get("buttons", [])))
            else:
                route = "out_of_scope" if payload.get("reason") == "out_of_scope" else "handoff"
                reason = payload.get("reason", "low_confidence")
                department = payload.get("department") or load_catalogue().department(resident.intent)
                notice = _notice_for(reason)
                if button is None and not replies and reason in _PART_NOTICE:
                    # "Vad kostar hemtjänst, och varför har jag inte fått något beslut om min ansökan?": the
                    # whole goes to a caseworker, the general question in it is answered first
                    part = _answer_part(conv, rasa_text, payload)
                    if part is not None:
                        answer, notice, department = part.answer, part.notice, part.department or department
                        reason = part.reason or reason
                        replies.append(answer)
                        record.article_id = answer.meta.get("article_id")
                outcome = _to_case(conv, resident, text, record, reason=reason, notice=notice,
                                   department=department, payload=payload, commit=False, answered=replies)
                replies.extend(outcome.replies)
                case_opened = True
        resident.route = record.route = route
        offered = None
        if route == "answer" and button is None and not case_opened and replies:
            reading = _read_clauses(conv, rasa_text, turn.payloads)
            if reading.handoff:
                # "..., og hvorfor har jeg ikke fått svar på søknaden min?": the answer stands and the part
                # about the resident's own case goes to a caseworker (web.services.also_asked)
                # The record keeps the topic answered (intent, confidence) and the handover's code as its
                # reason, as every handover's: the analytics group handovers by the two.
                outcome = _to_case(conv, resident, text, record, reason=reading.handoff,
                                   notice=_CLAUSE_NOTICE[reading.handoff],
                                   department=also_asked.handoff_department(reading), commit=False,
                                   answered=replies)
                replies.extend(outcome.replies)
                case_opened, route = True, outcome.route
            else:
                offered = also_asked.offer(db.session, conv.municipality, replies[-1], reading, conv.lang)
                also_asked.keep_for_later(replies[-1], reading.topics)
        if offered is None and route == "answer" and not case_opened and replies:
            # "Vilka är besökstiderna på äldreboendet? Och när hämtas soporna?": the bot asked which home first;
            # the other topic is offered under the answer to that question
            offered = also_asked.offer_kept(db.session, conv.municipality, replies[-1],
                                            _last_bot_meta(conv, known), conv.lang)
        if offered is not None:
            replies.append(_bot_text(conv, also_asked.TEXT_KEY, offered.text, buttons=offered.buttons,
                                     topics=offered.intents))
            record.reason = chat_reason("intent_also", intent=resident.intent, confidence=resident.confidence,
                                        offered=offered.intents)
        elif route in ("answer", "chitchat"):
            record.reason = chat_reason("intent", intent=resident.intent, confidence=resident.confidence)
        elif route == "clarify":
            options = [o for p in turn.payloads if p.get("type") == "clarify" for o in p.get("options", [])]
            record.reason = chat_reason("clarify", options=options)
        if case_opened:
            db.session.add_all(replies)
        else:
            write_turn(db.session, conv, resident, replies, record)
        commit_keeping_objects(db.session())
        return Outcome(resident, replies, route)


def _read_clauses(conv: Conversation, text: str, payloads: list[dict]) -> also_asked.Reading:
    """What the message's clauses ask besides the topic answered: another topic to offer after the answer
    ("Du spurte også om: «Avfallshenting»" and its button), or a part only a caseworker can answer
    (:mod:`web.services.also_asked`; a message of one clause costs nothing here)."""
    last = payloads[-1] if payloads else {}
    return also_asked.read_safely(text, conv.lang, last.get("intent", ""), last.get("ranking") or [],
                                  lambda clause: rasa_client().parse(clause, also_asked.PARSE_TIMEOUT))


# The notice after an answer when another part of the message goes to a caseworker.
_CLAUSE_NOTICE = {"personal_case": "personal_case_also", "human_handoff": "handoff_requested"}
# ... and after the part of a handed-over message that the bot answered, by the handover's reason
_PART_NOTICE = {"personal_case": "personal_case_also", "human_handoff": "handoff_requested",
                "low_confidence": "handoff_notice", "out_of_scope": "out_of_scope"}


@dataclass
class _Part:
    answer: Message  # the answer to the clause the bot can answer
    notice: str  # the notice after it
    department: str  # the case's queue ("": the bot's choice)
    reason: str = ""  # the case's reason ("": the bot's)


def _answer_part(conv: Conversation, text: str, payload: dict) -> _Part | None:
    """The answer to a clause of a message that goes to a caseworker as a whole, when the clause is a general
    question about a topic the model is sure of (also_asked.answerable_topic); the notice and department
    follow the clause a caseworker must answer, if the model reads one so, else the handover's reason."""
    # nothing was answered: the topic the model leans to is no reason to skip a clause ("Milloin kirjasto on
    # auki? Voiko joku soittaa minulle?" is library 0.89, handed over for its request for a person)
    reading = also_asked.read_safely(text, conv.lang, "", payload.get("ranking") or [],
                                     lambda clause: rasa_client().parse(clause, also_asked.PARSE_TIMEOUT))
    topic = also_asked.answerable_topic(reading)
    article = also_asked.article_payload(db.session, conv.municipality, topic, conv.lang) if topic else None
    if article is None:
        return None
    if reading.handoff:
        # a clause that names no service leaves the queue the bot chose for the whole message ("Kuinka haen
        # kotihoitoa? Äitini hakemus on ollut käsittelyssä kolme kuukautta." is a home-care matter)
        return _Part(_answer_message(conv, article), _CLAUSE_NOTICE[reading.handoff],
                     also_asked.handoff_department(reading, otherwise=payload.get("department") or ""),
                     reading.handoff)
    return _Part(_answer_message(conv, article), _PART_NOTICE[payload.get("reason", "low_confidence")], "")


def _notice_for(reason: str | None) -> str:
    return {"out_of_scope": "out_of_scope", "personal_case": "personal_case",
            "human_handoff": "handoff_requested"}.get(reason or "", "handoff_notice")


def _to_case(conv, resident, original, record, *, reason, notice, department=None, payload=None,
             commit=True, answered=()) -> Outcome:
    """Open a case for the resident's message and tell the resident, after the bot's ``answered`` replies
    (an answer to another part of the message): the transcript reads in the order the rows are written."""
    department = department or "service_desk"
    _attach(conv, record)
    db.session.add_all(answered)
    case = cases.open_case(conv, resident, original, department=department, reason=reason,
                           intent=resident.intent, confidence=resident.confidence)
    conv.state = "handoff"
    resident.route = record.route = "out_of_scope" if reason == "out_of_scope" else "handoff"
    record.reason = reason
    dep = conv.municipality.department(department)
    dep_name = dep.name(conv.lang) if dep else department
    text = system_text(db.session, conv.municipality, notice, conv.lang, department=dep_name)
    reply = _bot_text(conv, notice, text, payload, case_id=case.id)
    db.session.add(reply)
    if commit:
        db.session.commit()
    cases.after_open(case)
    return Outcome(resident, [reply], resident.route)


def _bot_text(conv, key, text, payload=None, **meta) -> Message:
    from kb.render import bot_markdown_to_html as markdown_to_html

    return Message(conversation_id=conv.id, sender="bot", text=text, html=markdown_to_html(text), lang=conv.lang,
                   intent=(payload or {}).get("intent", ""), route=key, meta={"key": key, **meta})


def _answer_message(conv, payload) -> Message:
    from kb.render import bot_markdown_to_html as markdown_to_html

    text = payload.get("text", "")
    html = payload.get("html") or markdown_to_html(text)
    note = payload.get("fallback_note") or ""
    if note:
        html = f"<p><em>{markdown_to_html(note)[3:-4]}</em></p>" + html
    return Message(conversation_id=conv.id, sender="bot", text=(note + "\n\n" + text).strip(), html=html,
                   lang=payload.get("article_lang", conv.lang), intent=payload.get("intent", ""), route="answer",
                   confidence=float(payload.get("confidence") or 0),
                   meta={"source_url": payload.get("source_url", ""), "title": payload.get("title", ""),
                         "article_id": payload.get("article_id"), "article_lang": payload.get("article_lang"),
                         "buttons": payload.get("buttons", []), "ask": payload.get("ask", ""),
                         "source_label": system_text(db.session, conv.municipality, "source_label", conv.lang)})


def _attach(conv: Conversation, record: TransparencyRecord) -> None:
    """Hand the turn's transient rows to the session (the record brings the resident's message), for a
    turn that opens or touches a case; the conversation's last activity is then written by the session."""
    conv.last_activity = utcnow()
    db.session.add(record)


def _last_bot_said(conv: Conversation, key: str, known: Known | None = None) -> bool:
    last = _last_bot_meta(conv, known)
    return last is not None and last.get("key") == key


def _last_bot_meta(conv: Conversation, known: Known | None = None) -> dict | None:
    """The bot's latest message's meta as read with the conversation (``known``), else read now."""
    return known.last_bot_meta if known is not None else conversations.last_bot_meta(conv)
