"""A resident's message that arrives while the caseworker has the case page open (found by an exploratory
test: the page does not update itself). The reply written for the first message used to go out at once,
though the resident had meanwhile written "it is sorted" or given another address. Now the reply (or the
draft) is not sent; the case page comes back with the new message and the reply still in its box. Also: a
colleague's reply sent meanwhile is the same: the resident got two answers. A reply too long to send came back as "Write a reply before sending." with the box emptied."""

from __future__ import annotations

import html
import re

from tests.conftest import csrf_token, login
from tests.web.test_console import ADMIN, SCHOOL, _open_case

WROTE_AGAIN = "The resident wrote again while you had the case open"


def _field(page: str, name: str) -> str:
    return re.search(rf'<input id="{name}" name="{name}" type="hidden" value="([^"]*)"', page).group(1)


def _caseworker_replies(app, case_id: int) -> list[str]:
    from web.extensions import db
    from web.models import Case, Message

    with app.app_context():
        case = db.session.get(Case, case_id)
        return [m.text for m in db.session.query(Message).filter_by(conversation_id=case.conversation_id,
                                                                     sender="caseworker")]


def _textarea(page: str) -> str:
    return html.unescape(re.search(r'<textarea[^>]*id="reply-text"[^>]*>(.*?)</textarea>', page, re.S).group(1)).strip()


