"""Security of the console and admin against the real app: login required everywhere, forged CSRF
tokens refused on every form, department isolation on every case route, 404 for unknown ids, login
rate limiting, secure cookies, the admin's one-time password reset link, and escaping of resident
and KB text everywhere in the console."""

from __future__ import annotations

import re

import pytest

from tests.conftest import csrf_token, login, make_app
from tests.web.test_console import ADMIN, HEALTH, SCHOOL, _open_case

CASE_POSTS = ["reply", "close", "reassign", "notes", "original"]


def _draft(app, case_id, text="Hei! Søknaden behandles innen to uker.", sources=None):
    """A draft row as the suggester stores it (the suggester itself is tested in tests/suggester)."""
    from web.extensions import db
    from web.models import Case, Draft

    with app.app_context():
        case = db.session.get(Case, case_id)
        draft = Draft(case_id=case.id, rank=len(case.drafts), text=text, score=0.81, lang="nb",
                      sources=sources or [{"source_id": "article:kindergarten_application:nb", "title": "Barnehage",
                                           "url": "https://www.fjordvik.example/barnehage"}])
        db.session.add(draft)
        db.session.commit()
        return draft.id


def _state(app, case_id):
    from web.extensions import db
    from web.models import AuditEvent, Case, Message

    with app.app_context():
        case = db.session.get(Case, case_id)
        return {"status": case.status, "department": case.department, "notes": len(case.notes),
                "drafts": [d.status for d in case.drafts],
                "caseworker_messages": db.session.query(Message).filter_by(sender="caseworker").count(),
                "audit": db.session.query(AuditEvent).count()}


def _valid_form(case_id, draft_id, token):
    return {
        f"/console/cases/{case_id}/reply": {"text": "Svar", "csrf_token": token},
        f"/console/cases/{case_id}/close": {"csrf_token": token},
        f"/console/cases/{case_id}/reassign": {"department": "health_care", "reason": "feil kø", "csrf_token": token},
        f"/console/cases/{case_id}/notes": {"text": "notat", "csrf_token": token},
        f"/console/cases/{case_id}/original": {"csrf_token": token},
        f"/console/cases/{case_id}/drafts/{draft_id}/reject": {"reason": "utdatert", "csrf_token": token},
    }


def test_every_console_and_admin_page_redirects_to_login(app, client, resident):
    _, case_id = _open_case(app, resident)
    draft_id = _draft(app, case_id)
    for url in ["/console/", "/console/?status=all&q=x", f"/console/cases/{case_id}", "/console/cases/999999",
                "/admin/", "/admin/transparency", "/admin/users"]:
        resp = client.get(url)
        assert resp.status_code == 302, url
        assert "/auth/login" in resp.headers["Location"], url
    token = csrf_token(client.get("/auth/login").get_data(as_text=True))  # a valid token of the anonymous session
    before = _state(app, case_id)
    forms = _valid_form(case_id, draft_id, token) | {"/admin/users/1/reset": {"csrf_token": token},
                                                     "/auth/logout": {"csrf_token": token}}
    for url, data in forms.items():
        resp = client.post(url, data=data)
        assert resp.status_code == 302 and "/auth/login" in resp.headers["Location"], url
    assert _state(app, case_id) == before


