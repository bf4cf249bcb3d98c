"""User and department management: an admin of one municipality, through the real pages and forms."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token, login
from tests.web.test_i18n import compiled_catalogues  # noqa: F401  (autouse: builds stale .mo files)
from tinget.models import Department, Municipality
from web.extensions import db
from web.models import AuditEvent, User
from web.services.users import upsert_user

ADMIN = ("admin@fjordvik.example", "demo-admin")
CASEWORKER = ("skole@fjordvik.example", "demo-skole")


@pytest.fixture
def admin(client):
    login(client, *ADMIN)
    client.get("/admin/?lang=en")  # flash messages in English from here on (the session keeps the choice)
    return client


@pytest.fixture
def other_tenant(app):
    """A second municipality with its own department and caseworker."""
    with app.app_context():
        m = Municipality(slug="elvdal", name="Elvdal kommune")
        m.departments = [Department(key="service_desk", names={"nb": "Servicetorget Elvdal"})]
        db.session.add(m)
        db.session.flush()
        user = upsert_user(m, "ola@elvdal.example", "Ola Elvdal", "caseworker", "elvdal-password", ["service_desk"])
        db.session.commit()
        return {"user_id": user.id, "department_id": m.departments[0].id}


def _user(app, email):
    with app.app_context():
        return db.session.scalar(select(User).where(User.email == email))


def _post(client, page_url, url, data):
    token = csrf_token(client.get(page_url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


def test_create_edit_deactivate_and_reset(app, admin, client):
    resp = _post(admin, "/admin/users/new", "/admin/users/new", {
        "name": "Nina Ny", "email": "nina@fjordvik.example", "role": "caseworker", "departments": ["education"],
        "lang": "nn", "password": "a-long-enough-password"})
    assert resp.status_code == 302
    nina = _user(app, "nina@fjordvik.example")
    assert nina.role == "caseworker" and nina.lang == "nn"
    page = admin.get("/admin/users?lang=en").get_data(as_text=True)
    assert "Nina Ny" in page and "Active" in page

    # edit: make her admin of nothing in particular, change language
    resp = _post(admin, f"/admin/users/{nina.id}", f"/admin/users/{nina.id}", {
        "name": "Nina Ny", "email": "nina@fjordvik.example", "role": "admin", "departments": [], "lang": "en"})
    assert resp.status_code == 302
    with app.app_context():
        nina = db.session.get(User, nina.id)
        assert nina.role == "admin" and nina.lang == "en" and nina.departments == []

    # password reset: she logs in with the new one only
    _post(admin, f"/admin/users/{nina.id}", f"/admin/users/{nina.id}/password", {"password": "another-long-password"})
    other = app.test_client()
    assert login(other, "nina@fjordvik.example", "a-long-enough-password").status_code == 401  # refused
    assert login(other, "nina@fjordvik.example", "another-long-password").status_code == 302

    # deactivate: she can no longer log in
    _post(admin, "/admin/users", f"/admin/users/{nina.id}/active", {})
    assert not _user(app, "nina@fjordvik.example").active
    assert login(app.test_client(), "nina@fjordvik.example", "another-long-password").status_code == 401
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert {"user_create", "user_update", "password_reset", "user_deactivate"} <= set(actions)


def test_bad_input_says_what_is_wrong_and_keeps_nothing(app, admin):
    page = _post(admin, "/admin/users/new", "/admin/users/new?lang=en", {
        "name": "Kort", "email": "kort@fjordvik.example", "role": "caseworker", "lang": "nb", "password": "short"})
    assert page.status_code == 400
    assert "The password must have at least 12 characters." in page.get_data(as_text=True)
    page = _post(admin, "/admin/users/new", "/admin/users/new?lang=en", {
        "name": "Dup", "email": "SKOLE@fjordvik.example", "role": "caseworker", "lang": "nb",
        "password": "a-long-enough-password"})
    assert "Another user already has this e-mail address." in page.get_data(as_text=True)
    assert _user(app, "kort@fjordvik.example") is None


@pytest.mark.parametrize(("password", "says"), [
    (" " * 12, "The password cannot be only spaces."),  # twelve spaces passed the length rule
    ("aaaaaaaaaaaa", "cannot be one character or piece repeated"),
    ("abcabcabcabc", "cannot be one character or piece repeated"),
    ("aabbaabbccaa", "at least 5 different characters"),
    ("123456789012", "cannot be a run of digits, letters or keys"),
    ("QWERTYUIOPÅA", "cannot be a run of digits, letters or keys"),
    ("Nina-2024-06-01", "e-mail address or the name in it"),
    ("nina@fjordvik.example", "e-mail address or the name in it"),
])
def test_a_guessable_password_is_refused_with_the_reason_on_both_admin_forms(app, admin, password, says):
    """Length was the only rule: twelve spaces or twelve a's made an account. The users page (new user and
    the admin's password reset) names what is wrong and keeps nothing."""
    page = _post(admin, "/admin/users/new", "/admin/users/new?lang=en", {
        "name": "Nina Ny", "email": "nina@fjordvik.example", "role": "caseworker", "lang": "nb",
        "password": password})
    assert page.status_code == 400 and says in page.get_data(as_text=True)
    assert _user(app, "nina@fjordvik.example") is None
    school = _user(app, CASEWORKER[0])
    page = _post(admin, f"/admin/users/{school.id}", f"/admin/users/{school.id}/password",
                 {"password": password.replace("nina", "skole").replace("Nina", "Skole")})
    assert says in admin.get(f"/admin/users/{school.id}?lang=en").get_data(as_text=True) + page.get_data(as_text=True)
    assert login(app.test_client(), *CASEWORKER).status_code == 302  # her password is unchanged


