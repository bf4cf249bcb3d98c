"""A draft made from an earlier reply has that case's personal data redacted ("We will call you on <PHONE>").
The case page showed the placeholder as nothing ("call you on  tomorrow") and "Accept and send" sent it so:
the resident read a sentence with a hole. Now the draft says what was removed, and neither the draft nor a
reply with a placeholder left in it is sent."""

from __future__ import annotations

import html
import re

from tests.conftest import csrf_token, login
from tests.web.test_console import SCHOOL, _open_case

LEARNED = "Hei!\n\nVi ringer deg på <PHONE> i morgen om søknaden.\n\nMed vennlig hilsen\nOppvekst"


def _case_with_learned_draft(app, resident) -> tuple[int, int]:
    from web.extensions import db
    from web.models import Case, Draft

    _, case_id = _open_case(app, resident)
    with app.app_context():
        case = db.session.get(Case, case_id)
        case.drafts.append(Draft(rank=0, text=LEARNED, score=0.97, lang="nb",
                                 sources=[{"id": "reply:1", "kind": "reply", "question": "Søknad om plass"}]))
        db.session.commit()
        return case_id, case.drafts[0].id


def _replies(app, case_id: int) -> int:
    from web.extensions import db
    from web.models import Case, Message

    with app.app_context():
        conv = db.session.get(Case, case_id).conversation_id
        return db.session.query(Message).filter_by(conversation_id=conv, sender="caseworker").count()


def test_the_draft_says_what_was_removed_and_is_not_sent_with_the_hole(app, client, resident):
    case_id, draft_id = _case_with_learned_draft(app, resident)
    assert login(client, *SCHOOL).status_code == 302
    page = client.get(f"/console/cases/{case_id}?lang=en").get_data(as_text=True)
    shown = re.search(r'class="draft-text"[^>]*>(.*?)</div>', page, re.S).group(1)
    assert "Vi ringer deg på [phone number removed] i morgen" in html.unescape(shown)
    resp = client.post(f"/console/cases/{case_id}/drafts/{draft_id}/accept?lang=en",
                       data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "Not sent: the text still has personal data removed from an earlier case in it (&lt;PHONE&gt;)" \
        in resp.get_data(as_text=True)
    assert _replies(app, case_id) == 0


def test_a_reply_with_a_placeholder_left_in_it_comes_back_to_be_filled_in(app, client, resident):
    case_id, draft_id = _case_with_learned_draft(app, resident)
    assert login(client, *SCHOOL).status_code == 302
    page = client.get(f"/console/cases/{case_id}?lang=nb").get_data(as_text=True)
    resp = client.post(f"/console/cases/{case_id}/reply", data={"csrf_token": csrf_token(page), "text": LEARNED,
                                                                "draft_id": str(draft_id)})
    assert resp.status_code == 302  # and the page it leads to has the text back in the box (a reload sends nothing)
    again = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Ikke sendt: teksten inneholder fortsatt personopplysninger som ble fjernet fra en tidligere sak" in again
    box = re.search(r'<textarea[^>]*id="reply-text"[^>]*>(.*?)</textarea>', again, re.S).group(1)
    assert html.unescape(box).strip() == LEARNED  # kept, to fill in
    assert _replies(app, case_id) == 0
    filled = LEARNED.replace("<PHONE>", "900 00 000")
    resp = client.post(f"/console/cases/{case_id}/reply", data={"csrf_token": csrf_token(again), "text": filled,
                                                                "draft_id": str(draft_id)}, follow_redirects=True)
    assert resp.status_code == 200 and _replies(app, case_id) == 1
