"""Deleting the conversation when the server does not answer (found by an exploratory test): the widget
forgot the conversation and said "Samtalen er slettet." while the server still held it, and with its id
and token gone the resident could not even try again."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.e2e.test_widget import open_widget_with_keyboard, shadow, wait_text

pytestmark = pytest.mark.browser


def _count_conversations(app) -> int:
    from sqlalchemy import func, select

    from web.extensions import db
    from web.models import Conversation

    with app.app_context():
        return db.session.scalar(select(func.count(Conversation.id)))


def test_a_failed_delete_is_not_reported_as_done_and_can_be_retried(app, live_server, browser):
    browser.get(live_server.url + "/")
    root = shadow(browser)
    open_widget_with_keyboard(browser, root)
    root.find_element(By.CSS_SELECTOR, "#tinget-input").send_keys("Hei, et spørsmål om SFO\n")
    wait_text(browser, root, ".msg.resident", "SFO")
    wait_text(browser, root, ".msg.bot", "")
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/api/v1/conversations/*"]})
    delete = root.find_element(By.CSS_SELECTOR, ".tools button")
    delete.click()
    status = root.find_element(By.CSS_SELECTOR, ".status")
    WebDriverWait(browser, 10).until(lambda d: status.text)
    assert status.text != "Samtalen er slettet.", "the server never got the request"
    assert root.find_elements(By.CSS_SELECTOR, ".msg.resident"), "the conversation is still shown"
    assert _count_conversations(app) == 1

    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
    delete.click()
    WebDriverWait(browser, 10).until(lambda d: status.text == "Samtalen er slettet.")
    assert not root.find_elements(By.CSS_SELECTOR, ".msg")
    assert _count_conversations(app) == 0
