"""A bare "ok" after an answer, through the real trained model, action server and demo KB: it is out_of_scope
0.72 ("ok"), 0.51 ("selvä") or a low-confidence handover ("fint") to the model, and opened a case: the resident
was told a caseworker would answer, and a caseworker got "ok" (bot.smalltalk).

The messages were written for this test (not taken from the dev sets or other tests)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.rasa


@pytest.mark.parametrize(("lang", "question", "ok", "reply", "day", "saturday"), [
    ("sv", "När har biblioteket öppet?", "ok", "Okej! Skriv gärna", "och på lördag?", "På lördagar"),
    ("fi", "Milloin kirjasto on auki?", "selvä", "Selvä! Kirjoita, jos", "entä lauantaina?", "Lauantaisin"),
    ("da", "Hvornår har biblioteket åbent?", "fint", "Fint! Skriv endelig", "og om lørdagen?", "Om lørdagen"),
])
def test_an_ok_after_an_answer_keeps_the_conversation_with_the_bot(stack_resident, lang, question, ok, reply,
                                                                   day, saturday):
    conv = stack_resident(lang=lang)
    assert conv.say(question).get_json()["route"] == "answer"
    data = conv.say(ok).get_json()
    assert data["state"] == "bot" and data["case"] is None and data["route"] == "chitchat", data
    [said] = data["replies"]
    assert said["kind"] == "acknowledged" and said["text"].startswith(reply) and said["lang"] == lang, said
    follow = conv.say(day).get_json()  # the topic is still remembered
    assert follow["replies"][0]["text"].startswith(saturday), follow
