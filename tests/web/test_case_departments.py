"""A case always lands in a queue someone sees: the bot (or the mail triage) may route to a department the
municipality does not have (the catalogue's default queues; an admin may run without a culture
department). Real app on a temporary SQLite; the bot is a stand-in Rasa REST channel over HTTP."""

from __future__ import annotations

from tests.conftest import Resident, login, make_app
from tests.fake_rasa import fake_rasa

ADMIN = ("admin@fjordvik.example", "demo-admin")
SERVICE_DESK = ("service@fjordvik.example", "demo-service")


def _handoff_to(department):
    def reply(body):
        return [{"recipient_id": body["sender"], "custom": {"tinget": {
            "type": "handoff", "reason": "personal_case", "department": department,
            "intent": "personal_case", "confidence": 0.8}}}]
    return reply


def _case(app, case_id):
    from web.extensions import db
    from web.models import Case

    with app.app_context():
        return db.session.get(Case, case_id).department


def test_a_case_routed_to_a_department_the_municipality_lacks_goes_to_its_service_desk(tmp_path):
    with fake_rasa(_handoff_to("harbour")) as (url, _):
        app = make_app(tmp_path, RASA_URL=url)
        data = Resident(app.test_client()).say("Båtplassen min i havna er utleid til en annen")
    assert data.status_code == 201 and data.get_json()["state"] == "handoff"
    case_id = data.get_json()["case"]["id"]
    assert _case(app, case_id) == "service_desk"
    client = app.test_client()  # the service desk's caseworker has it in their queue
    login(client, *SERVICE_DESK)
    assert f"/console/cases/{case_id}" in client.get("/console/").get_data(as_text=True)
    page = client.get(f"/console/cases/{case_id}").get_data(as_text=True)  # and is told why it has it
    assert "Rutet til harbour, en avdeling denne kommunen ikke har; sendt til Servicetorget." in page


def test_an_admin_sees_a_case_filed_under_a_department_key_the_municipality_no_longer_has(tmp_path):
    with fake_rasa(_handoff_to("service_desk")) as (url, _):
        app = make_app(tmp_path, RASA_URL=url)
        case_id = Resident(app.test_client()).say("Jeg vil klage på et vedtak").get_json()["case"]["id"]
    from web.extensions import db
    from web.models import Case

    with app.app_context():  # filed before the department was removed (or by an older version)
        db.session.get(Case, case_id).department = "harbour"
        db.session.commit()
    client = app.test_client()
    login(client, *ADMIN)
    page = client.get("/console/").get_data(as_text=True)
    assert f"/console/cases/{case_id}" in page
    assert client.get(f"/console/cases/{case_id}").status_code == 200
