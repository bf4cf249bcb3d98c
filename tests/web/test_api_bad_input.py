"""Bad input to the resident API gets a clear 4xx JSON error; a dead Rasa server loses nothing."""

from __future__ import annotations

import pytest


@pytest.fixture
def conv(resident):
    return resident()


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        (b"", "application/json", 400, "empty_body"),
        (b"{not json", "application/json", 400, "invalid_json"),
        (b"[1, 2]", "application/json", 400, "invalid_json"),
        (b'{"text": "hei \xff\xfe"}', "application/json", 400, "invalid_encoding"),
        (b"{}", "application/json", 400, "missing_text"),
        (b'{"text": 42}', "application/json", 400, "invalid_text"),
        (b'{"text": "   \\n\\t  "}', "application/json", 400, "empty_text"),
        (b'{"text": "\\u0000\\u0001"}', "application/json", 400, "empty_text"),
        (b'{"text": "\\ud800 hei"}', "application/json", 400, "invalid_text"),
        (b'{"text": "hei", "lang": "xx"}', "application/json", 400, "invalid_lang"),
    ],
    ids=["empty", "not-json", "json-array", "not-utf8", "missing-text", "text-not-string", "whitespace",
         "control-chars", "lone-surrogate", "unknown-lang"],
)
def test_bad_message_bodies_get_a_named_4xx(client, conv, body, content_type, status, code):
    resp = client.post(f"/api/v1/conversations/{conv.id}/messages", data=body, content_type=content_type,
                       headers=conv.headers)
    assert resp.status_code == status
    error = resp.get_json()["error"]
    assert error["code"] == code
    assert error["message"]


def test_over_long_message_is_refused_with_the_limit(conv):
    resp = conv.say("a" * 4001)
    assert resp.status_code == 413
    assert "4000" in resp.get_json()["error"]["message"]


def test_exactly_the_limit_is_accepted(conv):
    assert conv.say("x" * 4000).status_code == 201


def test_huge_body_is_refused_before_parsing(client, conv):
    resp = client.post(f"/api/v1/conversations/{conv.id}/messages", data=b"x" * (200 * 1024),
                       content_type="application/json", headers=conv.headers)
    assert resp.status_code == 413
    assert resp.is_json


def test_unknown_conversation_is_404(client):
    resp = client.post("/api/v1/conversations/doesnotexist/messages", json={"text": "hei"})
    assert resp.status_code == 404
    assert resp.get_json()["error"]["code"] == "unknown_conversation"
    assert client.get("/api/v1/conversations/doesnotexist/messages").status_code == 404


def test_wrong_token_is_refused(client, conv):
    resp = client.get(f"/api/v1/conversations/{conv.id}/messages", headers={"X-Conversation-Token": "nope"})
    assert resp.status_code == 403


def test_unknown_municipality_is_404(client):
    resp = client.post("/api/v1/conversations", json={"municipality": "atlantis"})
    assert resp.status_code == 404


def test_dead_rasa_turns_the_message_into_a_case(app, conv):
    """Rasa unreachable: no 5xx reaches the widget; the message is stored as a case."""
    resp = conv.say("Når er besøkstiden på sykehjemmet?")
    assert resp.status_code == 201
    data = resp.get_json()
    assert data["state"] == "handoff"
    assert data["case"]["status"] == "new"
    assert data["replies"] and data["replies"][0]["sender"] == "bot"
    assert "55 50 10 00" in data["replies"][0]["text"]  # the municipality's phone in the notice
    with app.app_context():
        from web.extensions import db
        from web.models import Case

        case = db.session.get(Case, data["case"]["id"])
        assert case.reason == "bot_unavailable"
        assert case.conversation.messages[0].text == "Når er besøkstiden på sykehjemmet?"


def test_html_in_messages_is_returned_as_text_not_markup(conv):
    resp = conv.say("<script>alert(1)</script> hei")
    data = resp.get_json()
    assert data["message"]["text"] == "<script>alert(1)</script> hei"
    assert data["message"]["html"] == ""  # the widget renders resident text with textContent


def test_personal_data_is_redacted_before_storage(app, conv):
    resp = conv.say("Hei, jeg er ola.nordmann@example.com, kan dere ringe meg?")
    text = resp.get_json()["message"]["text"]
    assert "ola.nordmann@example.com" not in text
    assert "<EMAIL>" in text
