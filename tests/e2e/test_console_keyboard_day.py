"""A caseworker's afternoon with the keyboard only, in a real browser (exploratory test, Dec 2026):

- R, a reason and Enter reject the chosen draft; A then sends the first draft still proposed (it sent the
  rejected one, which stayed first on the page);
- a reply held back because the resident wrote meanwhile comes back on a page reached by a redirect: the
  browser's reload sends nothing again, and the text is still in the box;
- a draft with lines from an earlier resident's case has no one-click send: A does nothing, E puts it in the
  box with its ⚠ marks, and Ctrl+Enter brings it back until the marks are gone.

Rasa is not started: the resident's messages become a case at the service desk."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.conftest import Resident
from tests.e2e.conftest import log_in
from tests.web.test_console_draft_display import _with_drafts

pytestmark = pytest.mark.browser

FIRST = "Hei!\n\nSøk om plass på nettsidene.\n\nMed vennlig hilsen"
SECOND = "Hei!\n\nPrisen er 3 000 kr i måneden.\n\nMed vennlig hilsen"
LEARNED = "Hei!\n\n⚠ Søknaden din fra 3. mars er mottatt.\n\nSøk om plass på nettsidene.\n\nMed vennlig hilsen"


def _sent(app) -> list[str]:
    from sqlalchemy import select

    from web.extensions import db
    from web.models import Message

    with app.app_context():
        return db.session.scalars(select(Message.text).where(Message.sender == "caseworker")).all()


def _case(app, resident) -> int:
    from sqlalchemy import select

    from web.extensions import db
    from web.models import Case

    assert resident.say("Hvordan søker jeg barnehageplass, og hva koster den?").status_code == 201
    with app.app_context():
        return db.session.scalar(select(Case.id).order_by(Case.id.desc()))


def _keys(browser, *keys) -> None:
    ActionChains(browser).send_keys(*keys).perform()


def _ctrl_enter(browser) -> None:
    ActionChains(browser).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()


def _flash(browser, kind: str) -> str:
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, f".flash-{kind}"))
    return browser.find_element(By.CSS_SELECTOR, f".flash-{kind}").text


def test_reject_then_accept_with_the_keys_sends_the_draft_not_rejected(app, client, live_server, browser):
    case_id = _case(app, Resident(client))
    _with_drafts(app, case_id, {"text": FIRST, "score": 0.8, "sources": []},
                 {"text": SECOND, "score": 0.7, "sources": []})
    log_in(browser, live_server.url, "service@fjordvik.example", "demo-service")
    browser.get(f"{live_server.url}/console/cases/{case_id}?lang=en")
    browser.find_element(By.TAG_NAME, "body").click()
    _keys(browser, "r")  # the reason field of the chosen draft (draft 1)
    assert browser.switch_to.active_element.get_attribute("class") == "reject-reason"
    _keys(browser, "Feil svar", Keys.ENTER)
    assert "Draft rejected" in _flash(browser, "success")
    browser.find_element(By.TAG_NAME, "body").click()
    _keys(browser, "a")
    assert _flash(browser, "success") == "Draft sent to the resident."
    assert _sent(app) == [SECOND]


def test_a_held_back_reply_survives_a_reload_and_is_not_sent_by_it(app, client, live_server, browser):
    resident = Resident(client)
    case_id = _case(app, resident)
    log_in(browser, live_server.url, "service@fjordvik.example", "demo-service")
    browser.get(f"{live_server.url}/console/cases/{case_id}?lang=en")
    resident.say("Glem det, vi har fått plass.")  # while the page is open
    box = browser.find_element(By.ID, "reply-text")
    box.send_keys("Hei! Søk på nettsidene.")
    _ctrl_enter(browser)
    assert "The resident wrote again" in _flash(browser, "error")
    assert browser.current_url.endswith(f"/console/cases/{case_id}")  # a GET: reloading it posts nothing
    browser.refresh()
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "reply-text"))
    assert browser.find_element(By.ID, "reply-text").get_attribute("value") == "Hei! Søk på nettsidene."
    assert not browser.find_elements(By.CSS_SELECTOR, ".flash-error")
    assert _sent(app) == []
    _ctrl_enter_from_box(browser)
    assert _flash(browser, "success") == "Reply sent to the resident."
    assert _sent(app) == ["Hei! Søk på nettsidene."]
    assert browser.find_element(By.ID, "reply-text").get_attribute("value") == ""


def _ctrl_enter_from_box(browser) -> None:
    browser.find_element(By.ID, "reply-text").click()
    _ctrl_enter(browser)


def test_a_draft_with_lines_to_check_goes_through_the_box(app, client, live_server, browser):
    case_id = _case(app, Resident(client))
    _with_drafts(app, case_id, {"text": LEARNED, "score": 0.9, "sources": [{"id": "reply:1", "kind": "reply"}]})
    log_in(browser, live_server.url, "service@fjordvik.example", "demo-service")
    browser.get(f"{live_server.url}/console/cases/{case_id}?lang=en")
    assert "Lines marked ⚠" in browser.find_element(By.CSS_SELECTOR, ".draft-to-check").text
    browser.find_element(By.TAG_NAME, "body").click()
    _keys(browser, "a")  # no one-click send for it: nothing happens
    _keys(browser, "e")
    box = browser.find_element(By.ID, "reply-text")
    assert box.get_attribute("value") == LEARNED and browser.switch_to.active_element == box
    _ctrl_enter(browser)
    assert "Not sent: lines marked ⚠" in _flash(browser, "error")
    box = browser.find_element(By.ID, "reply-text")
    assert box.get_attribute("value") == LEARNED and _sent(app) == []
    browser.execute_script("arguments[0].value = arguments[0].value.replace('⚠ ', '')", box)
    _ctrl_enter_from_box(browser)
    assert _flash(browser, "success") == "Reply sent to the resident."
    assert _sent(app) == [LEARNED.replace("⚠ ", "")]
