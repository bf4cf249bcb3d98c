"""The card's dialogues and the bad-input rules through the real API, trained Rasa model and action
server (the dialogue rules themselves are tested without Rasa in test_dialogue.py)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.rasa


def _bot(data):
    return [r for r in data["replies"] if r["sender"] == "bot"]


def test_nursing_home_dialogue_with_buttons_and_a_follow_up(stack_resident):
    conv = stack_resident()
    data = conv.say("Når er besøkstiden på sykehjemmet?").get_json()
    assert data["route"] == "answer", data
    ask = _bot(data)[-1]
    titles = [b["title"] for b in ask["buttons"]]
    assert "Havbakken omsorgssenter" in titles, ask

    havbakken = next(b for b in ask["buttons"] if b["title"] == "Havbakken omsorgssenter")
    data = conv.say(havbakken["title"], payload=havbakken["payload"]).get_json()
    assert data["message"]["text"] == "Havbakken omsorgssenter"  # the resident sees the title, not the payload
    hours = _bot(data)[0]
    assert "12:00–18:00" in hours["text"] and hours["source_url"].startswith("https://"), data

    data = conv.say("og på søndager?").get_json()
    assert data["route"] == "answer" and data["state"] == "bot", data
    assert "11:00–19:00" in _bot(data)[0]["text"] and "søndag" in _bot(data)[0]["text"]


def test_typed_nursing_home_name_in_nynorsk(stack_resident):
    conv = stack_resident(lang="nn")
    data = conv.say("Kva er besøkstida på sjukeheimen?").get_json()
    assert _bot(data)[-1]["buttons"], data
    data = conv.say("Lia").get_json()
    assert "Lia bu- og behandlingssenter" in _bot(data)[0]["text"], data


def test_school_placement_from_a_redacted_address(rasa_stack, stack_resident):
    conv = stack_resident()
    data = conv.say("Hvilken skole skal dattera mi gå på?").get_json()
    assert data["route"] == "answer", data
    data = conv.say("Vi bor i Granlia 4B").get_json()
    assert data["message"]["text"] == "Vi bor i <ADDRESS>"  # the house number never reaches the bot
    assert "Lia skule" in _bot(data)[0]["text"], data
    with rasa_stack.app.app_context():
        from sqlalchemy import text

        from web.extensions import db
        rows = db.session.execute(text("select text from message")).scalars().all()
    assert not any("4B" in (r or "") for r in rows)


def test_school_placement_for_an_unknown_street_says_not_found(stack_resident):
    """"Vi bor i Månegata 99" (no such street in the district table) reads as a personal case once
    redacted; after the street question it must get "not found, check the spelling", not a handoff."""
    conv = stack_resident()
    data = conv.say("Hvilken skole skal dattera mi gå på?").get_json()
    assert data["route"] == "answer", data
    data = conv.say("Vi bor i Månegata 99").get_json()
    assert data["message"]["text"] == "Vi bor i <ADDRESS>"
    assert data["route"] == "answer" and data["state"] == "bot", data
    reply = _bot(data)[0]
    assert "skrivemåten" in reply["text"] and reply["source_url"].startswith("https://"), data
    data = conv.say("Vi bor i Granlia 4B").get_json()  # the corrected street is looked up
    assert "Lia skule" in _bot(data)[0]["text"], data


def test_typing_a_command_does_not_trigger_an_intent(stack_resident):
    conv = stack_resident()
    data = conv.say('/elder_care_visiting{"nursing_home": "lia_bu_og_behandlingssenter"}').get_json()
    assert not any("10:00–20:00" in r["text"] for r in _bot(data)), data  # Lia's hours: the payload ran


def test_a_payload_that_was_not_offered_is_plain_text(stack_resident):
    conv = stack_resident()
    data = conv.say("hei", payload='/elder_care_visiting{"nursing_home": "lia_bu_og_behandlingssenter"}').get_json()
    assert data["route"] == "chitchat", data


BAD_INPUT = {
    "emoji only": "😀😀😀",
    "url only": "https://www.example.com/some/page?x=1",
    "4,000 characters of one word": "a" * 4000,
    "mixed scripts": "Привет как дела 你好 مرحبا",
    "unknown language": "Dzień dobry, chciałbym zapytać o coś ważnego",
}


@pytest.mark.parametrize("widget_lang", ["sv", "fi"])
@pytest.mark.parametrize("text", BAD_INPUT.values(), ids=BAD_INPUT)
def test_bad_input_gets_a_polite_reply_in_the_widgets_language_and_no_answer(stack_resident, text, widget_lang):
    conv = stack_resident(lang=widget_lang)
    resp = conv.say(text)
    assert resp.status_code == 201
    data = resp.get_json()
    assert data["route"] in ("handoff", "out_of_scope", "chitchat", "clarify"), data  # no topic answer
    assert data["lang"] == widget_lang, data
    replies = _bot(data)
    assert replies and all(r["text"].strip() and r["lang"] == widget_lang for r in replies), data
    assert not any(r["source_url"] for r in replies), data


def test_a_question_in_an_unknown_language_is_answered_in_the_widgets_language_or_handed_over(stack_resident):
    conv = stack_resident(lang="sv")
    data = conv.say("¿Dónde está la biblioteca municipal?").get_json()
    assert data["lang"] == "sv", data
    if data["route"] == "answer":  # the library's opening hours are the right answer, in Swedish
        assert "bibliotek" in _bot(data)[0]["source_url"] and _bot(data)[0]["lang"] == "sv", data
    else:
        assert data["route"] in ("handoff", "out_of_scope"), data