def test_a_passphrase_with_spaces_and_the_name_inside_is_accepted(app, admin):
    resp = _post(admin, "/admin/users/new", "/admin/users/new", {
        "name": "Nina Ny", "email": "nina@fjordvik.example", "role": "caseworker", "lang": "nb",
        "password": "nina likes long walks"})
    assert resp.status_code == 302
    assert login(app.test_client(), "nina@fjordvik.example", "nina likes long walks").status_code == 302


def test_admin_cannot_deactivate_or_demote_themselves(app, admin):
    me = _user(app, ADMIN[0])
    resp = _post(admin, "/admin/users", f"/admin/users/{me.id}/active", {})
    assert resp.status_code == 302
    assert "You cannot deactivate your own account." in admin.get("/admin/users?lang=en").get_data(as_text=True)
    page = _post(admin, f"/admin/users/{me.id}", f"/admin/users/{me.id}?lang=en", {
        "name": me.name, "email": me.email, "role": "caseworker", "lang": "nb"}).get_data(as_text=True)
    assert "You cannot remove the admin role from your own account." in page
    me = _user(app, ADMIN[0])
    assert me.active and me.role == "admin"


def test_departments_create_and_rename(app, admin):
    _post(admin, "/admin/users", "/admin/departments", {"key": "harbour", "name": "Hamnekontoret", "lang": "nn"})
    with app.app_context():
        dep = db.session.scalar(select(Department).where(Department.key == "harbour"))
        assert dep.names == {"nn": "Hamnekontoret"}
    _post(admin, "/admin/users", f"/admin/departments/{dep.id}", {"name": "Harbour office", "lang": "en"})
    with app.app_context():
        assert db.session.get(Department, dep.id).names == {"nn": "Hamnekontoret", "en": "Harbour office"}
    for bad in ("Bad key!", "x"):  # one letter is too short: the message says how long a key must be
        resp = _post(admin, "/admin/users", "/admin/departments", {"key": bad, "name": "x", "lang": "nb"})
        assert resp.status_code == 400
        assert "The key must be 2–64 characters long, start with a letter" in resp.get_data(as_text=True)


