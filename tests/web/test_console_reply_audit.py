"""The audit log says whether a sent draft was edited, as the draft's own status (and the suggester) do:
an administrator reading the log sees the same thing the case page shows."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import csrf_token, login
from tests.web.test_console import SCHOOL, _open_case

DRAFT = "Hei! Søknaden din er mottatt og blir behandlet innen fire uker."


def _with_drafts(app, case_id, n=3):
    from web.extensions import db
    from web.models import Draft

    with app.app_context():
        ids = []
        for rank in range(n):
            d = Draft(case_id=case_id, rank=rank, text=f"{DRAFT} ({rank})", score=0.9, lang="nb")
            db.session.add(d)
            db.session.flush()
            ids.append(d.id)
        db.session.commit()
        return ids


def _audit_and_status(app, draft_id):
    from web.extensions import db
    from web.models import AuditEvent, Draft

    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "reply")
                                    .order_by(AuditEvent.id)).all()
        return events[-1].details, db.session.get(Draft, draft_id).status


def test_an_edited_draft_sent_from_the_reply_box_is_audited_as_edited(app, client, resident):
    _conv, case_id = _open_case(app, resident)
    edited_id, same_id, accepted_id = _with_drafts(app, case_id)
    login(client, *SCHOOL)
    token = csrf_token(client.get(f"/console/cases/{case_id}").get_data(as_text=True))

    def send(text, draft_id):
        client.post(f"/console/cases/{case_id}/reply",
                    data={"text": text, "draft_id": str(draft_id), "csrf_token": token})

    send(f"{DRAFT} (0)\n\nVi kontakter deg om vi trenger mer.", edited_id)
    assert _audit_and_status(app, edited_id) == ({"draft_id": edited_id, "edited": True}, "edited")
    send(f"  {DRAFT}\n(1)  ", same_id)  # only the whitespace changed: sent as suggested
    assert _audit_and_status(app, same_id) == ({"draft_id": same_id, "edited": False}, "accepted")
    client.post(f"/console/cases/{case_id}/drafts/{accepted_id}/accept", data={"csrf_token": token})
    assert _audit_and_status(app, accepted_id) == ({"draft_id": accepted_id, "edited": False}, "accepted")
