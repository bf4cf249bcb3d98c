"""A table of crafted bad inputs posted to every public endpoint: never a 5xx, always JSON on the API,
and never a lost message — a message the API accepts (201) is stored and the resident gets a reply
(an answer or the notice that a caseworker takes over). Hundreds of cases, one shared app."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from tests.conftest import make_app

# Strings a resident's browser (or an attacker) can put in any text field.
NASTY = {
    "html-script": "<script>alert(1)</script>",
    "html-img": '<img src=x onerror="alert(document.cookie)">',
    "html-svg": '"><svg/onload=alert(1)>',
    "js-url": "javascript:alert(1)",
    "template-jinja": "{{ config.items() }} {% raw %}",
    "template-dollar": "${7*7} #{7*7} <%= 7*7 %>",
    "markdown-link": "[klikk](javascript:alert(1)) ![x](http://127.0.0.1/x.png)",
    "sql-or": "' OR '1'='1",
    "sql-drop": "'; DROP TABLE message; --",
    "sql-union": "%' UNION SELECT email, password_hash FROM user --",
    "sql-sleep": "1; SELECT pg_sleep(10); --",
    "sql-comment": "hei */ /* -- #",
    "rtl-override": "\u202eexe.gnp\u202c hvor er sykehjemmet",
    "rtl-arabic": "مرحبا، متى تفتح المكتبة؟",
    "rtl-hebrew": "שלום, מתי הספרייה פתוחה?",
    "rtl-marks": "\u200f\u200e\u061c hei",
    "bidi-isolates": "\u2066\u2067\u2068 x \u2069",
    "zero-width-only": "\u200b\u200c\u200d\u2060\ufeff",
    "zero-width-inside": "sy\u200bke\u200dhje\u200cmmet åpnings\u2060tider",
    "bom": "\ufeffNår er biblioteket åpent?",
    "zalgo": "H̷̢̛̤e̴̠̓i̶̬͝ ̸̰̈́k̵̪̾o̷̰͑m̸̱̈m̴̰̒u̵̫͝n̶̰̈e̶̗͘",
    "combining-nfd": "a\u030a\u0308o\u0308 Bra\u030ate",
    "emoji": "👍🏽🇳🇴👨‍👩‍👧‍👦" * 50,
    "astral": "\U0001d54f\U0010ffff\U000e0001",
    "noncharacters": "\ufffe\uffff\ufdd0 hei",
    "nordic": "Æ Ø Å æ ø å Ä Ö ä ö Č Đ Ŋ Š Ŧ Ž",
    "nul": "\x00",
    "nul-inside": "hei\x00sann",
    "ansi-escape": "\x1b[31mrød\x1b[0m \x07",
    "crlf-injection": "hei\r\nX-Injected: 1\r\n\r\n",
    "only-whitespace": " \t\n\r\u3000\u00a0",
    "percent-format": "%s %n %x %d {0} {}",
    "path-traversal": "../../../etc/passwd",
    "url-file": "file:///etc/passwd",
    "url-internal": "http://127.0.0.1:5005/webhooks/rest/webhook",
    "rasa-command": "/restart",
    "rasa-intent": '/human_handoff{"department": "x"}',
    "backslashes": "\\\\\\\" \\u0000",
    "json-in-text": '{"text": "x", "sender": "admin"}',
    "literal-null": "null",
    "literal-nan": "NaN",
    "number-text": "-1e309",
    "long-word": "a" * 4000,
    "one-over-limit": "b" * 4001,
    "long-line-words": "hei " * 999,
    "newlines": "\n" * 2000 + "hei",
    "fake-phone-id": "Ring meg på 99 99 99 99, fnr 010190 00000, ola@example.invalid",
    "mixed-scripts": "Привет 你好 γειά नमस्ते hei",
    "single-char": "?",
}

# Raw request bodies (as bytes) that are not a valid message.
RAW = {
    "empty": b"",
    "one-mb": b"x" * (1024 * 1024),
    "one-mb-json-text": json.dumps({"text": "a" * (1024 * 1024)}).encode(),
    "binary": bytes(range(256)) * 8,
    "gzip-magic": b"\x1f\x8b\x08\x00" + bytes(60),
    "invalid-utf8": b'{"text": "\xc3\x28 hei"}',
    "overlong-utf8": b'{"text": "\xc0\xaf"}',
    "cesu-surrogate": b'{"text": "\xed\xa0\x80"}',
    "utf16-json": json.dumps({"text": "hei"}).encode("utf-16"),
    "latin1-json": '{"text": "blåbær"}'.encode("latin-1"),
    "deep-array": b"[" * 50_000,
    "deep-object": b'{"a":' * 20_000 + b"1" + b"}" * 20_000,
    "deep-in-text-field": b'{"text": ' + b"[" * 30_000 + b"]" * 30_000 + b"}",
    "huge-int": b'{"text": "hei", "lang_fixed": ' + b"9" * 5000 + b"}",
    "huge-float": b'{"text": 1e999999}',
    "nan": b'{"text": NaN}',
    "truncated": b'{"text": "hei',
    "trailing-garbage": b'{"text": "hei"} xyz',
    "duplicate-keys": b'{"text": "hei", "text": 5}',
    "array": b'["hei"]',
    "string": b'"hei"',
    "number": b"42",
    "null": b"null",
    "true": b"true",
    "text-null": b'{"text": null}',
    "text-array": b'{"text": ["hei"]}',
    "text-object": b'{"text": {"$gt": ""}}',
    "text-bool": b'{"text": true}',
    "text-float": b'{"text": 1.5}',
    "lang-number": b'{"text": "hei", "lang": 5}',
    "lang-object": b'{"text": "hei", "lang": {"a": 1}}',
    "lang-array": b'{"text": "hei", "lang": ["nb"]}',
    "payload-number": b'{"text": "hei", "payload": 5}',
    "payload-object": b'{"text": "hei", "payload": {"x": 1}}',
    "payload-long": json.dumps({"text": "hei", "payload": "/" + "x" * 600}).encode(),
    "municipality-object": b'{"municipality": {"$ne": null}}',
    "municipality-array": b'{"municipality": ["fjordvik"]}',
    "municipality-number": b'{"municipality": 1}',
    "lang-fixed-string": b'{"text": "hei", "lang_fixed": "no"}',
    "many-keys": json.dumps({f"k{i}": i for i in range(3000)} | {"text": "hei"}).encode(),
}
CONTENT_TYPES = ["application/json", "text/plain", "application/x-www-form-urlencoded"]


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("crafted"), RASA_TIMEOUT=1)
    yield app.test_client()
    with app.app_context():
        from web.extensions import db

        db.session.remove()
        db.engine.dispose()


def new_conversation(api) -> tuple[str, dict]:
    data = api.post("/api/v1/conversations", json={"municipality": "fjordvik"}).get_json()
    return data["id"], {"X-Conversation-Token": data["token"]}


def assert_clean(resp, allowed: set[int]):
    assert resp.status_code < 500, resp.get_data(as_text=True)[:300]
    assert resp.status_code in allowed, (resp.status_code, resp.get_data(as_text=True)[:300])
    if resp.status_code >= 400:
        error = resp.get_json()["error"]
        assert error["code"] and error["message"]


def assert_not_lost(api, conv_id, headers, resp):
    """An accepted message is stored and the resident is told something (answer or case notice)."""
    data = resp.get_json()
    assert data["message"]["sender"] == "resident" and data["message"]["text"].strip()
    assert data["replies"], "the resident was told nothing"
    assert data["state"] == "bot" or data["case"], "handed off without a case"
    stored = api.get(f"/api/v1/conversations/{conv_id}/messages", headers=headers).get_json()["messages"]
    assert data["message"]["id"] in [m["id"] for m in stored]


@pytest.mark.parametrize("text", NASTY.values(), ids=NASTY.keys())
def test_message_text(api, text):
    conv_id, headers = new_conversation(api)
    resp = api.post(f"/api/v1/conversations/{conv_id}/messages", json={"text": text}, headers=headers)
    assert_clean(resp, {201, 400, 413})
    if resp.status_code == 201:
        assert_not_lost(api, conv_id, headers, resp)
        assert "<script" not in "".join(r["html"] for r in resp.get_json()["replies"])


@pytest.mark.parametrize("value", NASTY.values(), ids=NASTY.keys())
@pytest.mark.parametrize("field", ["lang", "payload", "lang_fixed"])
def test_message_side_fields(api, field, value):
    conv_id, headers = new_conversation(api)
    resp = api.post(f"/api/v1/conversations/{conv_id}/messages", json={"text": "Hei", field: value},
                    headers=headers)
    assert_clean(resp, {201, 400})
    if resp.status_code == 201:
        assert_not_lost(api, conv_id, headers, resp)


@pytest.mark.parametrize("body", RAW.values(), ids=RAW.keys())
@pytest.mark.parametrize("content_type", CONTENT_TYPES)
def test_raw_message_bodies(api, body, content_type):
    conv_id, headers = new_conversation(api)
    resp = api.post(f"/api/v1/conversations/{conv_id}/messages", data=body, content_type=content_type,
                    headers=headers)
    assert_clean(resp, {201, 400, 413})
    if resp.status_code == 201:
        assert_not_lost(api, conv_id, headers, resp)


@pytest.mark.parametrize("body", RAW.values(), ids=RAW.keys())
def test_raw_new_conversation_bodies(api, body):
    resp = api.post("/api/v1/conversations", data=body, content_type="application/json")
    assert_clean(resp, {201, 400, 404, 413})


@pytest.mark.parametrize("value", NASTY.values(), ids=NASTY.keys())
def test_new_conversation_fields(api, value):
    assert_clean(api.post("/api/v1/conversations", json={"municipality": value}), {400, 404})
    assert_clean(api.post("/api/v1/conversations", json={"municipality": "fjordvik", "lang": value}), {201, 400})


@pytest.mark.parametrize("value", NASTY.values(), ids=NASTY.keys())
def test_query_strings_path_ids_and_tokens(api, value):
    conv_id, headers = new_conversation(api)
    q = quote(value, safe="")
    assert_clean(api.get(f"/api/v1/widget/config?municipality={q}"), {200, 400, 404})
    assert_clean(api.get(f"/api/v1/widget/config?lang={q}"), {200})
    assert_clean(api.get(f"/api/v1/conversations/{conv_id}/messages?after={q}", headers=headers), {200})
    # an encoded "/" in the id makes another path: 404, 405 (only OPTIONS matches) or 308 (merged slashes)
    assert_clean(api.get(f"/api/v1/conversations/{q}/messages", headers=headers), {308, 404, 405})
    assert_clean(api.delete(f"/api/v1/conversations/{q}", headers=headers), {308, 404, 405})
    assert_clean(api.post(f"/api/v1/conversations/{q}/messages", json={"text": "hei"}, headers=headers),
                 {308, 404, 405})
    token = value.encode("utf-8").decode("latin-1").replace("\r", "").replace("\n", "")  # HTTP header octets
    assert_clean(api.get(f"/api/v1/conversations/{conv_id}/messages", headers={"X-Conversation-Token": token}),
                 {403})
    assert_clean(api.get(f"/api/v1/conversations/{conv_id}/messages?token={q}"), {403})
    assert_clean(api.delete(f"/api/v1/conversations/{conv_id}", headers={"X-Conversation-Token": token}), {403})


@pytest.mark.parametrize("value", list(NASTY.values())[:25], ids=list(NASTY.keys())[:25])
def test_login_form_and_console_paths(api, value):
    """The HTML side: the login form (CSRF-protected) and console URLs never fail with a 5xx."""
    resp = api.post("/auth/login", data={"email": value, "password": value, "csrf_token": value})
    assert resp.status_code < 500
    resp = api.get(f"/auth/login?next={quote(value, safe='')}")
    assert resp.status_code < 500
    resp = api.get(f"/console/cases/{quote(value, safe='')}")
    assert resp.status_code < 500


@pytest.mark.parametrize("body", RAW.values(), ids=RAW.keys())
def test_raw_login_bodies(api, body):
    resp = api.post("/auth/login", data=body, content_type="application/x-www-form-urlencoded")
    assert resp.status_code < 500


def test_the_table_is_big_enough():
    cases = len(NASTY) * (1 + 3 + 2 + 1) + len(RAW) * (len(CONTENT_TYPES) + 2) + 25
    assert cases >= 200, cases
