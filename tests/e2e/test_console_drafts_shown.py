"""A case's drafts in a real browser (exploratory test): numbered once (the heading "Draft 1", no list
number besides it), shown rendered (no "**"), and "Edit before sending" puts the Markdown source into
the reply box. Rasa is not started: the resident's message becomes a case at the service desk."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.e2e.conftest import log_in
from tests.e2e.test_console_keys import _case_for
from tests.web.test_console_draft_display import DRAFT, _with_drafts

pytestmark = pytest.mark.browser


def test_drafts_are_numbered_once_shown_rendered_and_edited_as_source(app, client, live_server, browser):
    case_id = _case_for(app, client, "Hvordan søker jeg barnehageplass?")
    _with_drafts(app, case_id, {"text": DRAFT, "score": 0.8, "sources": []},
                 {"text": "Hei!\n\nSe **nettsiden**.", "score": 0.7, "sources": []})
    log_in(browser, live_server.url, "service@fjordvik.example", "demo-service")
    browser.get(f"{live_server.url}/console/cases/{case_id}?lang=en")
    drafts = browser.find_elements(By.CSS_SELECTOR, ".drafts .draft")
    assert len(drafts) == 2
    assert {browser.execute_script("return getComputedStyle(arguments[0]).listStyleType", d) for d in drafts} == {"none"}
    assert drafts[0].find_element(By.CSS_SELECTOR, ".draft-title").text == "Draft 1"
    shown = drafts[0].find_element(By.CSS_SELECTOR, ".draft-text")
    assert "**" not in shown.text and "](" not in shown.text and "på nett" in shown.text
    assert shown.text.splitlines()[-2:] == ["Mvh", "Skole"], "the lines as the resident will see them"
    drafts[0].find_element(By.CSS_SELECTOR, ".use-draft").click()
    assert browser.find_element(By.ID, "reply-text").get_attribute("value") == DRAFT
