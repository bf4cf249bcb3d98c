"""Opening a case in the console: a caseworker of its department takes a new case on and has read it;
an administrator looking around leaves it new, unassigned and unread for the department (the header's
count of unread messages stays)."""

from __future__ import annotations

from tests.conftest import login
from tests.web.test_console import ADMIN, SCHOOL, _open_case


def _state(app, case_id):
    from web.extensions import db
    from web.models import Case

    with app.app_context():
        case = db.session.get(Case, case_id)
        return case.status, case.assignee_id, case.unread


def test_an_admin_opening_a_case_does_not_take_it_from_the_department(app, client, resident):
    _, first = _open_case(app, resident)
    _, second = _open_case(app, resident, text="Når starter skolen etter ferien?")
    with app.test_client() as admin:
        login(admin, *ADMIN)
        for case_id in (first, second):
            assert admin.get(f"/console/cases/{case_id}").status_code == 200
    assert _state(app, first) == ("new", None, 1) and _state(app, second) == ("new", None, 1)
    login(client, *SCHOOL)
    assert 'id="unread-total">2<' in client.get("/console/").get_data(as_text=True), \
        "the department still sees both unread"
    client.get(f"/console/cases/{first}")
    status, assignee, unread = _state(app, first)
    assert (status, assignee is not None, unread) == ("assigned", True, 0), "a caseworker of it takes it on opening"
    assert _state(app, second) == ("new", None, 1)
