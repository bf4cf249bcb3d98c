"""Questions about the price, through the real trained model, action server and demo KB (bot.price_passage):
"is the library free?" got the library article, whose first lines are the opening hours (the card's price is
its fourth paragraph), and "er det gratis?" right after it got the very same article again.

The messages were written for this test (not taken from the dev sets or other tests)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.rasa


@pytest.mark.parametrize(("lang", "question", "follow_up", "free"), [
    ("sv", "Är biblioteket gratis?", "och för barn?", "**Lånekortet är gratis.**"),
    ("da", "Hvornår har biblioteket åbent?", "er det gratis?", "**Lånerkortet er gratis.**"),
    ("fi", "Milloin kirjasto on auki?", "onko se ilmainen?", "**Kirjastokortti on maksuton.**"),
])
def test_the_price_of_the_library_is_said_first_or_alone(stack_resident, lang, question, follow_up, free):
    conv = stack_resident(lang=lang)
    first = conv.say(question).get_json()
    texts = [r["text"] for r in first["replies"]]
    source = first["replies"][-1]["source_url"]
    assert source.endswith("/kultur/bibliotek"), first
    asked_price = lang == "sv"
    assert texts[0].startswith(free) is asked_price, texts  # the price first only when asked about it
    second = conv.say(follow_up).get_json()
    [reply] = second["replies"]
    assert reply["source_url"] == source and reply["lang"] == lang, second
    if asked_price:  # "och för barn?" asks no price: the article, as before
        assert "10:00–19:00" in reply["text"]
    else:  # the price, not the whole article again
        assert reply["text"].startswith(free) and "10:00–19:00" not in reply["text"], reply
