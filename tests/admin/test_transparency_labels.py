"""The transparency log page shows routes, language sources and reasons in the reader's language; the
stored rows and the CSV/JSON export keep the codes and English sentences as written."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from tests.conftest import login

ADMIN = ("admin@fjordvik.example", "demo-admin")

# (channel, lang_source, route, reason) as web.services.inquiry and mail.triage / web.services.mail write them
ROWS = [
    ("chat", "detected", "answer", "intent waste_collection (0.93)"),
    ("chat", "conversation", "chitchat", "intent greet (0.88)"),
    ("chat", "widget", "clarify", "clarify: school_placement / school_change"),
    ("chat", "button", "handoff", "low_confidence"),
    ("chat", "detected", "handoff", "internal_error"),
    ("chat", "detected", "out_of_scope", "out_of_scope"),
    ("chat", "conversation", "paused", "case 12"),
    ("mail", "detected", "answer", "answer waste_collection (confidence 0.91); sent automatically "
                                   "(enabled for auto-reply, ≥ 0.85)"),
    ("mail", "detected", "answer", "answer waste_collection (confidence 0.91); sent automatically "
                                   "(enabled for auto-reply, ≥ 0.85) — not sent: no SMTP server configured"),
    ("mail", "detected", "answer", "answer waste_collection, school_change (confidence 0.72)"),
    ("mail", "detected", "handoff", "route to health_care (the mail's topic): 1 attachment(s) from the sender"),
    ("mail", "detected", "set_aside", "set aside (newsletter): List-Unsubscribe/List-Id header"),
    ("mail", "detected", "set_aside", "set aside (spam): something no template wrote"),
]
ENGLISH = ["handoff", "set_aside", "out_of_scope", "chitchat", "clarify", "paused", "(detected)", "(conversation)",
           "(widget)", "(button)", "low_confidence", "internal_error", "intent ", "case 12", "route to",
           "set aside", "answer ", "Answer", "Routed", "Set aside", "not sent", "newsletter", "spam)"]


@pytest.fixture
def records(app):
    from web.extensions import db
    from web.models import Municipality, TransparencyRecord

    with app.app_context():
        m = db.session.query(Municipality).filter_by(slug="fjordvik").one()
        for channel, source, route, reason in ROWS:
            db.session.add(TransparencyRecord(municipality_id=m.id, channel=channel, lang="nb", lang_source=source,
                                              intent="waste_collection", confidence=0.9, route=route,
                                              reason=reason, redactions={}))
        db.session.commit()


def _visible(html: str) -> str:
    """The table's text as shown: tags removed, a <details>' stored sentence (collapsed) left out."""
    table = html[html.index("<tbody>"):html.index("</tbody>")]
    table = re.sub(r"</summary>.*?</details>", "", table, flags=re.S)
    return re.sub(r"<[^>]+>", " ", table)


def test_log_page_in_finnish_shows_no_stored_english(client, records):
    login(client, *ADMIN)
    html = client.get("/admin/transparency?lang=fi").get_data(as_text=True)
    text = _visible(html)
    for word in ENGLISH:
        assert word not in text, word
    assert "waste_collection, pisteet 0,93" in text or "0,93" in text
    assert "(tunnistettu)" in text
    # the mail's stored sentence is one click away, as stored
    assert "<summary>" in html and "route to health_care (the mail&#39;s topic)" in html
    assert "List-Unsubscribe" in text  # header names stay as found


@pytest.mark.parametrize("lang", ["nb", "nn", "sv", "da", "fi", "en"])
def test_log_page_renders_in_every_language(client, records, lang):
    login(client, *ADMIN)
    resp = client.get(f"/admin/transparency?lang={lang}")
    assert resp.status_code == 200
    text = _visible(resp.get_data(as_text=True))
    assert "low_confidence" not in text and "(detected)" not in text or lang == "en"
    assert "low_confidence" not in text


def test_export_keeps_the_stored_codes_and_sentences(client, records):
    login(client, *ADMIN)
    client.get("/admin/transparency?lang=fi")
    rows = json.loads(client.get("/admin/transparency/export.json?lang=fi").get_data(as_text=True))
    assert [(r["channel"], r["lang_source"], r["route"], r["reason"]) for r in reversed(rows)] == ROWS
    table = list(csv.DictReader(io.StringIO(client.get("/admin/transparency/export.csv?lang=fi").get_data(as_text=True))))
    assert [(r["channel"], r["lang_source"], r["route"], r["reason"]) for r in reversed(table)] == ROWS


def test_reasons_no_writer_produced_are_shown_as_stored(app):
    from web.services.transparency import chat_reason, parse_reason

    for code, params in [("intent", {"intent": "greet", "confidence": 0.875}), ("case", {"case": 7}),
                         ("clarify", {"options": ["a", "b"]})]:
        assert parse_reason("chat", chat_reason(code, **dict(params)))[0] == code
    assert chat_reason("intent", intent="greet", confidence=0.875) == "intent greet (0.88)"

    assert parse_reason("chat", "intent school_change (0.5)") == ("intent", {"intent": "school_change",
                                                                             "confidence": "0.5"})
    assert parse_reason("chat", "Some free text") is None
    assert parse_reason("mail", "route to") is None
    answer = parse_reason("mail", "answer a, b (confidence 0.70); waits for a click (below the auto-reply threshold)")
    assert answer == ("mail_answer", {"intents": ["a", "b"], "confidence": "0.70", "not_sent": None, "auto": False,
                                      "waits": True})


def test_chat_turns_through_the_app_are_shown_translated_and_exported_as_stored(tmp_path):
    """Turns written by the app itself (a stand-in Rasa): the stored reasons are the writers' forms, which
    the page reads back."""
    from tests.conftest import Resident, make_app
    from tests.fake_rasa import fake_rasa

    replies = iter([
        {"type": "answer", "intent": "library_hours", "confidence": 0.93, "title": "Biblioteket",
         "text": "Biblioteket er åpent 10-16.", "source_url": "https://fjordvik.example/bibliotek"},
        {"type": "clarify", "intent": "school_placement", "confidence": 0.5, "text": "Mener du A eller B?",
         "options": ["school_placement", "school_change"],
         "buttons": [{"title": "A", "payload": "/school_placement"}, {"title": "B", "payload": "/school_change"}]},
        {"type": "handoff", "reason": "low_confidence", "intent": "nlu_fallback", "confidence": 0.2},
    ])
    with fake_rasa(lambda body: [{"recipient_id": "x", "custom": {"tinget": next(replies)}}]) as (url, _):
        app = make_app(tmp_path, RASA_URL=url, RASA_TIMEOUT=10)
        client = app.test_client()
        resident = Resident(client)
        for text in ("Når er biblioteket åpent?", "skole", "hmm"):
            resident.say(text)
        login(client, *ADMIN)
        text = _visible(client.get("/admin/transparency?lang=fi").get_data(as_text=True))
        assert "Aikomus library_hours, varmuus 0,93" in text
        assert "Tarjottiin: Koulupaikka / Koulun vaihtaminen" in text  # the catalogue's topics by their names
        assert "Botti ei ollut varma, mitä tarkoitettiin" in text
        for word in ("low_confidence", "handoff", "clarify", "(detected)", "intent "):
            assert word not in text, word
        rows = json.loads(client.get("/admin/transparency/export.json").get_data(as_text=True))
        assert [r["reason"] for r in reversed(rows)] == [
            "intent library_hours (0.93)", "clarify: school_placement / school_change", "low_confidence"]


def _routes(html: str) -> list[tuple[str, str]]:
    """(route cell, reason summary) of each row as shown, oldest first."""
    rows = []
    for tr in re.findall(r"<tr><td>.*?</tr>", html[html.index("<tbody>"):], flags=re.S):
        cells = [re.sub(r"<[^>]+>", " ", c) for c in re.findall(r"<td>(.*?)</td>", re.sub(
            r"</summary>.*?</details>", "", tr, flags=re.S), flags=re.S)]
        rows.append((" ".join(cells[5].split()), " ".join(cells[6].split())))
    return list(reversed(rows))


@pytest.mark.parametrize("lang, answered, drafted", [
    ("en", "Answered", "Drafted for a caseworker"), ("nb", "Besvart", "Utkast til saksbehandler"),
    ("nn", "Svara", "Utkast til sakshandsamar"), ("sv", "Besvarat", "Utkast till handläggare"),
    ("da", "Besvaret", "Udkast til sagsbehandler"), ("fi", "Vastattu", "Luonnos käsittelijälle")])
def test_a_mail_answered_only_by_a_draft_is_not_routed_as_answered(client, records, lang, answered, drafted):
    """The Route column agreed with the reason beside it only for a mail whose automatic reply went out: a
    draft waiting for a caseworker (below the threshold, or the automatic reply not sent) said "Answered"."""
    login(client, *ADMIN)
    page = client.get(f"/admin/transparency?lang={lang}").get_data(as_text=True)
    shown = dict(zip([r[3] for r in ROWS], _routes(page), strict=True))
    sent, not_sent, waits = (r[3] for r in ROWS[7:10])
    assert shown[sent][0] == answered
    assert shown[not_sent][0] == drafted and shown[waits][0] == drafted
    assert shown["intent waste_collection (0.93)"][0] == answered  # the chat's answer is one


def test_intents_are_shown_by_name_not_by_their_key(client, records):
    """The Intent column and the reasons showed the catalogue's keys ("waste_collection", "school_change"):
    the admin reads the topics' names in the page's language; the export keeps the keys."""
    login(client, *ADMIN)
    text = _visible(client.get("/admin/transparency?lang=sv").get_data(as_text=True))
    for key in ("waste_collection", "school_placement", "school_change"):
        assert key not in text, key
    assert "Sophämtning" in text and "Skolplacering / Byta skola" in text and "Sophämtning, Byta skola" in text
    rows = json.loads(client.get("/admin/transparency/export.json").get_data(as_text=True))
    assert {r["intent"] for r in rows} == {"waste_collection"}

