"""Control characters on real Postgres, which refuses NUL in text ("A string literal cannot contain NUL
(0x00) characters"): every one of these was a 500 (or a mail intake that failed at every poll) while
SQLite stored the NUL silently. The rules per place are in tests/web/test_control_characters.py,
tests/mail, tests/admin; here the same paths run on the database that refused them."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import create_engine, text

from tests import test_models_clean_text as mechanism
from tests.conftest import Resident, csrf_token, login, make_app

pytestmark = pytest.mark.scale
ADMIN = ("admin@fjordvik.example", "demo-admin")


@pytest.fixture
def pg_app(tmp_path, pg_url):
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=pg_url)
    app.pg_url = pg_url
    yield app
    with app.app_context():
        from web.extensions import db

        db.session.remove()
        db.engine.dispose()


def _no_nul_stored(app) -> None:
    """No text column of any table holds a NUL or another control character (read with plain SQL)."""
    engine = create_engine(app.pg_url)
    with engine.connect() as conn:
        columns = conn.execute(text("SELECT table_name, column_name FROM information_schema.columns "
                                    "WHERE table_schema = 'public' AND data_type IN ('text', 'character varying')"))
        for table, column in columns.all():
            query = f'SELECT count(*) FROM "{table}" WHERE "{column}" ~ :pattern'  # noqa: S608 - catalog names
            found = conn.execute(text(query), {"pattern": "[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f]"}).scalar()
            assert found == 0, (table, column)
        # JSON columns hold a control character as an escape (\u0000); none may be there either
        columns = conn.execute(text("SELECT table_name, column_name FROM information_schema.columns "
                                    "WHERE table_schema = 'public' AND data_type IN ('json', 'jsonb')"))
        for table, column in columns.all():
            query = f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ~* :pattern'  # noqa: S608 - catalog names
            found = conn.execute(text(query), {"pattern": r"\\u00([01][0-9a-f]|7f|[89][0-9a-f])"}).scalar()
            assert found == 0, (table, column)
    engine.dispose()


@pytest.mark.parametrize("case", range(len(mechanism.ROWS)), ids=[i for _m, _c, i in mechanism.ROWS])
def test_text_columns_clean_orm_and_core_writes_and_query_parameters_on_postgres(pg_app, case):
    """The column type's guard (tinget.db.CleanString/CleanText) on the database that refuses NUL: the same
    writes and queries as tests/test_models_clean_text.py, which runs them on SQLite."""
    make, column, _id = mechanism.ROWS[case]
    mechanism.test_orm_writes_are_stored_cleaned(pg_app, make, column)
    if case == 0:
        mechanism.test_core_insert_and_update_are_stored_cleaned(pg_app)
        mechanism.test_queries_with_control_characters_in_their_parameters(pg_app)
        mechanism.test_json_documents_are_stored_cleaned(pg_app)
    _no_nul_stored(pg_app)


def _admin(app):
    client = app.test_client()
    client.get("/auth/login?lang=en")
    assert login(client, *ADMIN).status_code == 302
    return client


def test_resident_message_and_mail_with_nul_on_postgres(pg_app, monkeypatch):
    client = pg_app.test_client()
    resident = Resident(client)
    resp = resident.say("Jeg vil klage\x00 på vedtaket\x0bom hjemmetjenester\x1b")
    assert resp.status_code == 201, resp.get_data(as_text=True)[:300]
    assert resp.get_json()["message"]["text"] == "Jeg vil klage på vedtaket\nom hjemmetjenester"
    for address in ("kari\x00@example.no", "ka\ud800ri@example.no"):
        resp = client.post(f"/api/v1/conversations/{resident.id}/email", json={"email": address},
                           headers=resident.headers)
        assert resp.status_code == 400 and resp.get_json()["error"]["code"] == "invalid_email"

    from tests.mail.test_parse import NUL_MAIL
    from web.services import mail as svc

    def no_nlu():
        raise RuntimeError("no NLU in this test")

    monkeypatch.setattr(svc, "_nlu", no_nlu)
    with pg_app.app_context():
        [result] = svc.intake(svc.municipality_for("fjordvik"), [NUL_MAIL])  # was: ValueError, at every poll
    assert result["status"] == "route" and result["case_id"]
    _no_nul_stored(pg_app)


def test_admin_and_console_input_with_nul_on_postgres(pg_app):
    admin = _admin(pg_app)
    # users page: a NUL in a name (the exploratory test's finding)
    token = csrf_token(admin.get("/admin/users/new").get_data(as_text=True))
    resp = admin.post("/admin/users/new", data={"csrf_token": token, "name": "Ola\x00 Nordmann",
                                                "email": "ola@fjordvik.example", "role": "caseworker", "lang": "nb",
                                                "password": "a-long-enough-password"})
    assert resp.status_code == 302
    token = csrf_token(admin.get("/admin/users/new").get_data(as_text=True))
    resp = admin.post("/admin/users/new", data={"csrf_token": token, "name": "Kari", "role": "caseworker",
                                                "email": "ka\x00ri@fjordvik.example", "lang": "nb",
                                                "password": "a-long-enough-password"})
    assert resp.status_code == 400 and "Enter a valid e-mail address." in resp.get_data(as_text=True)
    assert login(pg_app.test_client(), "ola\x00@fjordvik.example", "a-long-enough-password").status_code == 401
    with pg_app.app_context():  # an OpenID provider's claim with a NUL: no user (was a 500, untyped func.lower())
        from web.services import users

        assert users.for_oidc({"email": "admin\x00@fjordvik.example", "email_verified": True}) is None

    # KB editor: a NUL pasted into the body
    token = csrf_token(admin.get("/admin/kb/library/en").get_data(as_text=True))
    page = admin.post("/admin/kb/library/en", data={"csrf_token": token, "title": "Library\x00",
                                                    "body": "Open\x00 today.", "source_url": "/library",
                                                    "department": "culture", "publish": "1"},
                      follow_redirects=True).get_data(as_text=True)
    assert "Published" in page

    # KB import: a CSV with a NUL (the exploratory test's finding) is refused, naming the line
    token = csrf_token(admin.get("/admin/kb/import").get_data(as_text=True))
    csv_text = "id,intent,lang,title,source_url,department,body\nlibrary:da,library,da,Bibliotek,/x,culture,Åben\x00\n"
    resp = admin.post("/admin/kb/import", data={"csrf_token": token, "file": (io.BytesIO(csv_text.encode()), "kb.csv")},
                      content_type="multipart/form-data")
    assert resp.status_code == 422
    assert "Line 2: the text holds an invisible control character (U+0000)." in resp.get_data(as_text=True)

    # console: a case from a resident, a note, a reply, a reassign reason and a search with NUL
    data = Resident(pg_app.test_client()).say("Jeg vil klage på vedtaket om hjemmetjenester").get_json()
    case_id = data["case"]["id"]
    for what, fields in [("notes", {"text": "Ring\x00 tilbake"}), ("reply", {"text": "Klagen\x00 er mottatt."}),
                         ("reassign", {"department": "culture", "reason": "Feil\x00 avdeling"})]:
        token = csrf_token(admin.get(f"/console/cases/{case_id}").get_data(as_text=True))
        resp = admin.post(f"/console/cases/{case_id}/{what}", data={"csrf_token": token, **fields})
        assert resp.status_code == 302, what
    assert admin.get("/console/?q=klage%00&status=all").status_code == 200
    token = csrf_token(admin.get("/admin/delete").get_data(as_text=True))
    resp = admin.post("/admin/delete", data={"csrf_token": token, "conversation": "ab\x00c"})
    assert resp.status_code == 400  # no such conversation (was a 500)
    _no_nul_stored(pg_app)
