"""The widget's screen-reader announcement of a new reply (found by an exploratory test): it read the
Markdown source ("**Fristen er 1. mars.** - ...") instead of the text the panel shows."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.e2e.test_widget import open_widget_with_keyboard, shadow, wait_text

pytestmark = pytest.mark.browser


def test_a_reply_is_announced_as_shown_not_as_markdown(app, live_server, browser):
    app.config["POLL_INTERVAL_MS"] = 1000
    browser.get(live_server.url + "/")
    root = shadow(browser)
    open_widget_with_keyboard(browser, root)
    root.find_element(By.CSS_SELECTOR, "#tinget-input").send_keys("Når er fristen for barnehageplass?\n")
    wait_text(browser, root, ".msg.bot", "saksbehandler")  # Rasa is down here: the message is a case
    with app.app_context():
        from sqlalchemy import select

        from web.extensions import db
        from web.models import Case, User
        from web.services import cases

        case = db.session.scalar(select(Case).order_by(Case.id.desc()))
        user = db.session.scalar(select(User).where(User.email == "service@fjordvik.example"))
        cases.reply(case, user, "**Fristen er 1. mars.**\n\n- Søk på nett\n- Svar kommer i april")
    wait_text(browser, root, ".msg.caseworker", "Fristen er 1. mars.", timeout=20)
    live = root.find_element(By.CSS_SELECTOR, "[role=status].vh")
    WebDriverWait(browser, 5).until(lambda d: "Fristen" in live.get_attribute("textContent"))
    said = live.get_attribute("textContent")
    assert "*" not in said and " - " not in said, said
    assert said.endswith("Fristen er 1. mars. Søk på nett Svar kommer i april"), said