def _input(page: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', page.split("New department")[-1]).group(0)


def test_a_refused_new_department_keeps_what_was_typed(app, admin):
    """A key that is taken (the browser cannot know) sent the admin back to the users page with the key and
    the name gone; the page comes again with both as typed, the key marked, and nothing created."""
    resp = _post(admin, "/admin/users", "/admin/departments",
                 {"key": "education", "name": "Oppvekst og kultur, nytt kontor", "lang": "nn"})
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    assert "A department with this key exists already." in page
    key, name = _input(page, "key"), _input(page, "name")
    assert 'value="education"' in key and 'aria-invalid="true"' in key
    assert 'value="Oppvekst og kultur, nytt kontor"' in name and "aria-invalid" not in name
    assert re.search(r'<option selected value="nn">|<option value="nn" selected>', page.split("New department")[-1])
    with app.app_context():
        assert db.session.scalar(select(Department).where(Department.key == "education")).names.get("nn") != \
            "Oppvekst og kultur, nytt kontor"


def test_control_characters_in_names_are_dropped_and_an_address_with_one_is_refused(app, admin, client):
    """A NUL in a user's name was accepted (SQLite stored it; Postgres refuses it: a 500). Names are
    cleaned, invisible as the characters are; an e-mail address is refused, since cleaned it may be a
    colleague's; the login page asks for no user with such an address (on Postgres it was a 500)."""
    resp = _post(admin, "/admin/users/new", "/admin/users/new", {
        "name": "Nina\x00 Ny\x0bHansen", "email": "nina@fjordvik.example", "role": "caseworker", "lang": "nb",
        "password": "a-long-enough-password"})
    assert resp.status_code == 302
    nina = _user(app, "nina@fjordvik.example")
    assert nina.name == "Nina Ny Hansen"
    page = _post(admin, f"/admin/users/{nina.id}", f"/admin/users/{nina.id}?lang=en", {
        "name": "Nina", "email": "ni\x00na@fjordvik.example", "role": "caseworker", "lang": "nb"})
    assert page.status_code == 400 and "Enter a valid e-mail address." in page.get_data(as_text=True)
    assert _user(app, "nina@fjordvik.example").name == "Nina Ny Hansen"  # nothing changed
    _post(admin, f"/admin/users/{nina.id}", f"/admin/users/{nina.id}", {
        "name": "Nina\x07 Ny", "email": "nina@fjordvik.example", "role": "caseworker", "lang": "nb"})
    assert _user(app, "nina@fjordvik.example").name == "Nina Ny"

    _post(admin, "/admin/users", "/admin/departments", {"key": "harbour", "name": "Hamne\x00kontoret", "lang": "nn"})
    with app.app_context():
        dep = db.session.scalar(select(Department).where(Department.key == "harbour"))
        assert dep.names == {"nn": "Hamnekontoret"}
    _post(admin, "/admin/users", f"/admin/departments/{dep.id}", {"name": "Harbour\x1b office", "lang": "en"})
    with app.app_context():
        assert db.session.get(Department, dep.id).names == {"nn": "Hamnekontoret", "en": "Harbour office"}

    visitor = app.test_client()
    assert login(visitor, "nina\x00@fjordvik.example", "a-long-enough-password").status_code == 401


def test_other_municipality_is_invisible(app, admin, other_tenant):
    page = admin.get("/admin/users").get_data(as_text=True)
    assert "Ola Elvdal" not in page and "Servicetorget Elvdal" not in page
    assert admin.get(f"/admin/users/{other_tenant['user_id']}").status_code == 404
    token = csrf_token(admin.get("/admin/users").get_data(as_text=True))
    assert admin.post(f"/admin/users/{other_tenant['user_id']}/active", data={"csrf_token": token}).status_code == 404
    assert admin.post(f"/admin/departments/{other_tenant['department_id']}",
                      data={"csrf_token": token, "name": "Hacked", "lang": "nb"}).status_code == 404
    assert _user(app, "ola@elvdal.example").active
    with app.app_context():
        assert db.session.get(Department, other_tenant["department_id"]).names == {"nb": "Servicetorget Elvdal"}


UNAVAILABLE = {
    "en": "This e-mail address cannot be used here.",
    "nb": "Denne e-postadressen kan ikke brukes her.",
    "nn": "Denne e-postadressa kan ikkje brukast her.",
    "sv": "Den här e-postadressen kan inte användas här.",
    "da": "Denne e-mailadresse kan ikke bruges her.",
    "fi": "Tätä sähköpostiosoitetta ei voi käyttää täällä.",
}


def _says_nothing_of_ola(html: str) -> None:
    assert "Ola Elvdal" not in html and "Elvdal kommune" not in html and "Servicetorget Elvdal" not in html
    assert "Another user already has" not in html  # that a user has it is what the refusal must not say


@pytest.mark.parametrize("lang", sorted(UNAVAILABLE))
def test_an_address_of_another_municipality_is_refused_without_saying_so(app, client, other_tenant, lang):
    """E-mails are the login, unique on the installation. On a shared one, an admin typing an address a user
    of another municipality has was told "Another user already has this e-mail address.": that person's account
    there, told to a stranger. Now the refusal names no user and no municipality, the form keeps what the admin
    typed (the password is never sent back: the admin is asked to enter it again), and the field is marked."""
    login(client, *ADMIN)
    client.get(f"/admin/?lang={lang}")
    page = _post(client, "/admin/users/new", "/admin/users/new", {
        "name": "Ola Nordmann", "email": "OLA@elvdal.example ", "role": "caseworker", "departments": ["education"],
        "lang": "sv", "password": "a-long-enough-password"})
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and UNAVAILABLE[lang] in html
    _says_nothing_of_ola(html)
    assert 'value="Ola Nordmann"' in html and 'value="OLA@elvdal.example' in html
    assert re.search(r'<input[^>]*checked[^>]*value="education"|<input[^>]*value="education"[^>]*checked', html)
    assert re.search(r'<option selected value="sv">|<option value="sv" selected>', html)
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*name="email"', html)
    assert "a-long-enough-password" not in html
    if lang == "en":
        assert "Enter the password again." in html
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id)).where(func.lower(User.email) == "ola@elvdal.example")) == 1
        ola = db.session.get(User, other_tenant["user_id"])
        assert (ola.name, ola.municipality.slug) == ("Ola Elvdal", "elvdal")


