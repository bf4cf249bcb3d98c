"""Console, login, error and public pages in nb, nn, sv, da, fi and en through the Flask-Babel catalogues
in web/translations (the .mo files are built, not committed: compiled here when missing or stale)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import login

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "web" / "translations"
LANGS = ("nb", "nn", "sv", "da", "fi", "en")
PYBABEL = Path(sys.executable).with_name("pybabel")  # .venv/bin/pybabel when run with .venv/bin/pytest
ADMIN = ("admin@fjordvik.example", "demo-admin")
SCHOOL = ("skole@fjordvik.example", "demo-skole")


def _po(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


def _read(path: Path):
    with path.open("rb") as f:
        return read_po(f)


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues():
    """Compile the .po files with pybabel when a .mo is missing or older than its .po (fresh clone)."""
    stale = [lang for lang in LANGS
             if not _po(lang).with_suffix(".mo").exists()
             or _po(lang).with_suffix(".mo").stat().st_mtime < _po(lang).stat().st_mtime]
    if stale:
        subprocess.run([str(PYBABEL), "-q", "compile", "-d", str(TRANSLATIONS)], check=True, cwd=ROOT)
    assert all(_po(lang).with_suffix(".mo").exists() for lang in LANGS)


# lang, login button, password label, skip link (tells bokmål from nynorsk), 404 heading
PAGES = [
    ("nb", "Logg inn", "Passord", "Gå til hovedinnhold", "Fant ikke siden"),
    ("nn", "Logg inn", "Passord", "Gå til hovudinnhald", "Fann ikkje sida"),
    ("sv", "Logga in", "Lösenord", "Hoppa till innehållet", "Sidan hittades inte"),
    ("da", "Log ind", "Adgangskode", "Gå til indhold", "Siden blev ikke fundet"),
    ("fi", "Kirjaudu sisään", "Salasana", "Siirry sisältöön", "Sivua ei löytynyt"),
    ("en", "Log in", "Password", "Skip to content", "Page not found"),
]


@pytest.mark.parametrize(("lang", "button", "password", "skip", "not_found"), PAGES, ids=[row[0] for row in PAGES])
def test_pages_in_each_language(client, lang, button, password, skip, not_found):
    resp = client.get(f"/auth/login?lang={lang}")
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert f'type="submit" value="{button}"' in page
    assert f">{password}</label>" in page
    assert skip in page
    if lang != "en":
        assert "Skip to content" not in page and ">Password</label>" not in page

    # the choice is kept in the session: the next pages come in the same language
    statement = client.get("/accessibility").get_data(as_text=True)
    assert f'<html lang="{lang}">' in statement and "WCAG 2.1" in statement
    assert "200 % " in statement and "%%" not in statement  # the msgid's %% renders as one %

    missing = client.get("/no-such-page", headers={"Accept": "text/html"})
    assert missing.status_code == 404
    assert f"<h1>404 {not_found}</h1>" in missing.get_data(as_text=True)


ACCEPT_LANGUAGE = [
    ("sv", "sv", "Logga in"),
    ("sv-SE,sv;q=0.9,en;q=0.5", "sv", "Logga in"),
    ("no", "nb", "Logg inn"),
    ("nb-NO,nb;q=0.9", "nb", "Logg inn"),
    ("nn-NO,nn;q=0.9,no;q=0.5", "nn", "Logg inn"),
    ("da-DK,da;q=0.9", "da", "Log ind"),
    ("fi-FI", "fi", "Kirjaudu sisään"),
    ("en-GB,en;q=0.8", "en", "Log in"),
    ("de-DE,de;q=0.9", "nb", "Logg inn"),  # not offered: the default, bokmål
]


def test_accept_language_picks_the_catalogue(client):
    for accept, lang, button in ACCEPT_LANGUAGE:  # one client: the header alone sets nothing in the session
        page = client.get("/auth/login", headers={"Accept-Language": accept}).get_data(as_text=True)
        assert f'<html lang="{lang}">' in page, accept
        assert f'type="submit" value="{button}"' in page, accept


def test_chosen_language_wins_over_the_browser(client):
    client.get("/auth/login?lang=fi")
    page = client.get("/auth/login", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert 'value="Kirjaudu sisään"' in page


def test_wrong_password_message_is_translated(client):
    client.get("/auth/login?lang=da")
    resp = login(client, ADMIN[0], "not-the-password")
    assert resp.status_code == 401
    assert "Forkert e-mail eller adgangskode." in resp.get_data(as_text=True)


def test_console_and_admin_pages_are_translated(client):
    login(client, *ADMIN)
    for lang, cases, log in [("sv", "Ärenden", "Transparenslogg"), ("nn", "Saker", "Openheitslogg"),
                             ("fi", "Asiat", "Läpinäkyvyysloki")]:
        queue = client.get(f"/console/?lang={lang}").get_data(as_text=True)
        assert f">{cases}</a>" in queue, lang  # the menu
        assert "All my departments" not in queue, lang
        admin = client.get("/admin/transparency").get_data(as_text=True)
        assert f"<h1>{log}</h1>" in admin, lang


def test_forbidden_page_is_translated(client):
    login(client, *SCHOOL)  # a caseworker, not an admin
    resp = client.get("/admin/?lang=fi", headers={"Accept": "text/html"})
    assert resp.status_code == 403
    page = resp.get_data(as_text=True)
    assert "<h1>403 Ei käyttöoikeutta</h1>" in page
    assert "Sinulla ei ole käyttöoikeutta tälle sivulle." in page


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_is_complete(lang):
    """Every msgid of the template is translated, not fuzzy, with its placeholders and %% intact."""
    template = _read(TRANSLATIONS / "messages.pot")
    catalogue = _read(_po(lang))
    wanted = {(m.context, m.id) for m in template if m.id}
    have = {(m.context, m.id) for m in catalogue if m.id}
    assert wanted - have == set(), f"run pybabel update: {lang} lacks {wanted - have}"
    empty = [m.id for m in catalogue if m.id and not m.string]
    assert empty == [], f"{lang}: empty msgstr for {empty}"
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert fuzzy == [], f"{lang}: fuzzy entries {fuzzy}"
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalogue.check()]
    assert problems == [], f"{lang}: placeholder errors {problems}"
    if lang == "en":
        assert all(m.string == m.id for m in catalogue if m.id)


def test_template_matches_the_sources(tmp_path):
    """Every string wrapped in _() / _l() in web/ is in messages.pot (re-extract after adding text)."""
    fresh = tmp_path / "messages.pot"
    subprocess.run([str(PYBABEL), "-q", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext",
                    "-o", str(fresh), "."], check=True, cwd=ROOT)
    extracted = {(m.context, m.id) for m in _read(fresh) if m.id}
    committed = {(m.context, m.id) for m in _read(TRANSLATIONS / "messages.pot") if m.id}
    assert extracted - committed == set(), "new texts: re-run pybabel extract and update, then translate"
    assert committed - extracted == set(), "texts no longer in the sources: re-run pybabel extract and update"



# One word for "department" in each language (the queue's filter, the case page, the admin's users and
# departments page, analytics), and the words a translation must not mix in.
DEPARTMENT_WORD = {"nb": ("avdeling", ("etat",)), "nn": ("avdeling", ("etat",)),
                   "sv": ("avdelning", ("förvaltning",)), "da": ("afdeling", ("forvaltning",)),
                   "fi": ("osasto", ("yksikkö", "toimiala"))}


@pytest.mark.parametrize("lang", sorted(DEPARTMENT_WORD))
def test_department_has_one_word_in_each_language(lang):
    """The Swedish UI said "avdelning" on the case page and in the queue but "förvaltning" on the admin's
    users and departments page (the Finnish one "yksikkö" beside "osasto"): one word in each language."""
    word, others = DEPARTMENT_WORD[lang]
    mixed, missing = [], []
    for m in _read(_po(lang)):
        if not m.id or not isinstance(m.id, str):
            continue
        prose = re.sub(r"%\(\w+\)s|\{[^}]*\}|\(columns [^)]*\)", "", m.id)  # placeholders, column names
        if any(o in m.string.lower() for o in others):
            mixed.append(m.string)
        if re.search(r"\bdepartments?\b", prose, re.I) and word not in m.string.lower():
            missing.append((m.id, m.string))
    assert mixed == [] and missing == []


@pytest.mark.parametrize(("lang", "word"), [("sv", "avdelning"), ("fi", "osasto")])
def test_the_admin_and_the_caseworker_read_the_same_word_for_department(client, lang, word):
    login(client, *ADMIN)
    users = client.get(f"/admin/users?lang={lang}").get_data(as_text=True)
    queue = client.get(f"/console/?lang={lang}").get_data(as_text=True)
    heading = re.search(r"<h1>(.*?)</h1>", users).group(1)
    assert word in heading.lower(), heading  # "Användare och avdelningar", "Käyttäjät ja osastot"
    assert word.capitalize() in queue  # the queue's department filter


UNAVAILABLE = {"nb": "Tjenesten er midlertidig utilgjengelig", "nn": "Tenesta er mellombels utilgjengeleg",
               "sv": "Tjänsten är tillfälligt otillgänglig", "da": "Tjenesten er midlertidigt utilgængelig",
               "fi": "Palvelu on tilapäisesti poissa käytöstä", "en": "Service temporarily unavailable"}


def test_database_unavailable_page_is_a_503_of_its_own(app, client):
    """The page for an unreachable database was headed "500 Something went wrong" and titled "500" while the
    answer was a 503 asking to retry: it now says the service is temporarily unavailable, in each language."""
    from web.extensions import db

    for lang in LANGS:  # the choice is kept in the session cookie: no database needed
        client.get(f"/auth/login?lang={lang}")
    path = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    with app.app_context():
        db.engine.dispose()
    path.rename(path.with_name("away.db"))
    path.mkdir()  # a directory where the database file was: SQLite cannot open it
    try:
        pages = {}
        for lang in LANGS:
            resp = client.get(f"/?lang={lang}", headers={"Accept": "text/html"})
            assert resp.status_code == 503 and int(resp.headers["Retry-After"]) > 0, lang
            pages[lang] = resp.get_data(as_text=True)
        api = client.get("/", headers={"Accept": "application/json"})
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        path.rmdir()
        path.with_name("away.db").rename(path)
    for lang, page in pages.items():
        assert f"<h1>503 {UNAVAILABLE[lang]}</h1>" in page, lang
        assert "<title>503 – Tinget</title>" in page, lang
        assert "500" not in page, lang
    assert "Prøv igjen om et minutt." in pages["nb"] and "Noe gikk galt" not in pages["nb"]
    assert "Please try again in a minute." in pages["en"]
    assert api.status_code == 503 and api.get_json()["error"]["code"] == "storage_unavailable"  # shape unchanged


FORBIDDEN = {"nb": "Du har ikke tilgang til denne siden.", "nn": "Du har ikkje tilgang til denne sida.",
             "sv": "Du har inte behörighet till den här sidan.", "da": "Du har ikke adgang til denne side.",
             "fi": "Sinulla ei ole käyttöoikeutta tälle sivulle.", "en": "You do not have access to this page."}


@pytest.mark.parametrize("lang", LANGS)
def test_json_errors_are_translated_like_the_pages(client, lang):
    """A 403 as JSON carried Werkzeug's English description ("You don't have the permission to access the
    requested resource..."); it now says what the HTML page says, in the same shape {error: {code, message}}."""
    login(client, *SCHOOL)  # a caseworker, not an admin
    resp = client.get(f"/admin/?lang={lang}", headers={"Accept": "application/json"})
    assert resp.status_code == 403
    assert resp.get_json() == {"error": {"code": "forbidden", "message": FORBIDDEN[lang]}}
    html = client.get("/admin/", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert FORBIDDEN[lang] in html
    # the resident API's HTTP errors (here a GET where only POST is allowed) in the chosen language too
    resp = client.get("/api/v1/conversations")
    assert resp.status_code == 405 and resp.get_json()["error"]["code"] == "method_not_allowed"
    assert resp.get_json()["error"]["message"] != "The method is not allowed for the requested URL."
    if lang == "en":
        assert resp.get_json()["error"]["message"] == "This address cannot be used this way."
