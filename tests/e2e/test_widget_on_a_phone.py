"""The widget on a phone (390 x 844): the conversation gets the screen, the privacy notice is read in
full before the first message and stays one Enter away after it, and the optional e-mail field still
works from behind its disclosure. On a desktop the panel stays a floating box next to the page."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.e2e.test_widget import open_widget_with_keyboard, shadow, wait_text
from tests.e2e.test_widget_on_host_pages import emulate_screen

pytestmark = pytest.mark.browser

GEOMETRY = """
const root = arguments[0], r = sel => root.querySelector(sel).getBoundingClientRect();
const panel = r('.panel');
return {vw: innerWidth, vh: innerHeight, log: Math.round(r('.log').height),
        panel: [Math.round(panel.left), Math.round(panel.top), Math.round(panel.right), Math.round(panel.bottom)],
        modal: root.querySelector('.panel').getAttribute('aria-modal')};
"""


def focused(driver) -> str:
    return driver.execute_script(
        "const a = document.activeElement.shadowRoot.activeElement;"
        "return a.id || a.className || a.parentNode.className + ' ' + a.tagName.toLowerCase()")


def press(driver, key, shift=False):
    from selenium.webdriver.common.action_chains import ActionChains

    chain = ActionChains(driver)
    if shift:
        chain.key_down(Keys.SHIFT)
    chain.send_keys(key)
    if shift:
        chain.key_up(Keys.SHIFT)
    chain.perform()


def test_phone_user_gets_the_screen_for_the_conversation(app, live_server, browser, axe):
    emulate_screen(browser, 390, 844)
    browser.get(live_server.url + "/")
    root = shadow(browser)
    open_widget_with_keyboard(browser, root)
    notice = root.find_element(By.CSS_SELECTOR, ".notice")
    assert notice.is_displayed() and "fødselsnummer" in notice.text, "the privacy notice is read before writing"
    geo = browser.execute_script(GEOMETRY, root)
    assert geo["panel"] == [0, 0, 390, 844] and geo["modal"] == "true", geo

    root.find_element(By.CSS_SELECTOR, "#tinget-input").send_keys("Kan jeg få snakke med noen?", Keys.ENTER)
    wait_text(browser, root, ".msg.bot", "")
    WebDriverWait(browser, 10).until(lambda d: root.find_element(By.CSS_SELECTOR, ".mailbox").is_displayed())
    geo = browser.execute_script(GEOMETRY, root)
    assert geo["log"] >= 0.55 * geo["vh"], f"the conversation has {geo['log']} of {geo['vh']} px"
    assert not notice.is_displayed(), "after the first message the notice is one line"

    # The privacy text is one Enter away, with its link.
    summary = root.find_element(By.CSS_SELECTOR, ".privacy summary")
    assert summary.text == "Personvern"
    browser.execute_script("arguments[0].focus()", summary)
    press(browser, Keys.ENTER)
    WebDriverWait(browser, 5).until(lambda d: notice.is_displayed())
    assert "fødselsnummer" in notice.text and notice.find_element(By.CSS_SELECTOR, "a").get_attribute("href")
    assert axe(browser) == []

    # The optional e-mail copy: open the disclosure, type, Enter saves it on the server.
    email = root.find_element(By.CSS_SELECTOR, "#tinget-email")
    assert not email.is_displayed()
    mail_summary = root.find_element(By.CSS_SELECTOR, ".mailbox summary")
    assert "e-post" in mail_summary.text
    browser.execute_script("arguments[0].focus()", mail_summary)
    press(browser, Keys.ENTER)
    press(browser, Keys.TAB)
    assert focused(browser) == "tinget-email"
    assert root.find_element(By.CSS_SELECTOR, "label[for=tinget-email]").text == "E-postadresse"
    assert axe(browser) == []
    email.send_keys("innbygger@example.com", Keys.ENTER)
    wait_text(browser, root, ".status", "e-post")
    assert not root.find_element(By.CSS_SELECTOR, ".mailbox").is_displayed()
    assert focused(browser) == "tinget-input", "focus does not fall out of the widget with the hidden form"
    with app.app_context():
        from web.extensions import db
        from web.models import Conversation
        from web.services.chat_mail import resident_address

        assert resident_address(db.session.scalars(db.select(Conversation)).one()) == "innbygger@example.com"

    # The page behind is covered, so Tab goes round inside the panel; Escape still leaves.
    browser.execute_script("arguments[0].focus()", root.find_element(By.CSS_SELECTOR, ".send"))
    press(browser, Keys.TAB)
    assert focused(browser) == "head button", "Tab from Send goes to the close button, not the hidden page"
    press(browser, Keys.TAB, shift=True)
    assert focused(browser) == "send"
    press(browser, Keys.ESCAPE)
    assert focused(browser) == "launcher"

    # Back on the page later: the conversation is there and the notice starts folded.
    browser.refresh()
    root = shadow(browser)
    open_widget_with_keyboard(browser, root)
    wait_text(browser, root, ".msg.resident", "snakke med noen")
    assert root.find_element(By.CSS_SELECTOR, ".privacy summary").is_displayed()
    assert not root.find_element(By.CSS_SELECTOR, ".notice").is_displayed()


def test_desktop_keeps_a_floating_panel_with_more_room_for_the_conversation(live_server, browser, axe):
    emulate_screen(browser, 1280, 800)
    browser.get(live_server.url + "/")
    root = shadow(browser)
    open_widget_with_keyboard(browser, root)
    root.find_element(By.CSS_SELECTOR, "#tinget-input").send_keys("Kan jeg få snakke med noen?", Keys.ENTER)
    wait_text(browser, root, ".msg.bot", "")
    WebDriverWait(browser, 10).until(lambda d: root.find_element(By.CSS_SELECTOR, ".mailbox").is_displayed())
    geo = browser.execute_script(GEOMETRY, root)
    left, top, right, bottom = geo["panel"]
    assert geo["modal"] == "false" and right <= geo["vw"] - 16 and bottom <= geo["vh"] - 16 and left > 600, geo
    assert geo["log"] >= 300, f"the conversation has {geo['log']} px of the {bottom - top} px panel"
    assert axe(browser) == []