def test_changing_an_address_to_another_municipalitys_is_refused_alike(app, admin, other_tenant):
    skole = _user(app, "skole@fjordvik.example")
    page = _post(admin, f"/admin/users/{skole.id}", f"/admin/users/{skole.id}", {
        "name": "Skole", "email": "ola@elvdal.example", "role": "caseworker", "departments": ["education"],
        "lang": "nb"})
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and UNAVAILABLE["en"] in html and "Enter the password again." not in html
    _says_nothing_of_ola(html)
    assert _user(app, "skole@fjordvik.example").id == skole.id  # unchanged
    # a colleague of the own municipality (whom the admin sees on the users page) is still said to have it
    page = _post(admin, f"/admin/users/{skole.id}", f"/admin/users/{skole.id}", {
        "name": "Skole", "email": "Helse@fjordvik.example", "role": "caseworker", "departments": ["education"],
        "lang": "nb"})
    assert page.status_code == 400 and "Another user already has this e-mail address." in page.get_data(as_text=True)


def test_caseworker_gets_403_and_forms_need_csrf(app, client):
    login(client, *CASEWORKER)
    for url in ("/admin/users", "/admin/users/new", "/admin/users/1"):
        assert client.get(url).status_code == 403
    assert client.post("/admin/departments", data={"key": "x1", "name": "x", "lang": "nb"}).status_code in (400, 403)
    admin = app.test_client()
    login(admin, *ADMIN)
    resp = admin.post("/admin/users/new", data={"name": "No Token", "email": "nt@fjordvik.example",
                                                "role": "admin", "lang": "nb", "password": "a-long-enough-password"})
    assert resp.status_code == 400 and _user(app, "nt@fjordvik.example") is None
    assert re.search(r"<h1>", resp.get_data(as_text=True))


# heading of analytics, users and teach pages, and a flash message, per language
PAGES = [
    ("nb", "Statistikk", "Brukere og avdelinger", "Lær opp boten"),
    ("nn", "Statistikk", "Brukarar og avdelingar", "Lær opp boten"),
    ("sv", "Statistik", "Användare och avdelningar", "Lär upp boten"),
    ("da", "Statistik", "Brugere og afdelinger", "Lær botten op"),
    ("fi", "Tilastot", "Käyttäjät ja osastot", "Opeta bottia"),
    ("en", "Analytics", "Users and departments", "Teach the bot"),
]


