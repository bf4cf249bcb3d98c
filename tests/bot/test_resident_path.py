"""The whole resident path with the real trained Rasa model, action server and demo KB."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token, login

pytestmark = pytest.mark.rasa


def test_a_topic_question_gets_its_kb_article_with_the_source(rasa_stack, stack_resident):
    conv = stack_resident()
    resp = conv.say("Når er biblioteket åpent på lørdager?")
    assert resp.status_code == 201
    data = resp.get_json()
    assert data["route"] == "answer", data
    assert data["message"]["text"] == "Når er biblioteket åpent på lørdager?"
    hours, answer = data["replies"][0], data["replies"][-1]
    assert "10:00–15:00" in hours["text"]  # the day asked about first (bot.day_hours), then the article
    assert answer["sender"] == "bot"
    assert answer["source_url"].startswith("https://www.fjordvik.example/")
    assert answer["html"]
    assert data["state"] == "bot"
    with rasa_stack.app.app_context():  # the transparency record names the model Rasa serves
        from web.extensions import db
        from web.models import TransparencyRecord

        record = db.session.query(TransparencyRecord).order_by(TransparencyRecord.id.desc()).first()
        assert record.model_version == rasa_stack.model.name


def test_own_application_status_becomes_an_education_case_and_the_reply_reaches_the_widget(
        rasa_stack, stack_client, stack_resident):
    conv = stack_resident()
    data = conv.say("Hvor langt har søknaden min om barnehageplass kommet?").get_json()
    assert data["route"] == "handoff", data
    assert data["state"] == "handoff"
    case_id = data["case"]["id"]
    app = rasa_stack.app
    with app.app_context():
        from web.extensions import db
        from web.models import Case

        case = db.session.get(Case, case_id)
        assert case.department == "education"
        assert case.reason == "personal_case"

    caseworker = app.test_client()
    login(caseworker, "skole@fjordvik.example", "demo-skole")
    page = caseworker.get(f"/console/cases/{case_id}").get_data(as_text=True)
    assert "søknaden min om barnehageplass" in page
    caseworker.post(f"/console/cases/{case_id}/reply", data={
        "text": "Hei! Søknaden din er registrert, og du får svar innen 1. mai.", "csrf_token": csrf_token(page)})
    last = conv.messages().get_json()["messages"][-1]
    assert last["sender"] == "caseworker"
    assert "innen 1. mai" in last["text"]


def test_english_question_is_answered_in_english(stack_resident):
    conv = stack_resident()
    data = conv.say("How do I apply for a place in kindergarten for my daughter?").get_json()
    assert data["route"] == "answer", data
    assert data["replies"][0]["lang"] == "en"


def test_asking_for_a_human_always_reaches_a_person(stack_resident):
    data = stack_resident().say("Jeg vil snakke med et menneske").get_json()
    assert data["route"] == "handoff"
    assert data["case"]["status"] == "new"


def test_gibberish_is_not_answered_with_a_topic(stack_resident):
    data = stack_resident().say("asdfkjh qwpeoriu zxcmvn").get_json()
    assert data["route"] != "answer"


def test_messages_after_handoff_join_the_case_not_the_bot(stack_resident):
    conv = stack_resident()
    first = conv.say("Jeg vil klage på vedtaket om hjemmesykepleie til faren min").get_json()
    assert first["state"] == "handoff"
    second = conv.say("Når er biblioteket åpent?").get_json()
    assert second["route"] == "paused"
    assert second["case"]["id"] == first["case"]["id"]
