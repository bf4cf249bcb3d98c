"""The case lifecycle and the drafts in the console against the real app: new → assigned → answered →
closed → reopened, reassign with a reason (re-drafted for the new department), internal notes,
filters and search, age against the response-time target, unread counts, next case, and accept /
edit-then-send / reject-with-reason of real suggester drafts, each recorded for the suggester."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from tests.conftest import build_small_index, csrf_token, login
from tests.web.test_console import ADMIN, HEALTH, SCHOOL, _case_for, _open_case


def _case(app, case_id):
    from web.extensions import db
    from web.models import Case

    with app.app_context():
        case = db.session.get(Case, case_id)
        return {"status": case.status, "department": case.department, "unread": case.unread,
                "assignee": case.assignee.email if case.assignee else None,
                "notes": [n.text for n in case.notes],
                "drafts": [(d.id, d.status, d.reject_reason, d.text) for d in case.drafts]}


def test_lifecycle_new_assigned_answered_closed_reopened(app, client, resident):
    conv, case_id = _open_case(app, resident)
    login(client, *SCHOOL)
    queue = client.get("/console/").get_data(as_text=True)
    assert 'id="unread-total">1<' in queue, "the navigation counts unread resident messages"
    assert _case(app, case_id)["status"] == "new"
    page = client.get(f"/console/cases/{case_id}").get_data(as_text=True)
    state = _case(app, case_id)
    assert (state["status"], state["assignee"], state["unread"]) == ("assigned", SCHOOL[0], 0)
    assert "Sverre Skule" in page and 'id="unread-total"' not in page
    token = csrf_token(page)
    client.post(f"/console/cases/{case_id}/reply", data={"text": "Vi ser på saken.", "csrf_token": token})
    assert _case(app, case_id)["status"] == "answered"
    conv.say("Takk, når kommer svaret?")
    state = _case(app, case_id)
    assert (state["status"], state["unread"]) == ("assigned", 1), "a new message puts it back to work"
    client.post(f"/console/cases/{case_id}/close", data={"csrf_token": token})
    assert _case(app, case_id)["status"] == "closed"
    assert f"#{case_id}<" not in client.get("/console/").get_data(as_text=True)
    assert f"#{case_id}<" in client.get("/console/?status=closed").get_data(as_text=True)
    conv.say("Jeg har ett spørsmål til")
    state = _case(app, case_id)
    assert (state["status"], state["unread"]) == ("new", 2) and "Reopened: the resident wrote again." in state["notes"]
    assert _case_for(app, conv.id).id == case_id, "the same case, nothing lost"
    texts = [m["text"] for m in conv.messages().get_json()["messages"]]
    assert "Vi ser på saken." in texts and "Jeg har ett spørsmål til" in texts


def test_reassign_needs_a_reason_and_moves_the_case(app, client, resident):
    _, case_id = _open_case(app, resident)
    login(client, *SCHOOL)
    token = csrf_token(client.get(f"/console/cases/{case_id}").get_data(as_text=True))
    resp = client.post(f"/console/cases/{case_id}/reassign", data={"department": "health_care", "reason": " ",
                                                                    "csrf_token": token}, follow_redirects=True)
    assert _case(app, case_id)["department"] == "education"
    assert "reason" in resp.get_data(as_text=True).lower() or "grunn" in resp.get_data(as_text=True).lower()
    bad = client.post(f"/console/cases/{case_id}/reassign", data={"department": "no_such_dept", "reason": "x",
                                                                   "csrf_token": token})
    assert bad.status_code == 200 and _case(app, case_id)["department"] == "education"
    select = re.search(r'<select[^>]*id="department"[^>]*>(.*?)</select>', bad.get_data(as_text=True), re.S).group(1)
    assert re.search(r'<option selected value="education"|<option value="education" selected', select)
    client.post(f"/console/cases/{case_id}/notes", data={"text": "Ringte mor, venter på papirer.", "csrf_token": token})
    client.post(f"/console/cases/{case_id}/reassign", data={"department": "health_care",
                                                             "reason": "Gjelder helsestasjonen", "csrf_token": token})
    state = _case(app, case_id)
    assert (state["department"], state["status"], state["assignee"]) == ("health_care", "new", None)
    assert "education → health_care: Gjelder helsestasjonen" in state["notes"]
    assert client.get(f"/console/cases/{case_id}").status_code == 403, "gone from the old department"
    with app.test_client() as helse:
        login(helse, *HEALTH)
        page = helse.get(f"/console/cases/{case_id}").get_data(as_text=True)
        assert "Gjelder helsestasjonen" in page and "Ringte mor, venter på papirer." in page


def test_reassign_the_service_refuses_flashes_why_and_stays_on_the_case(app, client, resident, monkeypatch):
    from web.services import cases

    _, case_id = _open_case(app, resident)
    login(client, *SCHOOL)
    token = csrf_token(client.get(f"/console/cases/{case_id}").get_data(as_text=True))

    def refuse(*args, **kwargs):
        raise ValueError("Unknown department 'health_care'.")

    monkeypatch.setattr(cases, "reassign", refuse)
    resp = client.post(f"/console/cases/{case_id}/reassign", data={"department": "health_care", "reason": "x",
                                                                    "csrf_token": token})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/console/cases/{case_id}")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Unknown department &#39;health_care&#39;." in page and "reassigned" not in page.lower()
    assert _case(app, case_id)["department"] == "education"


def test_filters_search_age_target_and_next_case(app, client, resident):
    from web.extensions import db
    from web.models import Case

    _, old_id = _open_case(app, resident, text="Spørsmål om skoleskyss for sønnen min")
    _, new_id = _open_case(app, resident, text="Spørsmål om SFO-plass til høsten")
    _, health_id = _open_case(app, resident, text="Spørsmål om hjemmetjenester", department="health_care")
    with app.app_context():
        db.session.get(Case, old_id).created_at -= timedelta(hours=60)  # older than the 48 h target
        db.session.commit()
    login(client, *ADMIN)
    queue = client.get("/console/").get_data(as_text=True)
    assert all(f"#{i}<" in queue for i in (old_id, new_id, health_id))
    assert "48" in queue
    row = queue[queue.index(f"#{old_id}<"):].split("</tr>")[0]
    assert "60" in row and ("over target" in row or "over målet" in row)
    assert "over" not in queue[queue.index(f"#{new_id}<"):].split("</tr>")[0].replace("overdue", "")
    searched = client.get("/console/?q=skoleskyss").get_data(as_text=True)
    assert f"#{old_id}<" in searched and f"#{new_id}<" not in searched
    by_dep = client.get("/console/?department=health_care").get_data(as_text=True)
    assert f"#{health_id}<" in by_dep and f"#{old_id}<" not in by_dep
    page = client.get(f"/console/cases/{old_id}").get_data(as_text=True)
    assert "60" in page and ("over the response-time target" in page or "svartid" in page)
    # next case: oldest first, then the next one after the current
    assert client.get(f"/console/next?after={old_id}").headers["Location"].endswith(f"/console/cases/{new_id}")
    assert client.get("/console/next").headers["Location"].endswith(f"/console/cases/{old_id}")
    client.post(f"/console/cases/{new_id}/close", data={"csrf_token": csrf_token(page)})
    client.post(f"/console/cases/{health_id}/close", data={"csrf_token": csrf_token(page)})
    client.post(f"/console/cases/{old_id}/close", data={"csrf_token": csrf_token(page)})
    resp = client.get(f"/console/next?after={old_id}")
    assert resp.headers["Location"].endswith("/console/")


def test_accept_edit_reject_drafts_are_recorded_for_the_suggester(app, client, resident):
    from web.extensions import db
    from web.models import AcceptedReply, Case
    from web.services import drafts

    svc = build_small_index(app)
    conversations = []
    for _ in range(3):
        conv, case_id = _open_case(app, resident, text="Hvordan søker jeg om barnehageplass, og når får jeg svar?")
        with app.app_context():
            drafts.propose(db.session.get(Case, case_id))  # as after_open does for an education case
            db.session.commit()
        conversations.append((conv, case_id))
    login(client, *SCHOOL)

    # 1. accept: one click sends the draft unchanged
    conv, case_id = conversations[0]
    page = client.get(f"/console/cases/{case_id}").get_data(as_text=True)
    assert "Keyboard shortcuts" in page or "Tastatursnarveier" in page
    assert 'aria-keyshortcuts="A"' in page and 'aria-keyshortcuts="N"' in page
    first = _case(app, case_id)["drafts"][0]
    assert first[1] == "proposed" and "barnehage" in first[3].lower()
    assert "Søke barnehageplass" in page, "the draft shows its source"
    client.post(f"/console/cases/{case_id}/drafts/{first[0]}/accept", data={"csrf_token": csrf_token(page)})
    assert conv.messages().get_json()["messages"][-1]["text"] == first[3]
    assert _case(app, case_id)["drafts"][0][1] == "accepted"

    # 2. edit, then send
    conv, case_id = conversations[1]
    page = client.get(f"/console/cases/{case_id}").get_data(as_text=True)
    draft = _case(app, case_id)["drafts"][0]
    edited = draft[3] + "\n\nVi har fått søknaden din og svarer innen to uker."
    client.post(f"/console/cases/{case_id}/reply", data={"text": edited, "draft_id": str(draft[0]),
                                                         "csrf_token": csrf_token(page)})
    assert "innen to uker" in conv.messages().get_json()["messages"][-1]["text"]
    assert _case(app, case_id)["drafts"][0][1] == "edited"

    # 3. reject: a reason is required, then it is kept and the suggester demotes the source
    conv, case_id = conversations[2]
    page = client.get(f"/console/cases/{case_id}").get_data(as_text=True)
    draft = _case(app, case_id)["drafts"][0]
    client.post(f"/console/cases/{case_id}/drafts/{draft[0]}/reject", data={"reason": "", "csrf_token": csrf_token(page)})
    assert _case(app, case_id)["drafts"][0][1] == "proposed"
    rejections = len(svc.rejections)
    client.post(f"/console/cases/{case_id}/drafts/{draft[0]}/reject",
                data={"reason": "Gjelder ikke denne barnehagen", "csrf_token": csrf_token(page)})
    assert _case(app, case_id)["drafts"][0][1:3] == ("rejected", "Gjelder ikke denne barnehagen")
    assert len(svc.rejections) == rejections + 1
    assert "Gjelder ikke denne barnehagen" in client.get(f"/console/cases/{case_id}").get_data(as_text=True)

    with app.app_context():
        rows = db.session.scalars(select(AcceptedReply).order_by(AcceptedReply.id)).all()
        assert [r.action for r in rows] == ["accept", "edit"]
        assert rows[0].draft_source == "article:kindergarten_apply:nb" and "barnehageplass" in rows[0].question
        assert all(f"reply:{r.id}" in svc.docs for r in rows), "sent replies are indexed at once"
    # the next similar case gets the accepted reply among its drafts
    result = svc.suggest("Når får jeg svar på søknaden om barnehageplass?", "nb", k=5, department="education")
    assert any(d.source_id.startswith("reply:") for d in result.drafts)

    # ... and the console shows which earlier question that reply answered, in the caseworker's language
    _, next_case = _open_case(app, resident, text="Når får jeg svar på søknaden om barnehageplass?")
    with app.app_context():
        drafts.propose(db.session.get(Case, next_case))
        db.session.commit()
    page = client.get(f"/console/cases/{next_case}?lang=en").get_data(as_text=True)
    learned = page.split('class="learned-from"', 1)[1].split("</span>", 1)[0]
    assert "Earlier reply to:" in learned and "barnehageplass" in learned and "<q lang=" in learned
    nb_page = client.get(f"/console/cases/{next_case}?lang=nb").get_data(as_text=True)
    assert "Tidligere svar på:" in nb_page


def test_reassign_redrafts_for_the_new_department(app, client, resident):
    from web.extensions import db
    from web.models import Case

    build_small_index(app)
    conv, case_id = _open_case(app, resident, text="Hvordan søker jeg om barnehageplass, og når får jeg svar?",
                               department="service_desk")
    with app.test_client() as service:
        login(service, "service@fjordvik.example", "demo-service")
        page = service.get(f"/console/cases/{case_id}").get_data(as_text=True)
        service.post(f"/console/cases/{case_id}/reassign", data={"department": "education", "reason": "Barnehage",
                                                                  "csrf_token": csrf_token(page)})
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.department == "education"
        assert case.drafts and case.drafts[0].status == "proposed"
        assert case.drafts[0].sources[0]["source_id"] == "article:kindergarten_apply:nb"


def test_a_closed_case_is_reopened_without_a_reply(app, client, resident):
    """A case closed too early (or by a slip of the keys) could only come back by replying to the resident."""
    _, case_id = _open_case(app, resident)
    login(client, *SCHOOL)
    page = client.get(f"/console/cases/{case_id}?lang=nn").get_data(as_text=True)
    client.post(f"/console/cases/{case_id}/close", data={"csrf_token": csrf_token(page)})
    page = client.get(f"/console/cases/{case_id}?lang=nn").get_data(as_text=True)
    assert f"/console/cases/{case_id}/reopen" in page and f"/console/cases/{case_id}/close" not in page
    resp = client.post(f"/console/cases/{case_id}/reopen", data={"csrf_token": csrf_token(page)})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/console/cases/{case_id}")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Saka er opna att." in page  # the flash and the note, in the reader's language
    state = _case(app, case_id)
    assert (state["status"], state["assignee"]) == ("assigned", SCHOOL[0]) and "Reopened." in state["notes"]
    assert f"#{case_id}<" in client.get("/console/").get_data(as_text=True)
    assert _replies_sent(app, case_id) == 0


def _replies_sent(app, case_id: int) -> int:
    from web.extensions import db
    from web.models import Case, Message

    with app.app_context():
        conv = db.session.get(Case, case_id).conversation_id
        return db.session.query(Message).filter_by(conversation_id=conv, sender="caseworker").count()
