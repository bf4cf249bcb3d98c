"""A direct question that names a day, through the real trained model, action server and API: that day's hours
from the municipality's settings first, then the article with its source link (bot.day_hours, bot.dialogue).

Messages written for this test (not from the dev sets)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.rasa


@pytest.mark.parametrize(("lang", "text", "line"), [
    ("nb", "Når er svømmehallen åpen på søndag?", "På søndager er åpningstiden 10:00–17:00."),
    ("nb", "Har biblioteket åpent på lørdag?", "På lørdager er åpningstiden 10:00–15:00."),
    ("en", "Is the recycling station open on Saturday?", "On Saturdays, the opening hours are 09:00–14:00."),
    ("sv", "Har simhallen öppet i helgen?",
     "På lördagar är öppettiden 10:00–17:00. På söndagar är öppettiden 10:00–17:00."),
])
def test_a_question_with_a_day_gets_that_days_hours_then_the_article(stack_resident, lang, text, line):
    data = stack_resident(lang=lang).say(text).get_json()
    assert data["route"] == "answer" and data["state"] == "bot", data
    day, article = data["replies"][:2]
    assert day["text"] == line and day["lang"] == lang, data
    assert article["source_url"] and len(article["text"]) > len(day["text"]), data


def test_a_day_without_hours_gets_the_article_as_before(stack_resident):
    data = stack_resident().say("Har biblioteket åpent på søndag?").get_json()  # no Sunday hours kept
    assert data["route"] == "answer", data
    assert "07:00–22:00" in data["replies"][0]["text"] and data["replies"][0]["source_url"], data
