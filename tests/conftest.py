"""Shared fixtures: a real Flask app on a temporary SQLite database (migrated with Alembic, demo KB
loaded), and — for tests marked ``rasa`` — the real Rasa server and action server with the trained
model, started once per session and stopped at the end."""

from __future__ import annotations

import atexit
import os
import re
import shutil
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

import pytest

os.environ.setdefault("TINGET_CONFIG", "testing")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEAD_RASA = "http://127.0.0.1:9"  # discard port: nothing listens, connections are refused at once


def _base_config(tmp: Path) -> dict:
    return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'app.db'}", "INSTANCE_PATH": str(tmp),
            "RASA_URL": DEAD_RASA, "RASA_TIMEOUT": 5, "SUGGESTER_ENABLED": False,
            "RASA_TRACKER_URL": "", "SUGGESTER_INDEX_DIR": str(tmp / "index")}


_template: list[Path] = []  # the migrated demo database, built once per test process


def _demo_template() -> Path:
    """A SQLite file migrated with Alembic and loaded with the demo KB and users (``load_demo``), built once
    per process. Loading the demo takes seconds (five argon2 hashes, 28 YAML files, ~160 articles), and a few
    hundred tests each wanted their own copy of the very same rows: each now gets a copy of this file."""
    if not _template:
        from flask_migrate import upgrade

        from web import create_app
        from web.demo import load_demo
        from web.extensions import db

        tmp = Path(tempfile.mkdtemp(prefix="tinget-demo-db-"))
        atexit.register(shutil.rmtree, tmp, True)
        app = create_app(_base_config(tmp))
        with app.app_context():
            upgrade()
            load_demo()
            db.session.remove()
            db.engine.dispose()
        _template.append(tmp / "app.db")
    return _template[0]


def _copy_sqlite(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy of the database, pages still in the WAL file included."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def make_app(tmp: Path, **overrides):
    """The app on ``tmp/app.db`` (unless ``SQLALCHEMY_DATABASE_URI`` is given), migrated, with the demo KB.

    A new SQLite file starts as a copy of the demo template (see ``_demo_template``); Alembic's upgrade still
    runs on it (a no-op at head, with the same side effects on logging as on a new database). A database that
    exists already (a second app on the same directory) or another URI is migrated and loaded as before."""
    from flask_migrate import upgrade

    from web import create_app
    from web.demo import load_demo

    config = _base_config(tmp)
    config.update(overrides)
    db_file = tmp / "app.db"
    from_template = config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{db_file}" and not db_file.exists()
    if from_template:
        _copy_sqlite(_demo_template(), db_file)
    app = create_app(config)
    with app.app_context():
        upgrade()
        if not from_template:
            load_demo()
    return app


def make_drafting_app(tmp: Path, *, lang: str, intents, build: bool = True, **overrides):
    """The app with the suggester on and a small KB (a short index build): only the articles of ``intents`` in
    ``lang`` stay published. ``build``: the fjordvik index is built now (else the first case starts it)."""
    from sqlalchemy import select

    from kb.models import Article
    from tinget.models import Municipality
    from web.extensions import db
    from web.services import drafts

    app = make_app(tmp, **{"SUGGESTER_ENABLED": True, "SUGGESTER_INDEX_DIR": str(tmp / "index"), **overrides})
    with app.app_context():
        for article in db.session.scalars(select(Article)):
            if article.lang != lang or article.intent not in intents:
                article.status = "draft"
        db.session.commit()
        if build:
            drafts.reindex(db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik")))
    return app


def dispose(app) -> None:
    """Close an app's database session and connections at the end of a test (the file goes with tmp_path)."""
    with app.app_context():
        from web.extensions import db

        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path)
    yield app
    dispose(app)


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or \
        re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in page"
    return match.group(1)


def login(client, email: str, password: str):
    page = client.get("/auth/login")
    return client.post("/auth/login", data={"email": email, "password": password,
                                            "csrf_token": csrf_token(page.get_data(as_text=True))})


class Resident:
    """A widget's conversation through the real HTTP API."""

    def __init__(self, client, lang="nb", municipality="fjordvik"):
        self.client = client
        resp = client.post("/api/v1/conversations", json={"municipality": municipality, "lang": lang})
        assert resp.status_code == 201, resp.get_json()
        data = resp.get_json()
        self.id, self.token = data["id"], data["token"]
        self.headers = {"X-Conversation-Token": self.token}

    def say(self, text, **extra):
        return self.client.post(f"/api/v1/conversations/{self.id}/messages", json={"text": text, **extra},
                                headers=self.headers)

    def messages(self, after=0):
        return self.client.get(f"/api/v1/conversations/{self.id}/messages?after={after}", headers=self.headers)


@pytest.fixture
def resident(client):
    return lambda **kw: Resident(client, **kw)


# ------------------------------------------------------------------ the real Rasa stack
@pytest.fixture(scope="session")
def rasa_model():
    from bot.training import current_model, model_path

    if os.environ.get("TINGET_TEST_MODEL"):  # a developer's override: test a given model file
        return Path(os.environ["TINGET_TEST_MODEL"])
    wanted = model_path()
    if not wanted.exists():
        if os.environ.get("CI"):
            pytest.fail(f"no trained model {wanted.name}: `make test` trains it before pytest runs")
        pytest.skip("no trained Rasa model for the current training data (run `make train`)")
    return current_model()


@pytest.fixture(scope="session")
def rasa_stack(rasa_model, tmp_path_factory):
    """Rasa + action server on a session database with the demo KB."""
    from bot.servers import Stack

    tmp = tmp_path_factory.mktemp("rasa-stack")
    app = make_app(tmp)
    stack = Stack(rasa_model, app.config["SQLALCHEMY_DATABASE_URI"], f"sqlite:///{tmp / 'tracker.db'}",
                  log_dir=tmp / "logs")
    stack.start(timeout=400)
    app.config["RASA_URL"] = stack.rasa_url
    app.config["RASA_TRACKER_URL"] = stack.tracker_url
    stack.app = app
    yield stack
    stack.stop()


@pytest.fixture
def stack_client(rasa_stack):
    return rasa_stack.app.test_client()


@pytest.fixture
def stack_resident(stack_client):
    return lambda **kw: Resident(stack_client, **kw)


def build_small_index(app, intents=("kindergarten_apply", "kindergarten_fees", "after_school_care"), lang="nb"):
    """A real suggester index (bundled e5 encoder, FAISS) over a few of the demo KB's articles, so that
    new cases get real drafts without encoding the whole KB (which takes minutes on 2 cores)."""
    from sqlalchemy import select

    from tinget.models import Municipality
    from web.extensions import db
    from web.services import drafts

    app.config["SUGGESTER_ENABLED"] = True
    with app.app_context():
        municipality = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
        docs = [d for d in drafts.documents(municipality) if d.intent in intents and d.lang == lang]
        svc = drafts.new_service(municipality)
        svc.build(docs)
        app.extensions[f"tinget.suggester.{municipality.slug}"] = svc
        return svc
