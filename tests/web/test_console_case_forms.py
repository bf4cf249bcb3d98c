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