def test_anonymous_json_requests_get_401_not_a_redirect(app, client, resident):
    """A script or fetch() asking for JSON got a 302 to the HTML login form (which fetch() follows and then
    fails to parse); it now gets 401 with the JSON error. Browsers still go to the login page."""
    _, case_id = _open_case(app, resident)
    client.get("/auth/login?lang=nb")
    for url in ["/console/", f"/console/cases/{case_id}", "/admin/", "/admin/teach/retrain/status",
                "/admin/transparency/export.json"]:
        resp = client.get(url, headers={"Accept": "application/json"})
        assert resp.status_code == 401, url
        assert resp.get_json() == {"error": {"code": "unauthorized", "message": "Logg inn for å se denne siden."}}, url
        browser = client.get(url, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
        assert browser.status_code == 302 and "/auth/login" in browser.headers["Location"], url
    token = csrf_token(client.get("/auth/login").get_data(as_text=True))
    resp = client.post("/admin/teach/retrain", data={"csrf_token": token}, headers={"Accept": "application/json"})
    assert resp.status_code == 401 and resp.get_json()["error"]["code"] == "unauthorized"


def test_forged_or_missing_csrf_token_is_refused_on_every_form(app, client, resident):
    conv, case_id = _open_case(app, resident)
    draft_id = _draft(app, case_id)
    login(client, *ADMIN)
    page = client.get(f"/console/cases/{case_id}").get_data(as_text=True)
    good = csrf_token(page)
    forged = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")
    before = _state(app, case_id)
    forms = _valid_form(case_id, draft_id, forged) | {"/admin/users/1/reset": {"csrf_token": forged},
                                                      "/auth/logout": {"csrf_token": forged}}
    for url, data in forms.items():
        assert client.post(url, data=data).status_code == 400, url
        assert client.post(url, data={k: v for k, v in data.items() if k != "csrf_token"}).status_code == 400, url
    assert _state(app, case_id) == before
    assert client.get("/console/").status_code == 200, "the forged logout did not log out"
    assert "reset" not in client.get("/admin/users").get_data(as_text=True).split("<table")[0].lower()


def test_forged_csrf_on_login_and_reset_forms_is_refused(app, client):
    resp = client.post("/auth/login", data={"email": SCHOOL[0], "password": SCHOOL[1], "csrf_token": "forged"})
    assert resp.status_code in (400, 401)
    assert client.get("/console/").status_code == 302
    link = _reset_link(app, SCHOOL[0])
    with app.test_client() as other:
        resp = other.post(link, data={"password": "helt-nytt-passord", "confirm": "helt-nytt-passord",
                                      "csrf_token": "forged"})
        assert resp.status_code == 400
    assert login(app.test_client(), *SCHOOL).status_code == 302, "the old password still works"


def test_other_department_gets_403_on_every_case_route(app, client, resident):
    _, case_id = _open_case(app, resident)  # an education case
    draft_id = _draft(app, case_id)
    login(client, *HEALTH)
    token = csrf_token(client.get("/console/").get_data(as_text=True))
    before = _state(app, case_id)
    assert client.get(f"/console/cases/{case_id}").status_code == 403
    for url, data in _valid_form(case_id, draft_id, token).items():
        assert client.post(url, data=data).status_code == 403, url
    assert _state(app, case_id) == before
    assert f"#{case_id}" not in client.get("/console/?status=all").get_data(as_text=True)
    assert client.get("/admin/").status_code == 403
    assert client.get("/admin/users").status_code == 403


def test_unknown_ids_give_404(app, client, resident):
    _, case_id = _open_case(app, resident)
    _, other_case = _open_case(app, resident)
    foreign_draft = _draft(app, other_case)
    login(client, *ADMIN)
    token = csrf_token(client.get("/console/").get_data(as_text=True))
    assert client.get("/console/cases/999999").status_code == 404
    for url, data in _valid_form(999999, 1, token).items():
        assert client.post(url, data=data).status_code == 404, url
    # a draft id that does not exist, and one of another case
    for draft_id in (999999, foreign_draft):
        resp = client.post(f"/console/cases/{case_id}/drafts/{draft_id}/reject", data={"csrf_token": token})
        assert resp.status_code == 404
    assert client.post("/admin/users/999999/reset", data={"csrf_token": token}).status_code == 404
    assert client.get("/auth/reset/not-a-token").status_code == 404


def test_login_is_rate_limited_per_account_and_per_address(tmp_path):
    from web.extensions import limiter

    app = make_app(tmp_path, RATELIMIT_ENABLED=True, RATE_LIMIT_LOGIN="6 per minute",
                   RATE_LIMIT_LOGIN_ACCOUNT="3 per minute")
    try:
        limiter.reset()
        client = app.test_client()
        for _ in range(3):
            assert login(client, SCHOOL[0], "gjetning").status_code == 401
        resp = login(client, *SCHOOL)  # even the right password waits now
        assert resp.status_code == 429
        assert "Too many requests" in resp.get_data(as_text=True) or "For mange" in resp.get_data(as_text=True)
        assert client.get("/console/").status_code == 302
        assert login(client, *HEALTH).status_code == 302, "another account from the same address may still log in"
        client.post("/auth/logout", data={"csrf_token": csrf_token(client.get("/console/").get_data(as_text=True))})
        for _ in range(2):  # the address's budget of 6 attempts runs out, whatever the account
            login(client, f"x{_}@fjordvik.example", "gjetning")
        assert login(client, *ADMIN).status_code == 429
        assert client.get("/auth/login").status_code == 200, "the login page itself is not limited"
    finally:
        limiter.reset()
        limiter.enabled = False  # the limiter is process-wide; later tests' apps run without limits
        with app.app_context():
            from web.extensions import db

            db.engine.dispose()


def test_a_login_at_its_limit_keeps_the_form_and_says_when_to_try_again(tmp_path):
    """At the per-account limit (20 an hour) the login "just failed": a bare 429 page without the form and
    without a word about when to try again."""
    from web.extensions import limiter

    app = make_app(tmp_path, RATELIMIT_ENABLED=True, RATE_LIMIT_LOGIN="50 per minute",
                   RATE_LIMIT_LOGIN_ACCOUNT="3 per hour")
    try:
        limiter.reset()
        client = app.test_client()
        client.get("/auth/login?lang=en")  # the session keeps the language
        for _ in range(3):
            assert login(client, SCHOOL[0], "gjetning").status_code == 401
        resp = login(client, *SCHOOL)
        page = resp.get_data(as_text=True)
        assert resp.status_code == 429
        assert re.search(r"Too many login attempts\. Try again in (59|60|61) minutes\.", page), page
        assert 'id="login-refusal"' in page and f'value="{SCHOOL[0]}"' in page  # the form, with the address
        assert 3500 < int(resp.headers["Retry-After"]) <= 3601
        client.get("/auth/login?lang=fi")
        page = login(client, *SCHOOL).get_data(as_text=True)
        assert "Liian monta kirjautumisyritystä" in page and "minuutin kuluttua" in page
    finally:
        limiter.reset()
        limiter.enabled = False  # the limiter is process-wide; later tests' apps run without limits
        with app.app_context():
            from web.extensions import db

            db.engine.dispose()


def test_session_cookie_is_secure_httponly_samesite_in_production(tmp_path, monkeypatch):
    from flask_migrate import upgrade

    from web import create_app
    from web.demo import load_demo

    monkeypatch.setenv("TINGET_SECRET_KEY", "production-test-secret")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'app.db'}", "INSTANCE_PATH": str(tmp_path),
                      "RATELIMIT_ENABLED": False, "SUGGESTER_ENABLED": False, "RASA_TRACKER_URL": ""},
                     config_name="production")
    with app.app_context():
        upgrade()
        load_demo()
    resp = login(app.test_client(), *SCHOOL)
    assert resp.status_code == 302
    cookie = next(c for c in resp.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert app.config["REMEMBER_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_HTTPONLY"]
    with app.app_context():
        from web.extensions import db

        db.engine.dispose()


def _reset_link(app, email) -> str:
    """The admin makes a reset link in the users page; returns its path."""
    with app.test_client() as admin:
        login(admin, *ADMIN)
        page = admin.get("/admin/users").get_data(as_text=True)
        user_id = re.search(rf"{re.escape(email)}.*?/admin/users/(\d+)/reset", page, re.S).group(1)
        resp = admin.post(f"/admin/users/{user_id}/reset", data={"csrf_token": csrf_token(page)})
        assert resp.status_code == 200
        link = re.search(r'id="reset-link" value="([^"]+)"|value="([^"]+)"[^>]*id="reset-link"',
                         resp.get_data(as_text=True))
        url = link.group(1) or link.group(2)
        return url[url.index("/auth/reset/"):]


def test_admin_password_reset_link_works_once(app, client):
    elsewhere = app.test_client()
    login(elsewhere, *SCHOOL)
    assert elsewhere.get("/console/").status_code == 200
    link = _reset_link(app, SCHOOL[0])
    page = client.get(link)
    assert page.status_code == 200 and SCHOOL[0] in page.get_data(as_text=True)
    token = csrf_token(page.get_data(as_text=True))
    short = client.post(link, data={"password": "kort", "confirm": "kort", "csrf_token": token})
    assert short.status_code == 400
    mismatch = client.post(link, data={"password": "helt-nytt-passord", "confirm": "annet-passord-her",
                                       "csrf_token": token})
    assert mismatch.status_code == 400
    resp = client.post(link, data={"password": "helt-nytt-passord", "confirm": "helt-nytt-passord",
                                   "csrf_token": token})
    assert resp.status_code == 302 and "/auth/login" in resp.headers["Location"]
    assert login(client, *SCHOOL).status_code == 401, "the old password no longer works"
    assert login(client, SCHOOL[0], "helt-nytt-passord").status_code == 302
    assert elsewhere.get("/console/").status_code == 302, "the password change ended the user's other sessions"
    with app.test_client() as again:
        assert again.get(link).status_code == 404, "a used link is refused"
    with app.app_context():
        from sqlalchemy import select

        from web.extensions import db
        from web.models import AuditEvent

        actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
        assert actions[-2:] == ["password_reset_issued", "password_changed"]


def test_caseworker_cannot_issue_reset_links(app, client):
    login(client, *SCHOOL)
    token = csrf_token(client.get("/console/").get_data(as_text=True))
    assert client.post("/admin/users/1/reset", data={"csrf_token": token}).status_code == 403


SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)><b>fet</b>'