@pytest.mark.parametrize(("lang", "analytics", "users", "teach"), PAGES, ids=[p[0] for p in PAGES])
def test_admin_pages_in_each_language(admin, lang, analytics, users, teach):
    assert f"<h1>{analytics}</h1>" in admin.get(f"/admin/analytics?lang={lang}").get_data(as_text=True)
    assert f"<h1>{users}</h1>" in admin.get(f"/admin/users?lang={lang}").get_data(as_text=True)
    assert f"<h1>{teach}</h1>" in admin.get(f"/admin/teach?lang={lang}").get_data(as_text=True)


@pytest.mark.parametrize(("lang", "name"), [("sv", "Hälsa och omsorg"), ("fi", "Terveys ja hoiva"),
                                            ("nb", "Helse og omsorg")])
def test_departments_are_named_in_the_language_the_page_is_shown_in(admin, lang, name):
    """The admin's own language is nb; a page shown in Swedish names departments in Swedish, as the case
    queue does."""
    users = admin.get(f"/admin/users?lang={lang}").get_data(as_text=True)
    assert f"<td>{name}</td>" in users  # Helga Helse's department
    edit = admin.get("/admin/users/new").get_data(as_text=True)
    assert f">{name}</" in edit  # the departments to tick for a new user


def test_a_user_made_by_the_command_line_gets_its_name_cleaned_like_the_users_page(app):
    """`tinget demo load` (upsert_user) stored a name with control characters and line breaks as given; the
    users page lists names on one line without them."""
    with app.app_context():
        m = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
        user = upsert_user(m, "ola@fjordvik.example", "  Ola\x00 \n  Nord\x1bmann\t", "caseworker",
                           "a-long-enough-password", [])
        db.session.commit()
        assert user.name == "Ola Nordmann"
        upsert_user(m, "ola@fjordvik.example", "Ola\r\nN.\x7f Nordmann", "caseworker", "ignored", [])  # an update
        db.session.commit()
    assert _user(app, "ola@fjordvik.example").name == "Ola N. Nordmann"


def test_a_user_made_by_the_command_line_follows_the_password_rule(app):
    """upsert_user set any password; the demo's published logins are the one stated exception."""
    from web.services.users import PasswordRefused

    with app.app_context():
        m = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
        for password, code in ((" " * 12, "blank"), ("short", "short"), ("ola@fjordvik.example", "email")):
            with pytest.raises(PasswordRefused) as refused:
                upsert_user(m, "ola@fjordvik.example", "Ola", "caseworker", password, [])
            assert refused.value.code == code
            db.session.rollback()
        upsert_user(m, "demo@fjordvik.example", "Demo", "caseworker", "demo-ola", [], published_password=True)
        db.session.commit()
    assert _user(app, "ola@fjordvik.example") is None and _user(app, "demo@fjordvik.example") is not None


