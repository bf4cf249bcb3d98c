"""Console, login, error and public pages in nb, nn, sv, da, fi and en through the Flask-Babel catalogues
in web/translations (the .mo files are built, not committed: compiled here when missing or stale)."""

from __future__ import annotations

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


# lang, login button, password label, skip link (tells bokmål from nynorsk)
LOGIN_PAGE = [
    ("nb", "Logg inn", "Passord", "Gå til hovedinnhold"),
    ("nn", "Logg inn", "Passord", "Gå til hovudinnhald"),
    ("sv", "Logga in", "Lösenord", "Hoppa till innehållet"),
    ("da", "Log ind", "Adgangskode", "Gå til indhold"),
    ("fi", "Kirjaudu sisään", "Salasana", "Siirry sisältöön"),
    ("en", "Log in", "Password", "Skip to content"),
]


@pytest.mark.parametrize(("lang", "button", "password", "skip"), LOGIN_PAGE, ids=[row[0] for row in LOGIN_PAGE])
def test_login_page_in_each_language(client, lang, button, password, skip):
    resp = client.get(f"/auth/login?lang={lang}")
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert f'type="submit" value="{button}"' in page
    assert f">{password}</label>" in page
    assert skip in page
    if lang != "en":
        assert "Skip to content" not in page and ">Password</label>" not in page


@pytest.mark.parametrize(
    ("accept", "lang", "button"),
    [
        ("sv", "sv", "Logga in"),
        ("sv-SE,sv;q=0.9,en;q=0.5", "sv", "Logga in"),
        ("no", "nb", "Logg inn"),
        ("nb-NO,nb;q=0.9", "nb", "Logg inn"),
        ("nn-NO,nn;q=0.9,no;q=0.5", "nn", "Logg inn"),
        ("da-DK,da;q=0.9", "da", "Log ind"),
        ("fi-FI", "fi", "Kirjaudu sisään"),
        ("en-GB,en;q=0.8", "en", "Log in"),
        ("de-DE,de;q=0.9", "nb", "Logg inn"),  # not offered: the default, bokmål
    ],
    ids=["sv", "sv-SE", "no", "nb-NO", "nn-NO", "da-DK", "fi-FI", "en-GB", "de-falls-back"],
)
def test_accept_language_picks_the_catalogue(client, accept, lang, button):
    page = client.get("/auth/login", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert f'type="submit" value="{button}"' in page


def test_chosen_language_sticks_for_the_session(client):
    client.get("/auth/login?lang=fi")
    page = client.get("/auth/login", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert 'value="Kirjaudu sisään"' in page


def test_wrong_password_message_is_translated(client):
    client.get("/auth/login?lang=da")
    resp = login(client, ADMIN[0], "not-the-password")
    assert resp.status_code == 401
    assert "Forkert e-mail eller adgangskode." in resp.get_data(as_text=True)


@pytest.mark.parametrize(("lang", "title", "cases"), [
    ("sv", "Transparenslogg", "Ärenden"), ("nn", "Openheitslogg", "Saker"), ("fi", "Läpinäkyvyysloki", "Asiat"),
], ids=["sv", "nn", "fi"])
def test_console_and_admin_pages_are_translated(client, lang, title, cases):
    login(client, *ADMIN)
    queue = client.get(f"/console/?lang={lang}").get_data(as_text=True)
    assert f">{cases}</a>" in queue  # the menu
    assert "All my departments" not in queue
    admin = client.get("/admin/transparency").get_data(as_text=True)
    assert f"<h1>{title}</h1>" in admin


@pytest.mark.parametrize(("lang", "heading"), [
    ("nb", "Fant ikke siden"), ("nn", "Fann ikkje sida"), ("sv", "Sidan hittades inte"),
    ("da", "Siden blev ikke fundet"), ("fi", "Sivua ei löytynyt"), ("en", "Page not found"),
], ids=list(LANGS))
def test_error_page_is_translated(client, lang, heading):
    resp = client.get(f"/no-such-page?lang={lang}", headers={"Accept": "text/html"})
    assert resp.status_code == 404
    assert f"<h1>404 {heading}</h1>" in resp.get_data(as_text=True)


@pytest.mark.parametrize("lang", LANGS)
def test_accessibility_statement_shows_a_single_percent_sign(client, lang):
    page = client.get(f"/accessibility?lang={lang}").get_data(as_text=True)
    assert "WCAG 2.1" in page
    assert "200 % " in page and "%%" not in page


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


def test_forbidden_page_is_translated(client):
    login(client, *SCHOOL)  # a caseworker, not an admin
    resp = client.get("/admin/?lang=fi", headers={"Accept": "text/html"})
    assert resp.status_code == 403
    page = resp.get_data(as_text=True)
    assert "<h1>403 Ei käyttöoikeutta</h1>" in page
    assert "Sinulla ei ole käyttöoikeutta tälle sivulle." in page
