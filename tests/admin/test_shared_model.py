"""On a region's installation one bot model answers every municipality's residents: only the region's bot
team (TINGET_BOT_TEAM) may add training examples and retrain; other admins request articles. Real app on a
temporary SQLite with a second municipality; the retrain is refused before anything starts."""

from __future__ import annotations

import sys
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from tests.admin import activity
from tests.admin.helpers import admin_client
from tests.conftest import csrf_token, make_app
from tinget.models import Municipality
from web.extensions import db
from web.services.users import upsert_user

ADMIN = ("admin@fjordvik.example", "demo-admin")
EL_ADMIN = ("admin@elvdal.example", "elvdal-admin-pass-1")
QUESTION = "Kan jeg ha høner i hagen?"


# a training run that fails at once: the retrain is started (202) and ends without touching the real model
TRAIN = [sys.executable, "-c", "import sys; sys.exit(1)"]


def _wait(client):
    deadline = time.monotonic() + 60
    while client.get("/admin/teach/retrain/status").get_json()["running"]:
        assert time.monotonic() < deadline
        time.sleep(0.1)


def _region(tmp_path, **config):
    app = make_app(tmp_path, **{"TEACH_DIR": str(tmp_path / "taught"), "TEACH_TRAIN_COMMAND": TRAIN, **config})
    with app.app_context():
        elvdal = Municipality(slug="elvdal", name="Elvdal kommune")
        db.session.add(elvdal)
        db.session.flush()
        upsert_user(elvdal, EL_ADMIN[0], "Elin Elvdal", "admin", EL_ADMIN[1], [])
        for slug in ("fjordvik", "elvdal"):
            m = db.session.scalar(select(Municipality).where(Municipality.slug == slug))
            activity.add_turn(m, datetime.utcnow() - timedelta(hours=1), QUESTION, intent="out_of_scope",
                              route="out_of_scope", confidence=0.3)
        db.session.commit()
    return app


def _teach(client):
    page = client.get("/admin/teach").get_data(as_text=True)
    import re

    ids = re.findall(r'name="q" value="([\d,]+)"', page)
    resp = client.post("/admin/teach/groups", data={"csrf_token": csrf_token(page), "q": ids, "lang": "nb",
                                                    "intent": "building_permit", "action": "examples"})
    retrain = client.post("/admin/teach/retrain", data={"csrf_token": csrf_token(page)},
                          headers={"Accept": "application/json"})
    return page, resp, retrain


@pytest.mark.parametrize("team, allowed", [("", set()), ("fjordvik", {"fjordvik"})])
def test_only_the_bot_team_changes_the_shared_model(tmp_path, team, allowed):
    app = _region(tmp_path, BOT_TEAM=[team] if team else [])
    for slug, who in (("fjordvik", ADMIN), ("elvdal", EL_ADMIN)):
        client = admin_client(app, who)
        page, resp, retrain = _teach(client)
        taught = list((tmp_path / "taught").rglob("*.yml"))
        if slug in allowed:
            assert 'id="retrain-form"' in page and "Add as training examples" in page
            assert taught and retrain.status_code == 202
            _wait(client)
        else:
            assert 'id="retrain-form"' not in page and "Add as training examples" not in page
            assert "The bot is shared by the municipalities of this installation" in page
            assert "Request a new article" in page, "the admin can still ask for an article"
            assert resp.status_code == 302 and retrain.status_code == 403
            assert "The bot is shared" in retrain.get_json()["error"]
            assert not [p for p in taught if slug in str(p)], "no training example was written"
            imported = client.post("/admin/kb/training/import", data={
                "csrf_token": csrf_token(client.get("/admin/kb/training/import").get_data(as_text=True)),
                "file": (__import__("io").BytesIO(b"examples:\n- {intent: library, lang: nb, text: boker til utlan}\n"),
                         "ex.yaml")}, content_type="multipart/form-data")
            assert imported.status_code == 422 and "The bot is shared" in imported.get_data(as_text=True)


def test_one_municipality_teaches_as_before(tmp_path):
    app = make_app(tmp_path, TEACH_DIR=str(tmp_path / "taught"), TEACH_TRAIN_COMMAND=TRAIN)
    with app.app_context():
        m = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
        activity.add_turn(m, datetime.utcnow() - timedelta(hours=1), QUESTION, intent="out_of_scope",
                          route="out_of_scope", confidence=0.3)
        db.session.commit()
    client = admin_client(app, ADMIN)
    page, resp, retrain = _teach(client)
    assert 'id="retrain-form"' in page and retrain.status_code == 202
    _wait(client)
    assert list((tmp_path / "taught").rglob("*.yml"))


def test_a_bot_team_of_a_mistyped_slug_names_nobody(tmp_path, capfd):
    """TINGET_BOT_TEAM=fjordvk (a typo): nobody trains from the admin pages, the page does not name a team that
    does not exist but points to the setting, and the log says which slug is unknown."""
    app = _region(tmp_path, BOT_TEAM=["fjordvk"])
    client = admin_client(app, ADMIN)
    page, resp, retrain = _teach(client)
    assert retrain.status_code == 403 and 'id="retrain-form"' not in page
    assert "until a bot team is named (TINGET_BOT_TEAM)" in page and "(fjordvk)" not in page
    assert "TINGET_BOT_TEAM names no municipality: fjordvk" in capfd.readouterr().err


def test_the_page_names_the_bot_team_by_its_municipalities_names(tmp_path):
    """Elvdal's admin read 'the region's bot team (fjordvik)': the operator's slug. The team's municipalities
    are named as their admins know them, in the refusal on the page and after a refused change."""
    app = _region(tmp_path, BOT_TEAM=["fjordvik"])
    client = admin_client(app, EL_ADMIN, lang="nn")
    page, resp, retrain = _teach(client)
    assert "botteamet i regionen (Fjordvik kommune)" in page and "(fjordvik)" not in page
    assert "(Fjordvik kommune)" in retrain.get_json()["error"]


def test_a_failed_runs_own_words_are_for_the_bot_team_only(tmp_path):
    """A failed retrain's last lines of output (the Rasa server's address, training files, other municipalities'
    examples) were shown to every admin of the installation, on the page and in the status the page polls.
    The bot team's admin still reads them; Elvdal's admin reads only what failed, in words."""
    train = [sys.executable, "-c", "import sys; print('http://10.20.0.7:5005 refused: Kari sin søknad'); sys.exit(1)"]
    app = _region(tmp_path, BOT_TEAM=["fjordvik"], TEACH_TRAIN_COMMAND=train)
    team = admin_client(app, ADMIN)
    _page, _resp, retrain = _teach(team)
    assert retrain.status_code == 202
    _wait(team)
    status = team.get("/admin/teach/retrain/status").get_json()
    assert status["state"] == "failed" and "10.20.0.7:5005" in status["reason"]
    assert "10.20.0.7:5005" in team.get("/admin/teach").get_data(as_text=True)

    other = admin_client(app, EL_ADMIN)
    status = other.get("/admin/teach/retrain/status").get_json()
    assert (status["state"], status["error"], status["reason"]) == ("failed", "Training failed.", "")
    page = other.get("/admin/teach").get_data(as_text=True)
    assert "Retraining failed. The bot keeps its last good model." in page and "Training failed." in page
    assert "10.20.0.7" not in page and "Kari" not in page