def _assert_escaped(html: str, where: str):
    assert "<script>alert" not in html, where
    assert "<img src=x" not in html and "onerror=alert(1)>" not in html, where
    assert "<b>fet</b>" not in html, where


def test_script_and_html_are_escaped_everywhere_in_the_console(app, client, resident):
    conv, case_id = _open_case(app, resident, text=SCRIPT + " kari.test@example.com")
    _draft(app, case_id, text="Hei! " + SCRIPT,
           sources=[{"source_id": "article:x:nb", "title": SCRIPT, "url": "javascript:alert(1)"}])
    login(client, *SCHOOL)
    queue = client.get("/console/?status=all").get_data(as_text=True)
    _assert_escaped(queue, "queue")
    assert "&lt;script&gt;" in queue
    assert _assert_escaped(client.get("/console/?q=" + "<script>").get_data(as_text=True), "search") is None
    page = client.get(f"/console/cases/{case_id}").get_data(as_text=True)
    _assert_escaped(page, "case view")
    assert 'href="javascript:' not in page, "a KB source URL is linked only when it is http(s)"
    token = csrf_token(page)
    client.post(f"/console/cases/{case_id}/notes", data={"text": SCRIPT, "csrf_token": token})
    shown = client.post(f"/console/cases/{case_id}/original", data={"csrf_token": token}).get_data(as_text=True)
    _assert_escaped(shown, "show original + note")
    assert "kari.test@example.com" in shown
    client.post(f"/console/cases/{case_id}/reply", data={"text": "Svar " + SCRIPT, "csrf_token": token})
    _assert_escaped(client.get(f"/console/cases/{case_id}").get_data(as_text=True), "caseworker reply")
    reply = conv.messages().get_json()["messages"][-1]
    assert reply["sender"] == "caseworker"
    _assert_escaped(reply["html"], "reply in the widget")
    client.post(f"/console/cases/{case_id}/reassign", data={"department": "health_care", "reason": SCRIPT,
                                                             "csrf_token": token})
    with app.test_client() as admin:
        login(admin, *ADMIN)
        _assert_escaped(admin.get(f"/console/cases/{case_id}").get_data(as_text=True), "reassign reason")
        _assert_escaped(admin.get("/admin/transparency").get_data(as_text=True), "transparency log")


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x"])
def test_login_never_redirects_off_site(client, next_url):
    page = client.get("/auth/login?next=" + next_url)
    resp = client.post("/auth/login?next=" + next_url, data={"email": SCHOOL[0], "password": SCHOOL[1],
                                                             "csrf_token": csrf_token(page.get_data(as_text=True))})
    assert resp.status_code == 302
    assert "evil.example" not in resp.headers["Location"]


