"""Short follow-ups through the real trained model, action server and API: the conversation's language is
kept ("og om søndagen?" on a Danish page is answered in Danish; tinget.language), and a day follow-up after an
opening-hours answer gets that day's hours from the municipality's settings (bot.day_hours.DAY_HOURS).

Messages written for this test (not from the dev sets)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.rasa


def test_a_danish_day_follow_up_is_answered_in_danish_with_that_days_hours(stack_resident):
    conv = stack_resident(lang="da")
    first = conv.say("Hvornår har svømmehallen åbent?").get_json()
    assert first["route"] == "answer" and first["message"]["lang"] == "da", first
    data = conv.say("og om søndagen?").get_json()
    assert data["message"]["lang"] == "da" and data["route"] == "answer", data  # it was taken for bokmål
    reply = data["replies"][0]
    assert reply["lang"] == "da" and reply["text"] == "Om søndagen er åbningstiden 10:00–17:00.", reply
    assert reply["source_url"] == first["replies"][0]["source_url"]


def test_a_swede_without_a_swedish_keyboard_stays_swedish(stack_resident):
    conv = stack_resident(lang="sv")
    conv.say("När öppnar biblioteket?")
    data = conv.say("nar stanger biblioteket pa lordag?").get_json()
    assert data["message"]["lang"] == "sv" and data["replies"][0]["lang"] == "sv", data


def test_a_norwegian_day_follow_up_after_the_library(stack_resident):
    conv = stack_resident()
    conv.say("Når er biblioteket åpent?")
    data = conv.say("og på lørdag?").get_json()
    assert data["replies"][0]["text"] == "På lørdager er åpningstiden 10:00–15:00.", data
