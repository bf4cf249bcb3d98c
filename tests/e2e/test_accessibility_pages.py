"""WCAG 2.1 AA of the caseworker console, the admin area, the login and the error pages in a real browser
(Debian's headless Chromium), in two languages: axe-core (A/AA rules) on every page, reflow at 320 CSS px
and at 200 % zoom (1.4.10: no sideways scrolling of the page; a wide table scrolls in its own box) and
keyboard-only use (2.1.1, 2.4.1, 2.4.3, 2.4.7: a skip link first, every control reached by Tab in the
page's order and shown focused, no trap). The widget and the demo page have their own tests
(test_widget*.py); the case page's keyboard shortcuts have test_console_flow.py.

One app, one live server and one browser for the whole module: each test walks many pages."""

from __future__ import annotations

from pprint import pformat

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.conftest import Resident, dispose, make_app
from tests.e2e.conftest import LiveServer, browser_session, log_in
from tests.web.test_console_draft_display import DRAFT, _with_drafts

pytestmark = pytest.mark.browser

ADMIN = ("admin@fjordvik.example", "demo-admin")
CASEWORKER = ("skole@fjordvik.example", "demo-skole")
LANGS = ("nb", "en")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The demo municipality with a case at the service desk that has two drafts, served on loopback."""
    from sqlalchemy import select

    from web.extensions import db
    from web.models import Case, User

    app = make_app(tmp_path_factory.mktemp("a11y"))
    client = app.test_client()
    assert Resident(client).say("Jeg har et spørsmål om fakturaen min for kommunale avgifter").status_code == 201
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).order_by(Case.id.desc()))
        user_id = db.session.scalar(select(User.id).where(User.email == CASEWORKER[0]))
    _with_drafts(app, case_id, {"text": DRAFT, "score": 0.8, "sources": []},
                 {"text": "Hei!\n\nSe **nettsiden**.", "score": 0.7, "sources": []})
    with LiveServer(app) as server:
        yield server.url, case_id, user_id
    dispose(app)


@pytest.fixture(scope="module")
def driver():
    with browser_session() as d:
        yield d


def admin_pages(case_id: int, user_id: int) -> list[str]:
    return [
        "/console/", f"/console/cases/{case_id}", "/console/mail/set-aside",
        "/admin/", "/admin/kb/", "/admin/kb/kindergarten_apply/nb", "/admin/kb/import",
        "/admin/users", "/admin/users/new", f"/admin/users/{user_id}",
        "/admin/analytics", "/admin/transparency", "/admin/mail", "/admin/teach", "/admin/delete",
        "/console/cases/999999",  # 404 for a logged-in reader
    ]


PUBLIC_PAGES = ["/auth/login", "/auth/reset/not-a-token", "/no-such-page", "/accessibility"]


def _as(driver, url: str, who: tuple[str, str] | None, lang: str) -> None:
    """A fresh session, logged in as ``who`` (or not), reading in ``lang``."""
    driver.delete_all_cookies()
    if who:
        log_in(driver, url, *who)
    driver.get(f"{url}/auth/login?lang={lang}" if not who else f"{url}/console/?lang={lang}")


def _load(driver, address: str) -> None:
    """Open a page and wait until app.css is applied: once, under load, the users page was measured unstyled
    (650 px wide: a table without its scrolling box)."""
    driver.get(address)
    WebDriverWait(driver, 10).until(lambda d: d.execute_script(
        "const bar = document.querySelector('.topbar'); return !!bar && getComputedStyle(bar).display === 'flex'"))


def _walk(driver, url, case_id, user_id):
    """(language, who, path) for every page of the module, the page loaded when it is yielded."""
    for lang in LANGS:
        _as(driver, url, ADMIN, lang)
        for path in admin_pages(case_id, user_id):
            _load(driver, url + path)
            yield lang, "admin", path
        _as(driver, url, CASEWORKER, lang)
        _load(driver, url + "/admin/")  # 403
        yield lang, "caseworker", "/admin/"
        _as(driver, url, None, lang)
        for path in PUBLIC_PAGES:
            _load(driver, url + path)
            yield lang, "anonymous", path
        _load(driver, url + "/auth/login")  # the form as it comes back with an error
        driver.find_element(By.NAME, "email").send_keys(ADMIN[0])
        driver.find_element(By.NAME, "password").send_keys("wrong password", Keys.ENTER)
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".flash-error, [aria-invalid=true]"))
        yield lang, "anonymous", "/auth/login (wrong password)"


def test_console_admin_login_and_error_pages_pass_axe_in_two_languages(site, driver, axe):
    url, case_id, user_id = site
    found = {}
    for lang, who, path in _walk(driver, url, case_id, user_id):
        assert driver.execute_script("return document.documentElement.lang") == lang, (lang, path)
        driver.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")  # data tables
        violations = axe(driver)
        if violations:
            found[f"{lang} {who} {path}"] = violations
    assert not found, pformat(found, width=120)


REFLOW = """const doc = document.documentElement;
const wide = [...document.querySelectorAll('body *')].filter(el => {
  if (el.closest('.table-scroll')) return false;  // a data table may scroll in its own box (1.4.10)
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.right > innerWidth + 1;
}).slice(0, 5).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + String(el.className).split(' ').join('.') : ''));
return [doc.scrollWidth, innerWidth, wide];"""


SPACING = """const style = document.createElement('style');
style.textContent = '* { line-height: 1.5 !important; letter-spacing: .12em !important; word-spacing: .16em !important; }'
  + ' p { margin-bottom: 2em !important; }';