def test_reset_link_asks_for_as_long_a_password_as_the_admin_pages(app, client):
    """The users page demands 12 characters ("At least 12 characters"), the reset link took 10: a user could
    choose a password the admin could not have set."""
    link = _reset_link(app, SCHOOL[0])
    page = client.get(link + "?lang=en").get_data(as_text=True)
    assert 'minlength="12"' in page
    ten = "abcdefghij"
    resp = client.post(link, data={"password": ten, "confirm": ten, "csrf_token": csrf_token(page)})
    assert resp.status_code == 400 and "at least 12 characters" in resp.get_data(as_text=True)
    with app.test_client() as admin:
        login(admin, *ADMIN)
        edit = admin.get("/admin/users/new?lang=en").get_data(as_text=True)
        assert 'minlength="12"' in edit and "At least 12 characters." in edit


@pytest.mark.parametrize(("password", "says"), [(" " * 12, "cannot be only spaces"),
                                                ("skole@fjordvik.example", "e-mail address or the name in it"),
                                                ("9876543210987", "a run of digits, letters or keys")])
def test_reset_link_refuses_a_guessable_password_as_the_users_page_does(app, client, password, says):
    """The reset link checked the length only: twelve spaces became the user's password."""
    link = _reset_link(app, SCHOOL[0])
    page = client.get(link + "?lang=en").get_data(as_text=True)
    resp = client.post(link, data={"password": password, "confirm": password, "csrf_token": csrf_token(page)})
    assert resp.status_code == 400 and says in resp.get_data(as_text=True)
    assert login(app.test_client(), *SCHOOL).status_code == 302  # the old password still works
