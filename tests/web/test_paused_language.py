"""While a caseworker has the conversation (the bot paused), the resident's language is still followed:
the notice that a caseworker will answer comes in the language the resident now writes, and the
transparency record says it was detected. Real app, temp SQLite; Rasa is down, so the first message
becomes a case."""

from __future__ import annotations

import re

from tests.conftest import Resident, make_app


def test_paused_notice_follows_the_residents_language(tmp_path):
    app = make_app(tmp_path)
    resident = Resident(app.test_client())
    first = resident.say("Jeg lurer på søknaden min om barnehageplass").get_json()
    assert first["state"] == "handoff"
    second = resident.say("Could you please tell me when somebody will answer my question?").get_json()
    assert second["route"] == "paused"
    with app.app_context():
        from kb.store import system_text
        from tinget.models import Municipality
        from web.extensions import db
        from web.models import TransparencyRecord

        municipality = db.session.query(Municipality).one()
        notice = system_text(db.session, municipality, "paused", "en")
        record = db.session.query(TransparencyRecord).order_by(TransparencyRecord.id.desc()).first()
        assert (record.route, record.lang, record.lang_source) == ("paused", "en", "detected")
    assert [r["text"] for r in second["replies"]] == [notice]


def test_the_case_follows_the_language_the_resident_now_writes(tmp_path):
    """A resident who was handed over in Norwegian and then writes in English is answered in English: the
    case page says so, the reply box spell-checks English, and the caseworker's reply is stored as English."""
    from tests.conftest import csrf_token, login
    from tests.web.test_console import ADMIN

    app = make_app(tmp_path)
    client = app.test_client()
    resident = Resident(client)
    assert resident.say("Jeg lurer på søknaden min om barnehageplass").get_json()["state"] == "handoff"
    with app.app_context():
        from web.extensions import db
        from web.models import Case

        case_id, lang = db.session.query(Case.id, Case.lang).one()
    assert lang in ("nb", "nn")
    resident.say("Sorry, I do not read Norwegian. Could you answer me in English, please?")
    login(client, *ADMIN)
    page = client.get(f"/console/cases/{case_id}?lang=nb").get_data(as_text=True)
    assert '<dd><span lang="en">English</span> (en)</dd>' in page
    textarea = re.search(r"<textarea[^>]*>", page).group(0)
    assert 'id="reply-text"' in textarea and 'lang="en"' in textarea and 'spellcheck="true"' in textarea
    client.post(f"/console/cases/{case_id}/reply", data={"text": "Hello! We are looking at your application.",
                                                        "csrf_token": csrf_token(page)})
    with app.app_context():
        from web.models import Message

        sent = db.session.query(Message).filter_by(sender="caseworker").one()
        assert sent.lang == "en"


def test_console_marks_the_language_of_each_message(tmp_path):
    """WCAG 2.1 3.1.2 (language of parts): a Finnish message on a Norwegian console page is marked as
    Finnish, so a screen reader reads it with Finnish pronunciation; the queue line too."""
    from tests.conftest import login
    from tests.web.test_console import ADMIN

    app = make_app(tmp_path)
    client = app.test_client()
    Resident(client, lang="fi").say("Haluaisin tietää, miten hakemukseni päiväkotipaikasta etenee")
    login(client, *ADMIN)
    queue = client.get("/console/?lang=nb").get_data(as_text=True)
    assert '<span lang="fi">Haluaisin tietää' in queue
    with app.app_context():
        from web.extensions import db
        from web.models import Case

        case_id = db.session.query(Case.id).scalar()
    page = client.get(f"/console/cases/{case_id}?lang=nb").get_data(as_text=True)
    assert '<html lang="nb">' in page
    assert '<p class="text" lang="fi">Haluaisin tietää' in page
    assert '<dd><span lang="fi">Suomi</span> (fi)</dd>' in page
