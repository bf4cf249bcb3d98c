"""Two questions in one message where the bot's answer to the first asks a question of its own (which nursing
home?), through the real trained model, action server and demo KB: the second question is offered under the
answer to the bot's question (web.services.also_asked.keep_for_later / offer_kept). Before, it was never
mentioned again.

The messages were written for this test (not taken from the dev sets or other tests)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.rasa


def test_the_second_question_is_offered_after_the_nursing_home_is_chosen(stack_resident):
    conv = stack_resident(lang="sv")
    asked = conv.say("Vilka är besökstiderna på äldreboendet? Och när hämtas soporna?").get_json()
    assert [r["kind"] for r in asked["replies"]] == ["answer"], asked
    assert "Havbakken omsorgssenter" in [b["title"] for b in asked["replies"][0]["buttons"]]

    chosen = conv.say("Havbakken").get_json()  # typed, not pressed
    hours, also = chosen["replies"]
    assert "Havbakken omsorgssenter" in hours["text"] and hours["lang"] == "sv"
    assert also["kind"] == "also_asked" and also["text"].startswith("Du frågade också om: «"), also
    assert [b["payload"] for b in also["buttons"]] == ["/waste_collection"]

    taken = conv.say("ja tack").get_json()  # a typed yes takes a one-topic offer
    assert taken["route"] == "answer" and taken["replies"][0]["source_url"].endswith("/avfall/tommekalender"), taken
    assert [r["kind"] for r in taken["replies"]] == ["answer"]  # offered once, not again


def test_a_button_press_on_the_home_offers_the_other_topic_in_danish(stack_resident):
    conv = stack_resident(lang="da")
    asked = conv.say("Hvad er besøgstiden på plejehjemmet, og hvad koster en parkeringstilladelse?").get_json()
    [home] = [b for b in asked["replies"][0]["buttons"] if b["title"] == "Havbakken omsorgssenter"]
    pressed = conv.say(home["title"], payload=home["payload"]).get_json()
    assert [r["kind"] for r in pressed["replies"]] == ["answer", "also_asked"], pressed
    assert pressed["replies"][1]["text"].startswith("Du spurgte også om: «")
    assert [b["payload"] for b in pressed["replies"][1]["buttons"]] == ["/parking_permit"]
