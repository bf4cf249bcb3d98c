"""A question that names an aspect of a service (a price, a discount) and no service is about the service just
talked about, through the real trained model, action server and demo KB: as a clause it is no other topic to
offer (web.services.also_asked), as the next message it stays with the topic just answered (bot.dialogue).
Which words name a service and which an aspect: kb.glossary.aspects_only.

The messages were written for this test (not taken from the dev sets or other tests)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.rasa


def _offers(data: dict) -> list[str]:
    return [b["payload"][1:] for r in data["replies"] if r.get("kind") == "also_asked" for b in r.get("buttons") or []]


@pytest.mark.parametrize(("lang", "text"), [
    ("da", "Hvad koster det at svømme, og er der rabat for børn?"),  # the clause alone: kindergarten fees 0.89
    ("nb", "Hva koster det å bade, og er det rabatt for barn?"),  # 0.97
])
def test_a_discount_clause_is_not_offered_as_another_topic(stack_resident, lang, text):
    data = stack_resident(lang=lang).say(text).get_json()
    assert data["route"] == "answer", data
    assert _offers(data) == [], data


@pytest.mark.parametrize(("lang", "text", "offered"), [
    ("nb", "Hva koster svømmehallen, og når tømmes bosset?", "waste_collection"),
    ("da", "Hvordan får jeg en beboerparkeringstilladelse, og hvornår bliver skraldet hentet?", "waste_collection"),
])
def test_a_clause_that_names_its_service_is_still_offered(stack_resident, lang, text, offered):
    data = stack_resident(lang=lang).say(text).get_json()
    assert _offers(data) == [offered], data


@pytest.mark.parametrize(("lang", "first", "then"), [
    ("nb", "Hva koster det å bade i svømmehallen?", "hva koster det for barn?"),  # alone: kindergarten fees 0.95
    ("da", "Hvad koster det at svømme i svømmehallen?", "hvad koster det for børn?"),  # 0.94
    ("nb", "Hva koster det å bade i svømmehallen?", "hva må jeg betale?"),  # invoice payment 0.85
    ("en", "How much does it cost to swim at the pool?", "is it free for children?"),  # kindergarten fees before "free" named a price
])
def test_a_price_question_without_a_service_stays_with_the_topic_just_answered(stack_resident, lang, first, then):
    conv = stack_resident(lang=lang)
    answer = conv.say(first).get_json()
    assert answer["route"] == "answer", answer
    data = conv.say(then).get_json()
    assert data["route"] == "answer" and data["state"] == "bot", data
    assert data["replies"][0]["source_url"] == answer["replies"][0]["source_url"], data


def test_a_price_question_that_names_another_service_is_a_new_topic(stack_resident):
    conv = stack_resident()
    answer = conv.say("Hva koster det å bade i svømmehallen?").get_json()
    data = conv.say("hva koster barnehage?").get_json()
    assert data["route"] == "answer", data
    assert data["replies"][0]["source_url"] != answer["replies"][0]["source_url"], data
