"""End to end in two headless Chromium browsers: a resident asks a personal question in the widget, it
becomes a case with real suggester drafts, a caseworker logs in to the console in a second browser,
opens the case and accepts a draft, and the resident's widget shows the reply.

Rasa is not started here (as in the other widget tests), so the bot cannot route the question: it lands
at the service desk, which moves it to the education department over the real console route, with a
reason — what Rasa's routing does when it runs. The reassignment drafts replies from the education
articles with the real suggester (bundled e5 encoder, FAISS) over a small index of the demo KB."""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.conftest import build_small_index, csrf_token, login
from tests.e2e.test_widget import open_widget_with_keyboard, shadow, wait_text
from tests.web.test_console_mail import smtp_server  # noqa: F401  (a real SMTP server on a free port)

pytestmark = pytest.mark.browser
QUESTION = "Jeg lurer på når jeg får svar på søknaden om barnehageplass for datteren min"


class Clicks:
    """Counts the caseworker's clicks (and key presses that act) from opening the case."""

    def __init__(self):
        self.count = 0

    def click(self, element):
        self.count += 1
        element.click()


def _case_id_for_question(app) -> int:
    from sqlalchemy import select

    from web.extensions import db
    from web.models import Case

    with app.app_context():
        return db.session.scalar(select(Case.id).order_by(Case.id.desc()))


def _service_desk_routes_to_education(app, case_id):
    with app.test_client() as desk:
        login(desk, "service@fjordvik.example", "demo-service")
        page = desk.get(f"/console/cases/{case_id}").get_data(as_text=True)
        resp = desk.post(f"/console/cases/{case_id}/reassign", data={
            "department": "education", "reason": "Søknad om barnehageplass", "csrf_token": csrf_token(page)})
        assert resp.status_code == 302


def _resident_asks(browser, url):
    browser.get(url + "/")
    root = shadow(browser)
    open_widget_with_keyboard(browser, root)
    root.find_element(By.CSS_SELECTOR, "#tinget-input").send_keys(QUESTION, Keys.ENTER)
    wait_text(browser, root, ".msg.resident", "barnehageplass")
    wait_text(browser, root, ".msg.bot", "saksbehandler")  # told that a caseworker will answer
    return root


def _caseworker_logs_in(driver, url):
    driver.get(url + "/console/")
    assert "/auth/login" in driver.current_url, "the console asks for a login"
    driver.find_element(By.ID, "email").send_keys("skole@fjordvik.example")
    driver.find_element(By.ID, "password").send_keys("demo-skole", Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: d.current_url.rstrip("/").endswith("/console"))


def test_resident_question_caseworker_accepts_draft_resident_sees_reply(app, live_server, browser, second_browser,
                                                                         smtp_server):  # noqa: F811
    app.config.update(POLL_INTERVAL_MS=1000, SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port)
    build_small_index(app)
    root = _resident_asks(browser, live_server.url)
    # after the hand-over the widget offers an e-mail copy of the answer, behind a one-line disclosure
    summary = WebDriverWait(browser, 10).until(lambda d: (f := root.find_element(By.CSS_SELECTOR, ".mailbox summary"))
                                               .is_displayed() and f)
    summary.click()
    mail_form = WebDriverWait(browser, 10).until(lambda d: (f := root.find_element(By.CSS_SELECTOR, "form.mail"))
                                                 .is_displayed() and f)
    mail_form.find_element(By.CSS_SELECTOR, "#tinget-email").send_keys("not-an-address")
    mail_form.find_element(By.CSS_SELECTOR, "button").click()
    wait_text(browser, root, ".status", "e-post")  # "Sjekk e-postadressen."
    box = mail_form.find_element(By.CSS_SELECTOR, "#tinget-email")
    box.clear()
    box.send_keys("kari.nordmann@example.org", Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda d: not mail_form.is_displayed())
    case_id = _case_id_for_question(app)
    _service_desk_routes_to_education(app, case_id)

    worker = second_browser
    _caseworker_logs_in(worker, live_server.url)
    link = worker.find_element(By.LINK_TEXT, f"#{case_id}")
    assert "barnehageplass" in worker.find_element(By.CSS_SELECTOR, "table.queue").text

    clicks = Clicks()
    clicks.click(link)  # opening the case (not counted below: we count from the open case)
    WebDriverWait(worker, 10).until(lambda d: f"/console/cases/{case_id}" in d.current_url)
    clicks.count = 0
    draft = worker.find_element(By.CSS_SELECTOR, ".drafts .draft")
    draft_text = draft.find_element(By.CSS_SELECTOR, ".draft-text").text
    assert "barnehage" in draft_text.lower()
    assert "Søke barnehageplass" in draft.text, "the draft shows its source"
    clicks.click(draft.find_element(By.CSS_SELECTOR, ".accept-draft"))
    WebDriverWait(worker, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".flash-success"))
    assert clicks.count == 1, "one click from the open case to the sent reply"
    print(f"\nclicks from opening the case to sending an accepted draft: {clicks.count}")

    first_line = draft_text.strip().splitlines()[0]
    wait_text(browser, root, ".msg.caseworker", first_line, timeout=20)
    shown = " ".join(e.text for e in root.find_elements(By.CSS_SELECTOR, ".msg.caseworker"))
    assert re.sub(r"\s+", " ", draft_text.splitlines()[-1]).strip()[:30] in re.sub(r"\s+", " ", shown)
    # … and by e-mail
    assert [rcpt for rcpt, _ in smtp_server.messages] == [["kari.nordmann@example.org"]]
    assert first_line in smtp_server.messages[0][1].get_content()


def test_keyboard_only_accept_with_the_documented_shortcut(app, live_server, browser, second_browser, axe):
    app.config["POLL_INTERVAL_MS"] = 1000
    build_small_index(app)
    root = _resident_asks(browser, live_server.url)
    case_id = _case_id_for_question(app)
    _service_desk_routes_to_education(app, case_id)

    worker = second_browser
    _caseworker_logs_in(worker, live_server.url)
    worker.get(f"{live_server.url}/console/cases/{case_id}")
    assert axe(worker) == [], "the case page passes axe-core (WCAG 2.1 A/AA)"
    shortcuts = worker.find_element(By.CSS_SELECTOR, ".shortcuts").text
    assert "A" in shortcuts and "N" in shortcuts and ("Tastatursnarveier" in shortcuts or "Keyboard" in shortcuts)
    draft_text = worker.find_element(By.CSS_SELECTOR, ".drafts .draft .draft-text").text
    worker.find_element(By.TAG_NAME, "body").send_keys("1")  # choose draft 1 …
    WebDriverWait(worker, 5).until(lambda d: "chosen" in d.find_element(By.CSS_SELECTOR, ".drafts .draft")
                                   .get_attribute("class"))
    worker.find_element(By.TAG_NAME, "body").send_keys("a")  # … and accept it
    WebDriverWait(worker, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".flash-success"))
    wait_text(browser, root, ".msg.caseworker", draft_text.strip().splitlines()[0], timeout=20)
