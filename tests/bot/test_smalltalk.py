"""bot.smalltalk: messages about the conversation itself (tables, no database); the dialogue's use of them in
tests/bot/test_dialogue.py, through the real stack in test_smalltalk_rasa.py."""

from __future__ import annotations

import pytest

from bot.smalltalk import kind


@pytest.mark.parametrize(("text", "expected"), [
    # a bare acknowledgement, as typed on a phone
    ("ok", "acknowledged"),
    ("OK!", "acknowledged"),
    ("Ja.", "acknowledged"),
    ("greit", "acknowledged"),
    ("skjønner", "acknowledged"),
    ("eg forstår", "acknowledged"),
    ("okei 👍", "acknowledged"),
    ("got it", "acknowledged"),
    # with thanks in it: the thanks text
    ("ok takk", "thanks"),
    ("Greit, takk!", "thanks"),
    ("ja takk", "thanks"),
    # no (more): goodbye
    ("nei", "goodbye"),
    ("nei takk", "goodbye"),
    ("nei, det var alt", "goodbye"),
    ("no thanks", "goodbye"),
    # the languages the bot speaks
    ("snakker du engelsk?", "languages"),
    ("Hei! Snakker du engelsk?", "languages"),
    ("kan jeg skrive på engelsk", "languages"),
    ("kan eg skrive nynorsk til deg?", "languages"),
    ("eg snakkar ikkje so godt norsk", "languages"),
    ("do you speak english", "languages"),
    ("can i write in norwegian", "languages"),
    ("Can you help me? I don't speak norwegian", "languages"),
    ("english please", "languages"),
    # what the bot can help with
    ("hva kan du hjelpe med", "capabilities"),
    ("Kva kan du hjelpe meg med?", "capabilities"),
    ("what can i ask you", "capabilities"),
    ("kan du hjelpe meg?", "capabilities"),
    ("jeg trenger hjelp", "capabilities"),
    ("eg treng hjelp", "capabilities"),
    ("trenger hjelp", "capabilities"),  # no subject, as typed on a phone (got "NAV or the emergency doctor?")
    ("hjelp", "capabilities"),
    ("i need help", "capabilities"),
    ("Hi! Can you help me please?", "capabilities"),
])
def test_messages_about_the_conversation_itself(text, expected):
    assert kind(text) == expected


@pytest.mark.parametrize("text", [
    "ok, men hva koster det?",  # a question after the "ok"
    "ja jeg vil søke",
    "nei, jeg mente barnehage",
    "I don't speak Norwegian, can someone call me?",  # a request for a person: a caseworker
    "snakker du engelsk? søknaden min er ikke behandlet",  # an own case beside it
    "Hva vet du om barnehage?",  # a topic
    "hvor mange kalorier er det i en banan",
    "hva er du",  # what the bot is: the model's bot_challenge
    "hvem kan hjelpe meg?",  # a request for a person (bot.dialogue.PERSON_REQUEST)
    "i need help with my application",  # says what it is about: the model and the dialogue decide
    "jeg trenger hjelp til å betale husleia",
    "👍",  # no word: the model decides, as before
    "",
])
def test_anything_more_is_no_smalltalk(text):
    assert kind(text) == ""
