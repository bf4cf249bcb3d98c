"""Two questions in one message, through the real trained model, action server and demo KB: the answer
to one is followed by an offer (a quick-reply button) for the other; one-topic messages, personal cases and
requests for a person get no offer.

HELD_OUT was written before the feature was built and was not run while its thresholds and word lists
were chosen (they were tuned on tests/web/test_also_asked.py's and the dev script's own examples): it
measures, it was not tuned on. DEV holds examples that were looked at while building.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.rasa

# (lang, message, the two topics it asks about)
HELD_OUT_TWO = [
    ("nb", "Når er biblioteket åpent på lørdag, og hva koster det å bade i svømmehallen?", {"library", "swimming_sports"}),
    ("nn", "Korleis søkjer eg om barnehageplass, og når blir søpla henta?", {"kindergarten_apply", "waste_collection"}),
    ("sv", "Hur ansöker jag om bygglov för ett garage och när töms soptunnan?", {"building_permit", "waste_collection"}),
    ("da", "Hvordan skifter jeg egen læge? Og hvornår er biblioteket åbent?", {"gp_doctor", "library"}),
    ("fi", "Milloin kirjasto on auki ja miten haen kunnan vuokra-asuntoa?", {"library", "municipal_housing"}),
    ("en", "How do I get a residents' parking permit, and when will our road be ploughed?", {"parking_permit", "snow_clearing"}),
    ("en", "What does after-school care cost? Also, where can I drop off an old fridge?", {"after_school_care", "recycling_station"}),
]
# (lang, message): one topic (or a case for a person): no offer
HELD_OUT_ONE = [
    ("nb", "Hvilke fritidstilbud finnes for barn og unge?"),
    ("nb", "Hvorfor har vann- og avløpsgebyret økt?"),
    ("sv", "Vilka öppettider har biblioteket och läsesalen på söndagar?"),
    ("en", "Can I pay the property tax in two instalments and by direct debit?"),
    ("fi", "Miten haen kotihoitoa äidilleni ja isälleni?"),
    ("da", "Hvornår tømmes skraldespanden, og hvor ofte sker det?"),
    ("nn", "Kva kostar det å leige symjehallen og garderobane?"),
    ("nb", "Hva koster SFO, og hvorfor har jeg ikke fått svar på søknaden min om plass?"),
    ("nb", "Jeg vil snakke med et menneske og klage på eiendomsskatten"),
]


def _offers(data: dict) -> list[str]:
    """The topics offered after the answer (payload "/<intent>")."""
    return [b["payload"][1:] for r in data["replies"] for b in r.get("buttons") or []
            if b.get("payload", "").startswith("/") and r.get("kind") == "also_asked"]


def _answered(app, conv) -> str:
    from sqlalchemy import select

    from web.extensions import db
    from web.models import Conversation, Message

    with app.app_context():
        conv_id = db.session.scalar(select(Conversation.id).where(Conversation.public_id == conv.id))
        return db.session.scalar(select(Message.intent).where(Message.conversation_id == conv_id,
                                                               Message.sender == "resident")
                                 .order_by(Message.id.desc()).limit(1)) or ""


def test_held_out_two_topic_messages_get_the_other_topic_offered(rasa_stack, stack_resident):
    hits, misses = 0, []
    for lang, text, topics in HELD_OUT_TWO:
        conv = stack_resident(lang=lang)
        data = conv.say(text).get_json()
        answered, offers = _answered(rasa_stack.app, conv), _offers(data)
        if data["route"] == "answer" and answered in topics and offers == sorted(topics - {answered}):
            hits += 1
        else:
            misses.append((text, data["route"], answered, offers))
    print(f"held-out two-topic messages: {hits}/{len(HELD_OUT_TWO)} offered the other topic; misses: {misses}")
    assert hits >= 6, misses  # 7/7 when measured (Dec 2026); one may move with a retrained model


def test_held_out_one_topic_messages_and_cases_get_no_offer(rasa_stack, stack_resident):
    wrong = []
    for lang, text in HELD_OUT_ONE:
        conv = stack_resident(lang=lang)
        data = conv.say(text).get_json()
        if _offers(data):
            wrong.append((text, data["route"], _offers(data)))
    print(f"held-out one-topic messages: {len(wrong)}/{len(HELD_OUT_ONE)} got an offer: {wrong}")
    assert not wrong


# Looked at while building (the thresholds were chosen with these and the clauses' own parses).
DEV_TWO = [
    ("nb", "hva koster barnehage og når hentes søppel", {"kindergarten_fees", "waste_collection"}),
    ("en", "how much is kindergarten and when is the rubbish collected", {"kindergarten_fees", "waste_collection"}),
    ("fi", "paljonko päiväkoti maksaa ja milloin roskat haetaan", {"kindergarten_fees", "waste_collection"}),
    ("sv", "Hur mycket kostar förskolan och när töms soptunnan?", {"kindergarten_fees", "waste_collection"}),
    ("da", "Hvad koster SFO, og hvornår bliver vejen ryddet for sne?", {"after_school_care", "snow_clearing"}),
    ("nn", "Kva kostar SFO og korleis søkjer eg kommunal bustad?", {"after_school_care", "municipal_housing"}),
]
DEV_ONE = [
    ("nb", "Hvilke tilbud finnes for barn og unge?"),
    ("nb", "Hvordan søker jeg barnehageplass og hva koster det?"),
    ("sv", "Hur söker jag plats på förskola och vad behöver jag skicka med?"),
    ("fi", "Miten voin vaihtaa omalääkäriä ja kauanko se kestää?"),
    ("en", "I live on Storgata 5 and our bins were not emptied"),
]


@pytest.mark.parametrize(("lang", "text", "topics"), DEV_TWO)
def test_two_questions_get_one_answer_and_an_offer_for_the_other(rasa_stack, stack_resident, lang, text, topics):
    conv = stack_resident(lang=lang)
    data = conv.say(text).get_json()
    answered = _answered(rasa_stack.app, conv)
    assert data["route"] == "answer" and answered in topics, data
    assert _offers(data) == sorted(topics - {answered})
    button = data["replies"][-1]["buttons"][0]
    pressed = conv.say(button["title"], payload=button["payload"]).get_json()  # the offer answers the other topic
    assert pressed["route"] == "answer" and _answered(rasa_stack.app, conv) == button["payload"][1:]
    assert pressed["replies"][0]["source_url"]


@pytest.mark.parametrize(("lang", "text"), DEV_ONE)
def test_one_question_with_a_conjunction_gets_no_offer(stack_resident, lang, text):
    data = stack_resident(lang=lang).say(text).get_json()
    assert not _offers(data), data


def test_a_typed_yes_after_the_offer_gets_the_other_answer(rasa_stack, stack_resident):
    conv = stack_resident(lang="nb")
    first = conv.say("hva koster barnehage og når hentes søppel").get_json()
    [offered] = _offers(first)
    data = conv.say("ja takk").get_json()  # alone, "ja takk" is thanks; after the offer it takes it
    assert data["route"] == "answer" and _answered(rasa_stack.app, conv) == offered
