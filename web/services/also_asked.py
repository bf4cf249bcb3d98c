"""The other topic a resident asked about in the same message, offered right after the answer.

"Hva koster barnehage og når hentes søppel?" is classified as one intent (the model gives the whole message
one ranking, and the second topic's share in it ranges from a few per cent to 40 %), so the bot answered
one question and dropped the other without a word. Now the (redacted) message is cut into clauses
(:func:`tinget.clauses.clauses`); when it has more than one, each clause is classified on its own by
Rasa's ``/model/parse`` (the model only: the conversation's tracker is not touched), and a clause that is
confidently another catalogue topic with an article is offered in a message of its own right after the
answer (its source link stays with it): "Du spurte også om: «Avfallshenting»" and a quick-reply button
[Avfallshenting]. Pressing it asks that topic the ordinary way (an offered payload).

Only after an answer the bot gave itself (never after a handoff or a clarifying question), only for a typed
message (not a button), and only when the message has a second clause: a message without one costs no
classifier call. A reply that asks its own question with its own buttons (which nursing home?) keeps the
other topics, and the answer to its question offers them (:func:`keep_for_later`, :func:`offer_kept`).

A clause about the resident's own case ("..., og hvorfor har jeg ikke fått svar på søknaden min?") or asking
for a person is no topic to offer: only a caseworker can answer it. The model may still read the whole
message as the general question ("Hvad er åbningstiderne på biblioteket i weekenden, og hvorfor har jeg ikke
fået svar på min ansøgning?" is library 0.76, its second clause alone personal_case 0.99), and the bot
answered the library hours and dropped the rest. Such a clause (:attr:`Reading.handoff`) hands the
conversation to a caseworker right after the answer (web.services.inquiry), whether or not the answer asks
its own question: the answer stands, the personal part is not lost.

A clause that names only an aspect of a service and no service ("Hvad koster det at svømme, og er der rabat
for børn?": a discount, for children) follows up the topic answered: it is not offered as another topic,
however sure the model is of the clause read alone (kindergarten fees 0.89: discounts for children are
mostly asked about the kindergarten). Which words name a service and which an aspect is the suggester's
municipal glossary (kb.glossary.aspects_only).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from kb.glossary import aspects_only
from kb.places import says_where_one_lives
from kb.store import find_answer, system_text
from mail.classify import is_question
from mail.triage import OWN_CASE, general_question
from tinget.catalog import load_catalogue
from tinget.clauses import clauses, words

log = logging.getLogger(__name__)

CLAUSE_MIN = 0.80  # a clause names a topic of its own at this confidence (and not in the fallback) ...
ONE_WORD_MIN = 0.90  # ... a lone word ("... og svømmehall") at this one
MAX_CLAUSES_PARSED = 3  # parse calls per message at most
MAX_OFFERS = 2
HANDOFF_INTENTS = ("personal_case", "human_handoff")  # a clause only a caseworker can answer ...
HANDOFF_MIN = 0.60  # ... at this confidence when it asks something (such clauses read alone are 0.66-1.0) ...
# ... or, as mail.triage reads a segment (PERSONAL_MIN), at this one when it is the clause's likeliest reading and
# the clause asks no general question ("how/what/when ..."): "Entä miksi laskussani on väärä summa?" ("and why is
# the amount on my invoice wrong?") is personal_case 0.50 (invoice_payment 0.43) read alone, and was dropped
# without a word after the kindergarten fees it followed
WEAK_HANDOFF_MIN = 0.45
STATEMENT_HANDOFF_MIN = 0.80  # ... and at this one when it tells something without a "?": a statement beside
# the question is often its background ("min mand er kommet hjem fra hospitalet og har brug for hjælp til bad,
# hvordan får vi hjemmehjælp": personal_case 0.63 read alone, a home-care question), as mail.triage reads it
TOPIC_HINT = 0.10  # that clause's likeliest topic at this weight chooses its department
PARSE_TIMEOUT = 2.0  # the resident has the answer already waiting: a slow parse drops the offer, not the answer
TEXT_KEY = "also_asked"  # the system text over the buttons (kb/content/national/system.yml)
# A bare "yes" to a one-topic offer takes it: typed instead of pressed, it would otherwise be read on its own
# ("ja" is nothing the model can place: a caseworker got it). Whole message only, folded to lower case. A
# thanks alone ("takk!", "kiitos") is no yes: it is how a resident ends the conversation.
_YES = re.compile(r"^\s*(ja|jo|jaa|joo|yes|yeah|yep|kylla|ok|okay|okei|gjerne|garna|gerne|please)"
                  r"(\s+(ja|takk|tack|tak|kiitos|please|gjerne|garna|gerne|thanks|thank you|mielelläni))*"
                  r"\s*[.!]*\s*$", re.I)


@dataclass(frozen=True)
class Offer:
    intent: str
    title: str  # the article's title in the resident's language: the button's text

    @property
    def button(self) -> dict:
        return {"title": self.title, "payload": "/" + self.intent}


@dataclass(frozen=True)
class Reading:
    """What the clauses of a message ask besides the topic answered."""

    topics: list[str]  # other catalogue topics, in the message's order (at most MAX_OFFERS)
    handoff: str = ""  # "personal_case" or "human_handoff": a clause a caseworker must answer
    handoff_clause: str = ""  # that clause (its words name the department: handoff_department)
    handoff_ranking: tuple = ()  # its intent ranking
    topic_clauses: tuple = ()  # the clause that asks each of ``topics`` (answerable_topic reads them)


def read(text: str, lang: str, answered: str, ranking: list[dict], parse: Callable[[str], dict]) -> Reading:
    """The clauses of ``text`` classified one by one (only when it has two or more).

    ``parse`` is Rasa's ``/model/parse`` (its JSON); ``ranking`` the whole message's intent ranking as the
    action sent it: a clause's topic must be among those too (a fragment read alone can mean what the
    message does not: "My wife" is a greeting). A clause the model gives to a caseworker
    (HANDOFF_INTENTS, at HANDOFF_MIN, or STATEMENT_HANDOFF_MIN without a "?") needs no such support: the whole message's ranking is dominated by
    the topic the bot answered, and what the resident asks about their own case must never be dropped."""
    parts = clauses(text, lang)
    if len(parts) < 2:
        return Reading([])
    catalogue = load_catalogue()
    in_whole = {r.get("name") for r in ranking or []}
    found: list[str] = []
    asked: list[str] = []
    handoff: tuple[str, str, tuple] | None = None
    for part in parts[:MAX_CLAUSES_PARSED]:
        if says_where_one_lives(part):  # "når tømmes bosset? bor i sjøbuvegen": background (municipal_housing 0.8+)
            continue
        result = parse(part)
        intent = (result.get("intent") or {}).get("name") or ""
        confidence = float((result.get("intent") or {}).get("confidence") or 0.0)
        if intent in HANDOFF_INTENTS and handoff is None and _hands_over(part, confidence):
            handoff = (intent, part, tuple(result.get("intent_ranking") or ()))
            continue
        needed = ONE_WORD_MIN if len(words(part)) == 1 else CLAUSE_MIN
        if (intent == answered or intent in found or intent not in catalogue.intents
                or catalogue.route(intent) != "answer" or confidence < needed or intent not in in_whole):
            continue
        if aspects_only(part):  # "..., og er der rabat for børn?": about the topic answered, not another one
            continue
        found.append(intent)
        asked.append(part)
    topics, topic_clauses = found[:MAX_OFFERS], tuple(asked[:MAX_OFFERS])
    if handoff is None:
        return Reading(topics, topic_clauses=topic_clauses)
    return Reading(topics, *handoff, topic_clauses=topic_clauses)


def _hands_over(clause: str, confidence: float) -> bool:
    """Whether a clause the model reads as the resident's own case (or a request for a person) at
    ``confidence``, its likeliest reading, goes to a caseworker: a question at HANDOFF_MIN, or at
    WEAK_HANDOFF_MIN when it is no general question; a statement at STATEMENT_HANDOFF_MIN."""
    if "?" not in clause:
        return confidence >= STATEMENT_HANDOFF_MIN
    return confidence >= HANDOFF_MIN or (confidence >= WEAK_HANDOFF_MIN and not general_question(clause))


def answerable_topic(reading: Reading) -> str:
    """The topic of a clause the bot can answer although the message as a whole goes to a caseworker ("Vad
    kostar hemtjänst, och varför har jag inte fått något beslut om min ansökan?" is personal_case 0.99 as a
    whole, its first clause home care 0.99): a question with no word about the resident's own matter
    (mail.triage.OWN_CASE: "my application", "the decision", "my invoice" ...); else ""."""
    for intent, clause in zip(reading.topics, reading.topic_clauses, strict=False):
        if is_question(clause) and not OWN_CASE.search(clause):
            return intent
    return ""


def other_topics(text: str, lang: str, answered: str, ranking: list[dict], parse: Callable[[str], dict]) -> list[str]:
    """The catalogue topics other than ``answered`` that clauses of ``text`` ask about, in their order."""
    return read(text, lang, answered, ranking, parse).topics


def handoff_department(reading: Reading, otherwise: str = "") -> str:
    """The queue for the clause a caseworker must answer: the service the clause names (mail.vocabulary),
    else the clause's likeliest topic when the model gives it some weight ("..., og når får jeg svar på
    søknaden om barnehageplass?"), else ``otherwise`` if given, else the service desk, which sorts it. Not the
    topic just answered: "when is the library open, and why haven't I heard about my application?" is no
    library matter."""
    from mail.vocabulary import topics_named

    catalogue = load_catalogue()
    named = topics_named(reading.handoff_clause)
    if named:
        return catalogue.department(named[0])
    topics = [r for r in reading.handoff_ranking
              if catalogue.route(r.get("name")) == "answer" and float(r.get("confidence") or 0) >= TOPIC_HINT]
    if topics:
        return catalogue.department(topics[0]["name"])
    return otherwise or catalogue.department(reading.handoff)


def article_payload(session, municipality, intent: str, lang: str) -> dict | None:
    """The answer to ``intent`` as the bot's action sends it (bot.dialogue), for a topic the app answers
    itself (:func:`answerable_topic`); None without an article."""
    answer = find_answer(session, municipality, intent, lang)
    if answer is None:
        return None
    note = system_text(session, municipality, "language_fallback", lang) if answer.is_fallback else ""
    return {"type": "answer", "intent": intent, "text": answer.body, "html": answer.html, "title": answer.title,
            "source_url": answer.source_url, "article_id": answer.article_id, "article_version": answer.version,
            "article_lang": answer.lang, "fallback_note": note, "department": answer.department}


def offers_for(session, municipality, lang: str, topics: list[str]) -> list[Offer]:
    """The topics that have an article (the button must lead to an answer, not to a caseworker)."""
    out = []
    for intent in topics:
        answer = find_answer(session, municipality, intent, lang)
        if answer is not None and answer.title:
            out.append(Offer(intent, answer.title))
    return out


def accepted(text: str, last_meta: dict | None) -> dict | None:
    """The button of the bot's latest message if that was an offer of one topic and ``text`` only says yes
    to it ("ja takk", "yes please", "kyllä"); else None."""
    buttons = (last_meta or {}).get("buttons") or []
    if (last_meta or {}).get("key") != TEXT_KEY or len(buttons) != 1:
        return None
    folded = (text or "").replace("ä", "a").replace("å", "a")
    return buttons[0] if _YES.match(folded) else None


def can_offer(message) -> bool:
    """An answer message that does not ask its own question or carry its own buttons (the offer's buttons
    would replace them: only the bot's latest message's buttons can be pressed)."""
    meta = message.meta or {}
    return message.route == "answer" and not meta.get("buttons") and not meta.get("ask")


@dataclass(frozen=True)
class Offered:
    """The message under the answer: the system text naming the topics, and a button for each."""

    offers: list[Offer]
    text: str

    @property
    def buttons(self) -> list[dict]:
        return [o.button for o in self.offers]

    @property
    def intents(self) -> list[str]:
        return [o.intent for o in self.offers]


def offer(session, municipality, answer, reading: Reading, lang: str) -> Offered | None:
    """The offer of the other topics the message asked about (``reading``, from :func:`read`) to send after
    the ``answer`` message, if any."""
    if not can_offer(answer) or not reading.topics:
        return None
    offers = offers_for(session, municipality, lang, reading.topics)
    if not offers:
        return None
    # the titles are in the text too: a screen reader reads the message, a transcript has no buttons
    intro = system_text(session, municipality, TEXT_KEY, lang, topics=", ".join(f"«{o.title}»" for o in offers))
    if not intro:  # a database without the text (`tinget db upgrade` adds it)
        return None
    return Offered(offers, intro)


KEPT_KEY = "also_later"  # the answer's meta: the other topics, kept while the answer asks its own question


def keep_for_later(answer, topics: list[str]) -> None:
    """Keep the other ``topics`` on an ``answer`` that asks its own question (which nursing home? which
    street?): its buttons leave no room for an offer, so the next answer (:func:`offer_kept`) makes it."""
    if topics and answer.route == "answer" and not can_offer(answer):
        answer.meta = {**(answer.meta or {}), KEPT_KEY: list(topics)[:MAX_OFFERS]}


def offer_kept(session, municipality, answer, last_meta: dict | None, lang: str) -> Offered | None:
    """The offer of the topics the bot's previous message kept (:func:`keep_for_later`), under ``answer``
    (the answer to the bot's question, typed or pressed), without the topic just answered; kept once more when
    this answer asks a question of its own too. Only from the bot's latest message: a topic asked two answers
    ago is not brought up again."""
    kept = [t for t in ((last_meta or {}).get(KEPT_KEY) or []) if t != answer.intent]
    if not kept:
        return None
    if not can_offer(answer):
        keep_for_later(answer, kept)
        return None
    return offer(session, municipality, answer, Reading(kept), lang)


def read_safely(text: str, lang: str, answered: str, ranking: list[dict], parse: Callable[[str], dict]) -> Reading:
    """:func:`read`; a parse that fails (Rasa slow or gone after it answered) only means nothing more is
    read from the clauses: the answer stands whatever happens here."""
    try:
        return read(text, lang, answered, ranking, parse)
    except Exception as exc:
        log.warning("classifying the message's clauses failed (%s); no offer for other topics", exc.__class__.__name__)
        return Reading([])
