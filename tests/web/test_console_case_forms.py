"""Case page forms, found by an exploratory test: the reassign select started on the list's first
department (Health and care) whatever the case's department was, so "Reassign" with only a reason typed
moved a case there; an empty internal note was dropped without a word."""

from __future__ import annotations

import re

import pytest

from tests.conftest import csrf_token, login
from tests.web.test_console import SCHOOL, _open_case


def test_reassign_select_starts_on_the_cases_own_department(app, client, resident):
    _, case_id = _open_case(app, resident, department="education")
    assert login(client, *SCHOOL).status_code == 302
    page = client.get(f"/console/cases/{case_id}?lang=en").get_data(as_text=True)
    select = re.search(r'<select[^>]*id="department"[^>]*>(.*?)</select>', page, re.S).group(1)
    selected = re.findall(r'<option selected value="([^"]+)"|<option value="([^"]+)" selected', select)
    assert [a or b for a, b in selected] == ["education"], select


@pytest.mark.parametrize("lang, said", [("en", "Write a note before adding it."),
                                        ("nb", "Skriv et notat før du legger det til."),
                                        ("fi", "Kirjoita muistiinpano ennen kuin lisäät sen.")])
def test_an_empty_note_is_refused_with_a_message(app, client, resident, lang, said):
    _, case_id = _open_case(app, resident, department="education")
    assert login(client, *SCHOOL).status_code == 302
    page = client.get(f"/console/cases/{case_id}?lang={lang}").get_data(as_text=True)
    resp = client.post(f"/console/cases/{case_id}/notes", data={"text": "   ", "csrf_token": csrf_token(page)},
                       follow_redirects=True)
    assert resp.status_code == 200
    assert said in resp.get_data(as_text=True)
    from web.extensions import db
    from web.models import CaseNote

    with app.app_context():
        assert db.session.query(CaseNote).filter_by(case_id=case_id, kind="note").count() == 0


def test_a_refused_reassign_keeps_the_department_chosen_and_the_reason(app, client, resident):
    """A reason of spaces only passes the browser's `required`; the page came back on the case's own
    department, so the caseworker had to choose again (or reassigned to the wrong place in a hurry)."""
    _, case_id = _open_case(app, resident, department="education")
    assert login(client, *SCHOOL).status_code == 302
    page = client.get(f"/console/cases/{case_id}?lang=en").get_data(as_text=True)
    resp = client.post(f"/console/cases/{case_id}/reassign?lang=en", data={
        "department": "health_care", "reason": "   ", "csrf_token": csrf_token(page)}, follow_redirects=True)
    again = resp.get_data(as_text=True)
    assert "Choose a department and give a reason." in again
    select = re.search(r'<select[^>]*id="department"[^>]*>(.*?)</select>', again, re.S).group(1)
    selected = re.findall(r'<option selected value="([^"]+)"|<option value="([^"]+)" selected', select)
    assert [a or b for a, b in selected] == ["health_care"]


def test_a_note_too_long_comes_back_as_written_with_why(app, client, resident):
    _, case_id = _open_case(app, resident, department="education")
    assert login(client, *SCHOOL).status_code == 302
    page = client.get(f"/console/cases/{case_id}?lang=nb").get_data(as_text=True)
    note = "Ringte innbyggeren. " * 300
    resp = client.post(f"/console/cases/{case_id}/notes", data={"text": note, "csrf_token": csrf_token(page)},
                       follow_redirects=True)
    again = resp.get_data(as_text=True)
    assert "Notatet ble ikke lagt til: det er lengre enn 5000 tegn." in again
    box = re.search(r'<textarea id="note"[^>]*>(.*?)</textarea>', again, re.S).group(1)
    assert box.strip() == note.strip()