def test_deactivating_a_caseworker_puts_their_open_cases_back_in_the_queue(app, client, resident):
    """A caseworker leaves and the admin deactivates the account: the cases they had opened stayed "assigned"
    to someone who can no longer log in, looking taken to the colleagues, and a closed case of theirs that a
    returned e-mail reopened went back to them. Now their open cases are new in the department's queue again
    (a note on each says why), the admin is told how many, and a case is never reopened to them."""
    from tests.web.test_console import _open_case
    from web.models import Case, CaseNote
    from web.services.cases import back_in_queue

    _, first = _open_case(app, resident)
    _, second = _open_case(app, resident, text="Når starter skolen etter ferien?")
    _, third = _open_case(app, resident, text="Kan jeg bytte skole?")
    worker = app.test_client()
    login(worker, *CASEWORKER)
    for case_id in (first, second, third):
        assert worker.get(f"/console/cases/{case_id}").status_code == 200
    skole = _user(app, CASEWORKER[0])
    with app.app_context():
        assert {c.assignee_id for c in db.session.scalars(select(Case).where(Case.id.in_((first, second, third))))} \
            == {skole.id}
        answered = db.session.get(Case, second)
        answered.status = "answered"
        db.session.get(Case, third).status = "closed"
        db.session.commit()

    login(client, *ADMIN)
    client.get("/admin/?lang=en")
    # the button in the users table asks first, saying what happens to the cases; nothing changes yet
    ask = _post(client, "/admin/users", f"/admin/users/{skole.id}/active", {})
    html = ask.get_data(as_text=True)
    assert ask.status_code == 200 and f"<h1>Deactivate {skole.name}?</h1>" in html
    assert ("can no longer log in, and 2 open cases assigned to them go back to their departments' queues."
            in html.replace("&#39;", "'"))
    assert 'href="/admin/users">Cancel, change nothing</a>' in html
    assert _user(app, CASEWORKER[0]).active
    confirm = dict(re.findall(r'<input[^>]*name="(csrf_token|confirm)"[^>]*value="([^"]*)"', html))
    resp = client.post(f"/admin/users/{skole.id}/active", data=confirm)
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "is deactivated and can no longer log in." in page
    assert "2 open cases assigned to them are back in their departments&#39; queues." in page
    with app.app_context():
        rows = {c.id: c for c in db.session.scalars(select(Case).where(Case.id.in_((first, second, third))))}
        assert (rows[first].status, rows[first].assignee_id) == ("new", None)
        assert (rows[second].status, rows[second].assignee_id) == ("answered", None)
        assert (rows[third].status, rows[third].assignee_id) == ("closed", skole.id)  # history kept
        notes = db.session.scalars(select(CaseNote).where(CaseNote.case_id.in_((first, second)))).all()
        assert sum("account was deactivated" in n.text for n in notes) == 2
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user_deactivate")).all()
        assert events[-1].details == {"cases_released": 2}
        back_in_queue(rows[third])  # e.g. the resident's mail server returned the reply's e-mail
        db.session.commit()
        assert (rows[third].status, rows[third].assignee_id) == ("new", None)
    # the note in the reader's language
    page = client.get(f"/console/cases/{first}?lang=nb").get_data(as_text=True)
    assert "Tilbake i avdelingens kø: saksbehandlerens konto ble deaktivert." in page

    # reactivated: nothing to release, nothing said about cases
    resp = _post(client, "/admin/users?lang=en", f"/admin/users/{skole.id}/active", {})
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "can log in again" in page and "back in" not in page


def test_a_command_line_user_update_never_changes_another_municipalitys_user(app, other_tenant):
    """On a region install `upsert_user` (tinget demo load, operator commands) looked the e-mail up across
    municipalities: another municipality's caseworker got this municipality's departments (and so its cases),
    name and role. Now it is refused with a clear error and the other user is left as it was, whatever the
    case of the address."""
    from web.services.users import UserOfOtherMunicipality

    with app.app_context():
        fjordvik = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
        for email in ("ola@elvdal.example", "OLA@Elvdal.example"):
            with pytest.raises(UserOfOtherMunicipality) as refused:
                upsert_user(fjordvik, email, "Ola Fjordvik", "admin", "a-long-enough-password", "all")
            assert "another municipality" in str(refused.value) and "Elvdal kommune" not in str(refused.value)
            db.session.rollback()
        ola = db.session.get(User, other_tenant["user_id"])
        assert (ola.name, ola.role, [d.id for d in ola.departments]) == \
            ("Ola Elvdal", "caseworker", [other_tenant["department_id"]])
        assert ola.municipality.slug == "elvdal"
        assert db.session.scalar(select(func.count()).select_from(User).where(
            func.lower(User.email) == "ola@elvdal.example")) == 1


def test_demo_load_refuses_a_login_that_is_another_municipalitys_user(app):
    """`tinget demo load` on a region install where a demo login is another municipality's user: exit 1 with
    the reason, and that user keeps its own municipality's departments (before: Fjordvik's education)."""
    from web.cli import cli

    with app.app_context():
        elvdal = Municipality(slug="elvdal", name="Elvdal kommune")
        elvdal.departments = [Department(key="service_desk", names={"nb": "Servicetorget Elvdal"})]
        db.session.add(elvdal)
        skole = db.session.scalar(select(User).where(User.email == CASEWORKER[0]))
        skole.municipality, skole.departments = elvdal, list(elvdal.departments)
        db.session.commit()
    result = app.test_cli_runner().invoke(cli, ["demo", "load"])
    assert result.exit_code == 1, result.output
    assert f"{CASEWORKER[0]} is the login of a user of another municipality" in result.output
    assert "Traceback" not in result.output
    user = _user(app, CASEWORKER[0])
    with app.app_context():
        user = db.session.get(User, user.id)
        assert user.municipality.slug == "elvdal" and [d.key for d in user.departments] == ["service_desk"]
