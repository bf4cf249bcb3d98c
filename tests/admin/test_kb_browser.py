"""The KB editor in headless Chromium: an admin edits and publishes with the keyboard-reachable form,
and axe-core finds no WCAG 2.1 A/AA violation on the list, editor, diff and import pages."""

from __future__ import annotations

import pytest

from tests.admin.helpers import dialogue_answer
from tests.e2e.conftest import axe, browser, live_server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def _find(driver, by, selector, timeout=20):
    """Wait for an element of the page a click is loading (the machine may be busy)."""
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(ec.presence_of_element_located((by, selector)))


def _login(driver, url):
    from selenium.webdriver.common.by import By

    driver.get(url + "/auth/login?lang=en")
    driver.find_element(By.NAME, "email").send_keys("admin@fjordvik.example")
    driver.find_element(By.NAME, "password").send_keys("demo-admin")
    driver.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    _find(driver, By.CSS_SELECTOR, "form[action='/auth/logout']")


def test_edit_publish_and_diff_in_a_browser_without_axe_violations(app, live_server, browser, axe):  # noqa: F811
    from selenium.webdriver.common.by import By

    url = live_server.url
    _login(browser, url)
    browser.get(url + "/admin/kb/?language=nb")
    assert _find(browser, By.TAG_NAME, "h1").text == "Knowledge base"
    assert axe(browser) == []

    browser.find_element(By.LINK_TEXT, "Library").click()  # the topic by its name (its key beside it)
    button = _find(browser, By.XPATH, "//button[normalize-space()='Create local override']")
    assert axe(browser) == []
    button.click()
    body = _find(browser, By.NAME, "body")
    body.clear()
    body.send_keys("Biblioteket er åpent **{hours.library_weekdays}** på hverdager.")
    browser.find_element(By.NAME, "publish").click()
    _find(browser, By.XPATH, "//p[contains(@class, 'flash-success') and starts-with(normalize-space(), 'Published')]")
    assert dialogue_answer(app, "library", "nb")["text"] == "Biblioteket er åpent **10:00–19:00** på hverdager."
    assert axe(browser) == []

    browser.find_element(By.XPATH, "//section[@aria-labelledby='hist-h']//a[normalize-space()='Version 1']").click()
    caption = _find(browser, By.CSS_SELECTOR, "figcaption").text
    assert caption.startswith("Changes from the national base, version 1 — 1 line added,") and "lines removed" in caption
    assert axe(browser) == []

    browser.get(url + "/admin/kb/import")
    assert axe(browser) == []