def test_a_reply_is_not_sent_over_a_message_the_caseworker_has_not_seen(app, client, resident):
    conv, case_id = _open_case(app, resident)
    assert login(client, *SCHOOL).status_code == 302
    page = client.get(f"/console/cases/{case_id}?lang=en").get_data(as_text=True)  # the caseworker reads ...
    conv.say("Glem det, vi har fått plass likevel. Takk!")  # ... the resident writes meanwhile ...
    reply = "Hei! Du kan søke om plass på nettsidene våre."
    resp = client.post(f"/console/cases/{case_id}/reply?lang=en", data={  # ... and the caseworker sends
        "text": reply, "csrf_token": csrf_token(page), "seen": _field(page, "seen"), "draft_id": ""})
    # post/redirect/get: the page that says so is a GET, so reloading it sends nothing again
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/console/cases/{case_id}")
    again = client.get(resp.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert WROTE_AGAIN in again
    assert "Glem det, vi har fått plass likevel." in again  # the new message is on the page
    assert _textarea(again) == reply  # what was written is kept
    assert "This reply has not been sent." in again
    assert _caseworker_replies(app, case_id) == []
    reloaded = client.get(f"/console/cases/{case_id}?lang=en").get_data(as_text=True)  # F5: still there
    assert _textarea(reloaded) == reply and WROTE_AGAIN not in reloaded
    assert _caseworker_replies(app, case_id) == []

    # sent from the page that shows the new message, it goes, and the box is empty afterwards
    resp = client.post(f"/console/cases/{case_id}/reply?lang=en", data={
        "text": reply, "csrf_token": csrf_token(again), "seen": _field(again, "seen"), "draft_id": ""},
        follow_redirects=True)
    assert "Reply sent to the resident." in resp.get_data(as_text=True)
    assert _textarea(resp.get_data(as_text=True)) == ""
    assert _caseworker_replies(app, case_id) == [reply]


def test_a_held_back_reply_is_kept_for_its_writer_only_until_discarded(app, client, resident):
    """Encrypted at rest, another caseworker's box stays empty, and Discard empties it (by a redirect too)."""
    from web.extensions import db
    from web.models import HeldReply

    conv, case_id = _open_case(app, resident)
    assert login(client, *SCHOOL).status_code == 302
    page = client.get(f"/console/cases/{case_id}?lang=nb").get_data(as_text=True)
    conv.say("Vi har fått plass likevel.")
    reply = "Hei Kari! Vi ringer deg i morgen."
    client.post(f"/console/cases/{case_id}/reply", data={"text": reply, "csrf_token": csrf_token(page),
                                                         "seen": _field(page, "seen")})
    with app.app_context():
        row = db.session.query(HeldReply).one()
        assert b"Kari" not in row.ciphertext
    assert "your reply not sent yet" in client.get("/console/?lang=en").get_data(as_text=True)  # the queue says so
    colleague = app.test_client()
    assert login(colleague, *ADMIN).status_code == 302
    assert _textarea(colleague.get(f"/console/cases/{case_id}").get_data(as_text=True)) == ""
    assert "your reply not sent yet" not in colleague.get("/console/?lang=en").get_data(as_text=True)
    again = client.get(f"/console/cases/{case_id}?lang=nb").get_data(as_text=True)
    assert _textarea(again) == reply
    resp = client.post(f"/console/cases/{case_id}/held/discard?lang=en", data={"csrf_token": csrf_token(again)})
    assert resp.status_code == 302
    after = client.get(f"/console/cases/{case_id}?lang=en").get_data(as_text=True)
    assert "The unsent reply was discarded." in after and _textarea(after) == ""
    assert "your reply not sent yet" not in client.get("/console/?lang=en").get_data(as_text=True)
    assert _caseworker_replies(app, case_id) == []


def test_a_draft_is_not_accepted_over_a_message_the_caseworker_has_not_seen(app, client, resident):
    from web.extensions import db
    from web.models import Case, Draft

    conv, case_id = _open_case(app, resident)
    with app.app_context():
        case = db.session.get(Case, case_id)
        case.drafts.append(Draft(rank=0, text="Hei!\n\nSøk på nettsidene.", score=0.9, sources=[], lang="nb"))
        db.session.commit()
    assert login(client, *SCHOOL).status_code == 302
    page = client.get(f"/console/cases/{case_id}?lang=nb").get_data(as_text=True)
    accept = re.search(r'<form method="post" action="(/console/cases/\d+/drafts/\d+/accept)"(.*?)</form>',
                       page, re.S)
    seen = re.search(r'name="seen" value="(\d+)"', accept.group(2)).group(1)
    conv.say("Forresten: vi har flyttet til Nordvik.")
    resp = client.post(accept.group(1), data={"csrf_token": csrf_token(page), "seen": seen}, follow_redirects=True)
    again = resp.get_data(as_text=True)
    assert "Innbyggeren skrev igjen mens du hadde saken åpen" in again
    assert "vi har flyttet til Nordvik" in again
    assert _caseworker_replies(app, case_id) == []


def test_a_reply_too_long_comes_back_in_the_box_with_why(app, client, resident):
    _, case_id = _open_case(app, resident)
    assert login(client, *SCHOOL).status_code == 302
    page = client.get(f"/console/cases/{case_id}?lang=en").get_data(as_text=True)
    reply = "Hei! " + "Her er mange detaljer om saken din. " * 300
    resp = client.post(f"/console/cases/{case_id}/reply?lang=en", data={
        "text": reply, "csrf_token": csrf_token(page), "seen": _field(page, "seen")}, follow_redirects=True)
    again = resp.get_data(as_text=True)
    assert "it is longer than 10000 characters" in again
    assert "Write a reply before sending." not in again
    assert _textarea(again) == reply.strip()
    assert _caseworker_replies(app, case_id) == []


def test_a_reply_is_not_sent_over_a_colleagues_reply_sent_meanwhile(app, client, resident):
    _, case_id = _open_case(app, resident)
    assert login(client, *SCHOOL).status_code == 302
    page = client.get(f"/console/cases/{case_id}?lang=da").get_data(as_text=True)  # a caseworker reads ...
    colleague = app.test_client()
    assert login(colleague, *ADMIN).status_code == 302
    other = colleague.get(f"/console/cases/{case_id}").get_data(as_text=True)
    colleague.post(f"/console/cases/{case_id}/reply", data={  # ... a colleague answers meanwhile ...
        "text": "Hei! Søknaden er mottatt.", "csrf_token": csrf_token(other), "seen": _field(other, "seen")})
    assert _caseworker_replies(app, case_id) == ["Hei! Søknaden er mottatt."]
    resp = client.post(f"/console/cases/{case_id}/reply", data={  # ... and the first one sends too
        "text": "Hei! Vi har fått søknaden din.", "csrf_token": csrf_token(page), "seen": _field(page, "seen")},
        follow_redirects=True)
    again = resp.get_data(as_text=True)
    assert "Der blev sendt et svar i denne sag, mens du havde den åben" in again
    assert "Søknaden er mottatt." in again and _textarea(again) == "Hei! Vi har fått søknaden din."
    assert _caseworker_replies(app, case_id) == ["Hei! Søknaden er mottatt."]


def test_a_held_back_reply_older_than_a_day_is_gone_and_retention_deletes_it(app, client, resident):
    from datetime import timedelta

    from tinget.db import utcnow
    from web.extensions import db
    from web.models import HeldReply
    from web.services import held, retention

    conv, case_id = _open_case(app, resident)
    assert login(client, *SCHOOL).status_code == 302
    page = client.get(f"/console/cases/{case_id}?lang=en").get_data(as_text=True)
    conv.say("Vi har fått plass likevel.")
    client.post(f"/console/cases/{case_id}/reply", data={"text": "Hei!", "csrf_token": csrf_token(page),
                                                         "seen": _field(page, "seen")})
    with app.app_context():
        assert db.session.query(HeldReply).count() == 1
        counts = retention.run(now=utcnow() + timedelta(hours=held.KEEP_HOURS + 1))
        assert counts["held_replies"] == 1 and db.session.query(HeldReply).count() == 0
    assert _textarea(client.get(f"/console/cases/{case_id}?lang=en").get_data(as_text=True)) == ""
