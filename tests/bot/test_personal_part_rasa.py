"""A message that asks a general question and about the resident's own case, through the real trained model,
action server and demo KB: the personal part always reaches a caseworker, also when the model reads the whole
message as the general question and the bot answers it (web.services.also_asked.read). And a button payload of
a handoff intent hands over like the typed words (bot.dialogue.respond).

The messages were written for this test (not taken from the dev sets or other tests)."""

from __future__ import annotations

import pytest
import requests

pytestmark = pytest.mark.rasa

# (lang, message): a general question, and one about the resident's own application or complaint
MIXED = [
    ("nb", "når er biblioteket åpent, og hvorfor har jeg ikke fått svar på søknaden min?"),
    ("da", "Hvad er åbningstiderne på biblioteket i weekenden, og hvorfor har jeg ikke fået svar på min ansøgning?"),
    ("sv", "När töms soptunnan? Och vem handlägger mitt ärende om bygglov?"),
    ("nn", "Kor mykje kostar SFO, og kvifor har eg ikkje fått svar på klaga mi?"),
    ("fi", "Milloin kirjasto on auki? Miksi en ole vielä saanut päätöstä hakemukseeni?"),
    ("en", "What does the swimming pool cost, and why was my housing application turned down?"),
]
# general questions with a conjunction and nothing about the resident's own case: the bot keeps them
GENERAL = [
    ("nb", "Hvordan klager jeg på eiendomsskatten og hvor lang tid tar det?"),
    ("da", "Hvordan søger jeg byggetilladelse, og hvor lang er sagsbehandlingstiden?"),
    ("fi", "Miten haen rakennuslupaa ja kauanko käsittely kestää?"),
    ("en", "When is the pool open and is there a discount for pensioners?"),
    # background to the question: the statement alone leans to personal_case (0.51-0.57), it is no own case
    ("nb", "far min har fått demens, og hvordan søker vi sykehjemsplass?"),
    ("en", "My father was discharged from hospital yesterday and how do we get home care?"),
]


def _case(app, conv):
    from sqlalchemy import select

    from web.extensions import db
    from web.models import Case, Conversation, TransparencyRecord

    with app.app_context():
        conv_id = db.session.scalar(select(Conversation.id).where(Conversation.public_id == conv.id))
        case = db.session.scalars(select(Case).where(Case.conversation_id == conv_id)).first()
        record = db.session.scalars(select(TransparencyRecord).where(TransparencyRecord.conversation_id == conv_id)
                                    .order_by(TransparencyRecord.id.desc())).first()
        return (case.reason if case else None), (case.department if case else None), record.reason


@pytest.mark.parametrize(("lang", "text"), MIXED)
def test_the_personal_part_of_a_message_reaches_a_caseworker(rasa_stack, stack_resident, lang, text):
    conv = stack_resident(lang=lang)
    data = conv.say(text).get_json()
    assert data["route"] == "handoff" and data["state"] == "handoff", data
    reason, _department, record = _case(rasa_stack.app, conv)
    # unsure of the whole message (the Finnish one: personal_case 0.42, library 0.40), the bot hands it over
    # as a whole; either way a caseworker has it
    assert reason in ("personal_case", "low_confidence"), (reason, record)
    kinds = [r["kind"] for r in data["replies"]]
    if kinds[0] == "answer":  # the bot answered the general question: the case comes right after it
        assert kinds == ["answer", "personal_case_also"], data
        assert data["replies"][0]["source_url"] and "{" not in data["replies"][1]["text"]
        assert record == "personal_case", record
    else:
        assert kinds in (["personal_case"], ["handoff_notice"]), data


def test_the_answer_stands_and_the_notice_names_the_queue(rasa_stack, stack_resident):
    """The Danish message is library 0.76 as a whole (its second clause alone personal_case 0.99): it got the
    opening hours and nothing else before."""
    conv = stack_resident(lang="da")
    data = conv.say(MIXED[1][1]).get_json()
    answer, notice = data["replies"]
    assert answer["kind"] == "answer" and "bibliotek" in answer["text"].lower(), data
    assert notice["text"].startswith("Det, du skriver om din egen sag"), notice
    _reason, department, _record = _case(rasa_stack.app, conv)
    assert department == "service_desk"  # the clause names no service: the service desk sorts it
    later = conv.say("Hvornår har biblioteket åbent om søndagen?").get_json()
    assert later["route"] == "paused"  # the conversation is with the caseworker now


@pytest.mark.parametrize(("lang", "text"), GENERAL)
def test_a_general_question_with_a_conjunction_stays_with_the_bot(stack_resident, lang, text):
    data = stack_resident(lang=lang).say(text).get_json()
    assert data["route"] == "answer" and data["state"] == "bot", data


def _webhook(stack, sender: str, text: str) -> list[dict]:
    reply = requests.post(f"{stack.rasa_url}/webhooks/rest/webhook", timeout=30,
                          json={"sender": sender, "message": text,
                                "metadata": {"lang": "nb", "municipality": "fjordvik"}})
    reply.raise_for_status()
    return [m["custom"]["tinget"] for m in reply.json() if "tinget" in (m.get("custom") or {})]


@pytest.mark.parametrize(("payload", "reason"), [("/personal_case", "personal_case"), ("/human_handoff", "human_handoff")])
def test_a_handoff_payload_hands_over_even_with_the_nursing_home_question_open(rasa_stack, payload, reason):
    """The app only forwards offered payloads, and no offer carries these intents today; the rule must not
    depend on that. A payload skipped the rule: with the nursing-home question open it got every home's
    visiting hours."""
    sender = f"button-{reason}"
    asked = _webhook(rasa_stack, sender, "Når er besøkstiden på sykehjemmet?")
    assert asked[-1].get("ask") == "nursing_home", asked
    handed = _webhook(rasa_stack, sender, payload)
    assert [(m["type"], m.get("reason")) for m in handed] == [("handoff", reason)], handed
