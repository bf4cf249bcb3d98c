"""/healthz tells monitoring (and `make run`'s supervisor) whether the database can serve this version: a
database an upgrade has not migrated answered 200 "ok" while every resident's message failed."""

from __future__ import annotations


def _app(tmp_path, url):
    from web import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path), "SUGGESTER_ENABLED": False,
                       "RASA_URL": "http://127.0.0.1:9", "RASA_TIMEOUT": 1})


def test_a_migrated_database_is_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok" and response.get_json()["database"] == "ok"


def test_an_older_schema_is_503_with_the_state_named(tmp_path):
    from flask_migrate import upgrade

    app = _app(tmp_path, f"sqlite:///{tmp_path / 'old.db'}")
    with app.app_context():
        upgrade(revision="b7e1c2d3a4f5")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "older", "rasa": False, "model": ""}


def test_an_unreachable_database_is_503_without_its_address(tmp_path):
    app = _app(tmp_path, "postgresql+psycopg2://tinget:pw-123@127.0.0.1:9/tinget")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json()["database"] == "unreachable"
    assert b"pw-123" not in response.data and b"127.0.0.1" not in response.data
