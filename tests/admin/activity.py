"""Synthetic resident activity written straight into the app's tables (redacted texts only), so
analytics and teaching have something to show. Deterministic for a given seed."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select

from tinget.models import Municipality
from web.extensions import db
from web.models import Case, Conversation, Draft, Message, TransparencyRecord

QUESTIONS = {
    "waste_collection": ["Når hentes søpla i <ADDRESS>?", "Glassavfall henting neste uke?"],
    "kindergarten_apply": ["Hvordan søker jeg barnehageplass?", "Frist for barnehagesøknad?"],
    "library": ["Når åpner biblioteket?", "Kan jeg låne e-bøker?"],
    "building_permit": ["Må jeg søke om å bygge garasje?", "Byggesøknad for terrasse?"],
}
UNANSWERED = ["Kan jeg få tilskudd til varmepumpe?", "Får jeg støtte til ny varmepumpe?",
              "Tilskudd varmepumpe enebolig", "Hvem eier bryggen ved torget?", "Hvem har ansvar for bryggen?"]


def add_turn(m: Municipality, when: datetime, text: str, *, intent: str, route: str, lang: str = "nb",
             confidence: float = 0.9, reason: str = "", conv: Conversation | None = None) -> Message:
    conv = conv or Conversation(municipality_id=m.id, lang=lang, created_at=when, last_activity=when)
    msg = Message(conversation=conv, sender="resident", text=text, lang=lang, intent=intent, route=route,
                  confidence=confidence, created_at=when)
    db.session.add_all([conv, msg])
    db.session.flush()
    db.session.add(TransparencyRecord(municipality_id=m.id, conversation_id=conv.id, message_id=msg.id,
                                      created_at=when, lang=lang, intent=intent, confidence=confidence,
                                      route=route, reason=reason))
    return msg


def add_case(m: Municipality, msg: Message, *, reply_after: timedelta | None, drafts: tuple[str, ...] = ()) -> Case:
    when = msg.created_at
    case = Case(municipality_id=m.id, conversation=msg.conversation, department="service_desk", reason="low_confidence",
                intent=msg.intent, confidence=msg.confidence, lang=msg.lang, created_at=when,
                status="answered" if reply_after is not None else "new",
                first_reply_at=when + reply_after if reply_after is not None else None)
    case.drafts = [Draft(rank=i, text="…", status=s) for i, s in enumerate(drafts)]
    msg.conversation.state = "handoff"
    db.session.add(case)
    return case


def seed(slug: str = "fjordvik", days: int = 30, per_day: int = 6, end: datetime | None = None,
         rng_seed: int = 7) -> None:
    rnd = random.Random(rng_seed)
    m = db.session.scalar(select(Municipality).where(Municipality.slug == slug))
    end = end or datetime.utcnow().replace(hour=12, minute=0, second=0, microsecond=0)
    for d in range(days):
        day = end - timedelta(days=days - 1 - d)
        for k in range(rnd.randint(per_day // 2, per_day + 2)):
            when = day + timedelta(minutes=17 * k)
            lang = rnd.choice(["nb", "nb", "nb", "nn", "en", "sv"])
            if rnd.random() < 0.7:
                intent = rnd.choice(list(QUESTIONS))
                add_turn(m, when, rnd.choice(QUESTIONS[intent]), intent=intent, route="answer", lang=lang,
                         confidence=rnd.uniform(0.7, 0.99))
            else:
                msg = add_turn(m, when, rnd.choice(UNANSWERED), intent=rnd.choice(["out_of_scope", "building_permit"]),
                               route="handoff", lang=lang, confidence=rnd.uniform(0.2, 0.5), reason="low_confidence")
                replied = rnd.random() < 0.85
                add_case(m, msg, reply_after=timedelta(hours=rnd.choice([0.5, 2, 3, 6, 20, 30, 80])) if replied else None,
                         drafts=rnd.choice([("accepted", "proposed"), ("edited",), ("rejected", "proposed"),
                                            ("no_good",)]))
    db.session.commit()
