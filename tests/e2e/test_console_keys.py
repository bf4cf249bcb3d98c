"""The case page in a real browser, found by an exploratory test: the documented Ctrl+Enter shortcut
sends the reply, a resident's message keeps its line breaks (a mail's subject, greeting, paragraphs),
and the queue table at 200 % zoom scrolls in its own box.

Rasa is not started: the resident's message becomes a case at the service desk."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.conftest import Resident
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.browser


def _case_for(app, client, text: str) -> int:
    from sqlalchemy import select

    from web.extensions import db
    from web.models import Case

    assert Resident(client).say(text).status_code == 201
    with app.app_context():
        return db.session.scalar(select(Case.id).order_by(Case.id.desc()))


def test_ctrl_enter_sends_the_reply(app, client, live_server, browser):
    """console.js called form.submit(), which the form's button named "submit" hides: the shortcut threw a
    TypeError and nothing was sent."""
    case_id = _case_for(app, client, "Jeg har et spørsmål om fakturaen min")
    log_in(browser, live_server.url, "service@fjordvik.example", "demo-service")
    browser.get(f"{live_server.url}/console/cases/{case_id}")
    box = browser.find_element(By.ID, "reply-text")
    box.send_keys("Hei! Vi ser på fakturaen og svarer i morgen.")
    ActionChains(browser).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".flash-success"))
    errors = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE" and "console.js" in e["message"]]
    assert errors == []
    with app.app_context():
        from sqlalchemy import select

        from web.extensions import db
        from web.models import Message

        sent = db.session.scalars(select(Message.text).where(Message.sender == "caseworker")).all()
    assert sent == ["Hei! Vi ser på fakturaen og svarer i morgen."]


def test_the_residents_line_breaks_are_shown(app, client, live_server, browser):
    case_id = _case_for(app, client, "Klage\n\nHei,\n\nvi har fått avslag.\nMed hilsen")
    log_in(browser, live_server.url, "service@fjordvik.example", "demo-service")
    browser.get(f"{live_server.url}/console/cases/{case_id}")
    shown = browser.find_element(By.CSS_SELECTOR, ".msg-resident .text").text
    assert shown.splitlines() == ["Klage", "", "Hei,", "", "vi har fått avslag.", "Med hilsen"]


def test_the_queue_at_200_percent_zoom_scrolls_the_table_not_the_page(app, client, live_server, browser):
    """At 200 % zoom of a 1280 px window (640 CSS px) the Finnish queue table was 805 px wide and the whole
    page scrolled sideways, the filters and the navigation with it."""
    for text in ("Søknaden min om sosialhjelp ble avslått, fødselsnummeret mitt er 15076500565",
                 "Jeg har et spørsmål om fakturaen min for kommunale avgifter"):
        _case_for(app, client, text)
    log_in(browser, live_server.url, "service@fjordvik.example", "demo-service")
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 640, "height": 450, "deviceScaleFactor": 2, "mobile": False})
    browser.get(f"{live_server.url}/console/?lang=fi")
    assert browser.find_elements(By.CSS_SELECTOR, "table.queue tbody tr")
    page_width, window = browser.execute_script("return [document.documentElement.scrollWidth, innerWidth]")
    assert page_width <= window
    region = browser.find_element(By.CSS_SELECTOR, ".table-scroll")
    assert region.get_attribute("tabindex") == "0" and region.get_attribute("aria-label") == "Jonojesi asiat"