document.head.appendChild(style);
return [...document.querySelectorAll('body *')].filter(el => {
  if (el.closest('.visually-hidden, .table-scroll') || !el.clientHeight) return false;
  const s = getComputedStyle(el);
  return (s.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1)
      || (s.overflowY !== 'visible' && el.scrollHeight > el.clientHeight + 1);
}).slice(0, 5).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : ''));"""


@pytest.mark.parametrize("width, scale", [(320, 1), (640, 2)], ids=["320px", "200pct-zoom"])
def test_pages_reflow_at_320_px_and_200_percent_zoom(site, driver, width, scale):
    """1.4.10: no sideways scrolling of the page (a wide table scrolls in its own box); at 320 px also 1.4.12:
    with wider letter, word, line and paragraph spacing no text is clipped."""
    url, case_id, user_id = site
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": 700, "deviceScaleFactor": scale, "mobile": False})
    try:
        found = {}
        for lang, who, path in _walk(driver, url, case_id, user_id):
            page_width, window, wide = driver.execute_script(REFLOW)
            if page_width > window or wide:
                found[f"{lang} {who} {path}"] = (page_width, window, wide)
            if width == 320:  # and with the text spacing of 1.4.12 on top: nothing clipped, still no sideways scroll
                clipped = driver.execute_script(SPACING)
                page_width, window, _ = driver.execute_script(REFLOW)
                if clipped or page_width > window:
                    found[f"{lang} {who} {path} text spacing"] = (page_width, window, clipped)
        assert not found, pformat(found, width=120)
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


FOCUSABLE = """return [...document.querySelectorAll(
  'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])')]
  .filter(el => !el.disabled && el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden'
          && !el.closest('details:not([open]) > :not(summary)'));"""
FOCUS_SHOWN = """const el = document.activeElement; const s = getComputedStyle(el); const r = el.getBoundingClientRect();
return [s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 || s.boxShadow !== 'none',
        r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth];"""


def test_keyboard_alone_reaches_every_control_in_order_and_shows_focus(site, driver):
    """Every control is reached by Tab, in the page's order, shown focused and in view; the first Tab is the
    skip link, which leads into the main content; no positive tabindex."""
    url, case_id, user_id = site
    found = {}
    for lang, who, path in _walk(driver, url, case_id, user_id):
        if lang != LANGS[0]:
            break  # the order and the focus ring do not depend on the language
        problems = []
        positive = driver.execute_script("return document.querySelectorAll('[tabindex]:not([tabindex=\"0\"]):not([tabindex=\"-1\"])').length")
        if positive:
            problems.append(f"{positive} positive tabindex")
        controls = driver.execute_script(FOCUSABLE)
        driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
        reached = []
        for _ in range(3 * len(controls) + 2):
            ActionChains(driver).send_keys(Keys.TAB).perform()
            el = driver.switch_to.active_element
            if el.tag_name == "body" or (reached and el == reached[0]):
                break
            if reached and el == reached[-1]:
                continue  # a date field's day, month and year parts
            shown, in_view = driver.execute_script(FOCUS_SHOWN)
            if not shown or not in_view:
                problems.append(f"focus not shown on {el.tag_name} {el.text[:30]!r} (ring {shown}, in view {in_view})")
            reached.append(el)
        if not reached or "skip-link" not in (reached[0].get_attribute("class") or ""):
            problems.append("the first Tab does not reach the skip link")
        if reached != controls[:len(reached)] or len(reached) != len(controls):
            problems.append(f"Tab reached {len(reached)} of {len(controls)} controls, or out of order")
        # the skip link leads into the main content: from a fresh load (Enter only ever on the skip link)
        _load(driver, driver.current_url)
        ActionChains(driver).send_keys(Keys.TAB).perform()
        if "skip-link" in (driver.switch_to.active_element.get_attribute("class") or ""):
            ActionChains(driver).send_keys(Keys.ENTER, Keys.TAB).perform()
            in_main = driver.execute_script("return !!document.activeElement.closest('main')")
            if not in_main and driver.execute_script("return !!document.querySelector('main a[href], main button,"
                                                     " main input:not([type=hidden]), main select, main textarea')"):
                problems.append("after the skip link, Tab does not go into the main content")
        if problems:
            found[f"{lang} {who} {path}"] = problems
    assert not found, pformat(found, width=120)


OTHER_LANGUAGE = """return [...document.querySelectorAll(arguments[0])].map(el => el.closest('[lang]').lang);"""


def test_residents_words_and_articles_are_marked_with_their_language_on_an_english_page(site, driver):
    """WCAG 2.1 3.1.2 language of parts: a screen reader reads a Norwegian title or question with Norwegian
    rules on an English page only if it is marked so."""
    url, case_id, _ = site
    _as(driver, url, ADMIN, "en")
    seen = {}
    for path, selector in [("/admin/kb/", "table.kb-list tbody td:nth-child(3)"),
                           ("/admin/analytics", "#h-unanswered ~ .table-scroll tbody td:nth-child(4)"),
                           ("/admin/teach", ".draft fieldset li label span"),
                           (f"/console/cases/{case_id}", ".msg-resident .text, .draft-text, .draft .meta a"),
                           ("/console/", "table.queue tbody td:first-child span")]:
        _load(driver, url + path)  # styled, and the marked elements there (a CI run under load read none)
        WebDriverWait(driver, 10).until(lambda d, css=selector: d.find_elements(By.CSS_SELECTOR, css))
        seen[path] = set(driver.execute_script(OTHER_LANGUAGE, selector))
    assert seen["/admin/kb/"] == {"nb", "nn", "sv", "da", "fi", "en"}
    assert all(langs == {"nb"} for path, langs in seen.items() if path != "/admin/kb/"), seen


def test_single_key_shortcuts_can_be_turned_off_and_stay_off(site, driver):
    """WCAG 2.1 2.1.4: the case page's one-letter shortcuts (A sends the chosen draft) fired on any key press
    outside a field, with no way to turn them off: speech input that types letters could send a reply."""
    url, case_id, _ = site
    _as(driver, url, ADMIN, "en")
    page = f"{url}/console/cases/{case_id}"
    driver.get(page)
    toggle = driver.find_element(By.ID, "single-keys")
    assert toggle.is_selected() and toggle.accessible_name.strip() == "Use single-key shortcuts"
    toggle.send_keys(Keys.SPACE)  # by keyboard
    body = driver.find_element(By.TAG_NAME, "body")
    driver.execute_script("document.activeElement.blur()")
    body.send_keys("2")
    body.send_keys("a")
    drafts = driver.find_elements(By.CSS_SELECTOR, ".drafts .draft")
    assert not any("chosen" in d.get_attribute("class") for d in drafts), "no draft chosen with the keys off"
    assert driver.current_url == page and not driver.find_elements(By.CSS_SELECTOR, ".flash")
    driver.get(page)  # the choice is kept in this browser
    toggle = driver.find_element(By.ID, "single-keys")
    assert not toggle.is_selected()
    toggle.click()
    driver.execute_script("document.activeElement.blur()")
    driver.find_element(By.TAG_NAME, "body").send_keys("2")
    WebDriverWait(driver, 5).until(
        lambda d: "chosen" in d.find_elements(By.CSS_SELECTOR, ".drafts .draft")[1].get_attribute("class"))
