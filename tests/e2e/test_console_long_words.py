"""A resident's message with a very long word (a pasted link or reference number, keyboard mashing) made the
whole case page scroll sideways: the caseworker had to scroll right to read every line. Found by an
exploratory test; the word now breaks inside the message."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.e2e.conftest import log_in
from tests.e2e.test_console_keys import _case_for

pytestmark = pytest.mark.browser


def test_a_long_word_does_not_widen_the_case_page(app, client, live_server, browser):
    word = "Saksnummer" + "x" * 400
    case_id = _case_for(app, client, f"Hei, jeg viser til {word} og vil klage på vedtaket.")
    log_in(browser, live_server.url, "service@fjordvik.example", "demo-service")
    browser.get(f"{live_server.url}/console/cases/{case_id}")
    text = browser.find_element(By.CSS_SELECTOR, ".msg-resident .text")
    assert word in text.text.replace("\n", "")
    page_width, view_width = browser.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert page_width <= view_width, "the page scrolls sideways"
