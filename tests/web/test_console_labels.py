"""What a caseworker reads in the queue and on a case: the message the case is about (not an earlier
question the bot already answered), and status, reason and department in the console's language instead
of the codes stored on the case. The drafts answer the same messages. Real app, temp SQLite, a stand-in
Rasa on loopback that answers one question and hands the next one over."""

from __future__ import annotations

import html
import re

import pytest

from tests.conftest import Resident, csrf_token, login, make_app
from tests.fake_rasa import fake_rasa
from tests.web.test_console import ADMIN

ANSWERED = "Når er biblioteket åpent på lørdag?"
HANDED_OVER = "Hvorfor er byggesøknaden min for garasjen ikke behandlet ennå?"


def _rasa(body: dict) -> list:
    if "byggesøknaden" in body.get("message", ""):
        payload = {"type": "handoff", "reason": "personal_case", "department": "planning",
                   "intent": "personal_case", "confidence": 0.91}
    else:
        payload = {"type": "answer", "intent": "library_hours", "confidence": 0.93, "title": "Biblioteket",
                   "text": "Biblioteket er åpent 10-16 på lørdager.", "source_url": "https://fjordvik.example/bibliotek"}
    return [{"recipient_id": body.get("sender", "x"), "custom": {"tinget": payload}}]


@pytest.fixture
def handed_over(tmp_path):
    """(app, client, case id) after a conversation: one question the bot answered, then a personal case."""
    with fake_rasa(_rasa) as (url, _):
        app = make_app(tmp_path, RASA_URL=url, RASA_TIMEOUT=10)
        client = app.test_client()
        resident = Resident(client)
        assert resident.say(ANSWERED).get_json()["route"] == "answer"
        assert resident.say(HANDED_OVER).get_json()["state"] == "handoff"
        with app.app_context():
            from web.extensions import db
            from web.models import Case

            case_id = db.session.query(Case.id).one()[0]
        yield app, client, case_id


def _row(page: str, case_id: int) -> str:
    start = page.rindex("<tr", 0, page.index(f"#{case_id}<"))
    return page[start:].split("</tr>")[0]


def _cells(row: str) -> list[str]:
    return [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


@pytest.mark.parametrize(("lang", "department", "status", "reason"), [
    ("nb", "Plan og byggesak", "Ny", "Gjelder innbyggerens egen sak"),
    ("sv", "Plan och bygg", "Ny", "Gäller invånarens eget ärende"),
    ("fi", "Kaavoitus ja rakennusvalvonta", "Uusi", "Koskee asukkaan omaa asiaa"),
    ("en", "Planning and building", "New", "About the resident's own case"),
])
def test_queue_shows_the_handed_over_message_and_labels_in_the_console_language(handed_over, lang, department,
                                                                                 status, reason):
    _app, client, case_id = handed_over
    login(client, *ADMIN)
    page = client.get(f"/console/?lang={lang}").get_data(as_text=True)
    cells = _cells(_row(page, case_id))
    assert HANDED_OVER[:40] in cells[0] and "biblioteket" not in cells[0]
    assert cells[1:4] == [department, status, reason]
    assert "personal_case" not in page and ">planning<" not in page
    assert f'<option value="planning" >{department}</option>' in page, "the department filter names it too"


def test_case_page_names_status_reason_and_department_and_marks_draft_decisions(handed_over):
    app, client, case_id = handed_over
    login(client, *ADMIN)
    page = client.get(f"/console/cases/{case_id}?lang=sv").get_data(as_text=True)
    assert '<span class="badge">Ny</span>' in page, "an administrator opening the case leaves it new (not assigned)"
    assert "<dd>Plan och bygg</dd>" in page and "<dd>Gäller invånarens eget ärende</dd>" in page
    with app.app_context():
        from web.extensions import db
        from web.models import Draft

        draft = Draft(case_id=case_id, rank=0, text="Hej! Vi ser på ärendet.", score=0.8, sources=[], lang="nb")
        db.session.add(draft)
        db.session.commit()
        draft_id = draft.id
    page = client.get(f"/console/cases/{case_id}").get_data(as_text=True)
    client.post(f"/console/cases/{case_id}/drafts/{draft_id}/reject",
                data={"reason": "Fel ämne", "csrf_token": csrf_token(page)})
    page = client.get(f"/console/cases/{case_id}").get_data(as_text=True)
    assert "· avvisat (Fel ämne)" in page


def test_drafts_answer_the_handed_over_messages_not_the_ones_the_bot_answered(handed_over):
    app, _client, case_id = handed_over
    with app.app_context():
        from web.extensions import db
        from web.models import Case
        from web.services import cases, drafts

        case = db.session.get(Case, case_id)
        assert drafts.case_question(case) == HANDED_OVER
        assert cases.summary(case) == HANDED_OVER


def test_unknown_codes_are_shown_as_stored(handed_over):
    app, client, case_id = handed_over
    with app.app_context():
        from web.extensions import db
        from web.models import Case

        row = db.session.get(Case, case_id)
        row.reason = "a_new_bot_reason"
        db.session.commit()
    login(client, *ADMIN)
    cells = _cells(_row(client.get("/console/?lang=nn").get_data(as_text=True), case_id))
    assert cells[1:4] == ["Plan og byggesak", "Ny", "a_new_bot_reason"]


def test_the_queue_page_reads_the_same_number_of_statements_for_3_or_12_cases(tmp_path):
    """Each queue line shows a message of its case: the messages are loaded with the cases, not per case."""
    from sqlalchemy import event

    app = make_app(tmp_path)  # Rasa down: every first message becomes a case
    client = app.test_client()
    login(client, *ADMIN)
    with app.app_context():
        from web.extensions import db

        engine = db.engine
    counts = []
    for total in (3, 12):
        while _open_cases(app) < total:
            Resident(app.test_client()).say(f"Spørsmål nummer {_open_cases(app) + 1} om søknaden min")
        statements: list[str] = []

        def record(conn, cursor, statement, *args, statements=statements):
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            page = client.get("/console/").get_data(as_text=True)
        finally:
            event.remove(engine, "before_cursor_execute", record)
        assert page.count('href="/console/cases/') >= total
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def _open_cases(app) -> int:
    with app.app_context():
        from web.extensions import db
        from web.models import Case

        return db.session.query(Case).count()


@pytest.mark.parametrize(("lang", "intent", "route", "language"), [
    ("nb", "Egen sak", "Overført", "Norsk bokmål"),
    ("sv", None, None, "Norsk bokmål"),
    ("en", "Own case", "Handed over", "Norsk bokmål"),
])
def test_case_page_names_each_messages_intent_route_and_language(handed_over, lang, intent, route, language):
    """Each resident message's line on the case page showed the stored keys ("nb · personal_case · 0.91 ·
    handoff"), and the case's intent fact its key: the caseworker reads names in the console's language."""
    from web import labels

    app, client, case_id = handed_over
    login(client, *ADMIN)
    page = client.get(f"/console/cases/{case_id}?lang={lang}").get_data(as_text=True)
    with app.test_request_context(f"/?lang={lang}"):
        intent = intent or labels.intent_name("personal_case")
        route = route or labels.route("handoff")
    assert intent != "personal_case" and route != "handoff"
    metas = [html.unescape(re.sub(r"<[^>]+>", "", m)).split(" · ")
             for m in re.findall(r'<p class="meta">(.*?)</p>', page, re.S)]
    assert [language, intent, "0.91", route] in metas, metas
    assert f"<dd>{intent} (0.91)</dd>" in page
    shown = re.sub(r"<[^>]+>", " ", page)
    assert "personal_case" not in shown and "handoff" not in shown
