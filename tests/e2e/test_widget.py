"""The widget in a real browser: one script tag, keyboard-only conversation, axe-core without
violations, language switch, delete conversation. Rasa is not needed for these (messages become
cases when it is down), so they run on the plain test app."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.browser


def shadow(driver):
    host = WebDriverWait(driver, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, "tinget-chat"))
    return WebDriverWait(driver, 10).until(lambda d: host.shadow_root)


def wait_text(driver, root, selector, needle, timeout=15):
    return WebDriverWait(driver, timeout).until(
        lambda d: any(needle in e.text for e in root.find_elements(By.CSS_SELECTOR, selector)))


def open_widget_with_keyboard(driver, root):
    launcher = WebDriverWait(driver, 10).until(
        lambda d: (b := root.find_element(By.CSS_SELECTOR, ".launcher")) and b.text not in ("", "…") and b)
    driver.execute_script("arguments[0].focus()", launcher)
    launcher.send_keys(Keys.ENTER)
    WebDriverWait(driver, 5).until(lambda d: root.find_element(By.CSS_SELECTOR, "#tinget-input").is_displayed())


def test_keyboard_only_conversation_and_axe(live_server, browser, axe):
    browser.get(live_server.url + "/")
    root = shadow(browser)
    assert axe(browser) == []
    open_widget_with_keyboard(browser, root)
    active = browser.execute_script("return document.activeElement.shadowRoot.activeElement.id")
    assert active == "tinget-input", "focus moves into the widget when it opens"
    box = root.find_element(By.CSS_SELECTOR, "#tinget-input")
    box.send_keys("Hvor langt har søknaden min kommet?", Keys.ENTER)
    wait_text(browser, root, ".msg.resident", "søknaden min")
    wait_text(browser, root, ".msg.bot", "")
    assert root.find_element(By.CSS_SELECTOR, "[aria-live]") is not None
    assert axe(browser) == []
    csp = [e["message"] for e in browser.get_log("browser") if "Content Security Policy" in e["message"]]
    assert csp == [], "the widget works under the page's strict CSP"
    box.send_keys(Keys.ESCAPE)
    assert browser.execute_script("return document.activeElement.shadowRoot.activeElement.className") == "launcher"


def test_conversation_survives_page_reload(live_server, browser):
    browser.get(live_server.url + "/")
    root = shadow(browser)
    open_widget_with_keyboard(browser, root)
    root.find_element(By.CSS_SELECTOR, "#tinget-input").send_keys("Hei, et spørsmål om SFO", Keys.ENTER)
    wait_text(browser, root, ".msg.resident", "SFO")
    browser.refresh()
    root = shadow(browser)
    wait_text(browser, root, ".msg.resident", "SFO")


def test_language_switch_changes_the_widget_texts(live_server, browser):
    browser.get(live_server.url + "/")
    root = shadow(browser)
    open_widget_with_keyboard(browser, root)
    from selenium.webdriver.support.ui import Select

    Select(root.find_element(By.CSS_SELECTOR, "#tinget-lang")).select_by_value("sv")
    WebDriverWait(browser, 5).until(lambda d: root.find_element(By.CSS_SELECTOR, ".send").text == "Skicka")
    Select(root.find_element(By.CSS_SELECTOR, "#tinget-lang")).select_by_value("fi")
    WebDriverWait(browser, 5).until(lambda d: root.find_element(By.CSS_SELECTOR, ".send").text == "Lähetä")


def test_delete_conversation_removes_it_on_the_server(app, live_server, browser):
    browser.get(live_server.url + "/")
    root = shadow(browser)
    open_widget_with_keyboard(browser, root)
    root.find_element(By.CSS_SELECTOR, "#tinget-input").send_keys("Min e-post er slett.meg@example.com", Keys.ENTER)
    wait_text(browser, root, ".msg.resident", "[e-postadresse fjernet]")
    root.find_element(By.CSS_SELECTOR, ".tools button").click()
    WebDriverWait(browser, 5).until(lambda d: not root.find_elements(By.CSS_SELECTOR, ".msg"))
    with app.app_context():
        from sqlalchemy import func, select

        from web.extensions import db
        from web.models import Conversation, Message

        assert db.session.scalar(select(func.count(Conversation.id))) == 0
        assert db.session.scalar(select(func.count(Message.id))) == 0


def test_messages_in_another_language_are_marked_with_it(live_server, browser):
    """WCAG 2.1 3.1.2 (language of parts): a Finnish resident on a Norwegian page gets Finnish replies, and
    a screen reader must read them as Finnish: each message's text carries its language."""
    browser.get(live_server.url + "/")
    root = shadow(browser)
    open_widget_with_keyboard(browser, root)
    assert root.find_element(By.CSS_SELECTOR, ".panel").get_attribute("lang") == "nb"
    root.find_element(By.CSS_SELECTOR, "#tinget-input").send_keys(
        "Haluaisin tietää, miten hakemukseni päiväkotipaikasta etenee", Keys.ENTER)
    wait_text(browser, root, ".msg.resident", "Haluaisin")
    WebDriverWait(browser, 15).until(lambda d: root.find_elements(By.CSS_SELECTOR, ".msg.bot .body"))
    langs = [e.get_attribute("lang") for e in root.find_elements(By.CSS_SELECTOR, ".msg .body")]
    assert langs and set(langs) == {"fi"}, langs


def test_the_widget_follows_a_resident_who_writes_another_language(live_server, browser):
    """A Finnish resident on a Norwegian page: after the first message the widget's own texts are Finnish
    too (and stay so after a reload); a Danish message on the same page does not flip them (neighbours
    read each other's texts)."""
    browser.get(live_server.url + "/")
    root = shadow(browser)
    open_widget_with_keyboard(browser, root)
    assert root.find_element(By.CSS_SELECTOR, ".send").text == "Send"
    box = root.find_element(By.CSS_SELECTOR, "#tinget-input")
    box.send_keys("Hvor mye koster en plass i barnehagen i måneden?", Keys.ENTER)
    wait_text(browser, root, ".msg.resident", "barnehagen")
    box.send_keys("Haluaisin tietää, miten hakemukseni päiväkotipaikasta etenee", Keys.ENTER)
    wait_text(browser, root, ".msg.resident", "Haluaisin")
    WebDriverWait(browser, 10).until(lambda d: root.find_element(By.CSS_SELECTOR, ".send").text == "Lähetä")
    assert root.find_element(By.CSS_SELECTOR, ".panel").get_attribute("lang") == "fi"
    assert root.find_element(By.CSS_SELECTOR, "#tinget-lang").get_attribute("value") == "fi"
    browser.refresh()
    root = shadow(browser)
    WebDriverWait(browser, 10).until(lambda d: root.find_element(By.CSS_SELECTOR, ".send").text == "Lähetä")


def test_a_chosen_language_is_kept_and_shown_as_chosen(live_server, browser):
    """Choosing Swedish in the selector: the panel is marked Swedish, the selector shows Swedish, and a
    message in English does not override the resident's own choice."""
    from selenium.webdriver.support.ui import Select

    browser.get(live_server.url + "/")
    root = shadow(browser)
    open_widget_with_keyboard(browser, root)
    Select(root.find_element(By.CSS_SELECTOR, "#tinget-lang")).select_by_value("sv")
    WebDriverWait(browser, 5).until(lambda d: root.find_element(By.CSS_SELECTOR, ".send").text == "Skicka")
    assert root.find_element(By.CSS_SELECTOR, ".panel").get_attribute("lang") == "sv"
    assert root.find_element(By.CSS_SELECTOR, "#tinget-lang").get_attribute("value") == "sv"
    root.find_element(By.CSS_SELECTOR, "#tinget-input").send_keys(
        "Could you tell me how I apply for a place in kindergarten?", Keys.ENTER)
    wait_text(browser, root, ".msg.resident", "kindergarten")
    WebDriverWait(browser, 10).until(lambda d: root.find_elements(By.CSS_SELECTOR, ".msg.bot"))
    assert root.find_element(By.CSS_SELECTOR, ".send").text == "Skicka"
    assert root.find_element(By.CSS_SELECTOR, ".panel").get_attribute("lang") == "sv"


@pytest.mark.parametrize("families, flips", [(None, False), ((), True)], ids=["server-families", "no-families"])
def test_the_widget_takes_its_language_families_from_the_server(live_server, browser, monkeypatch, families, flips):
    """A Danish message on a Norwegian page: with the server's families (bokmål, nynorsk, Danish) the
    widget's texts stay bokmål; with the server's list emptied, the same widget flips them to Danish. The
    widget has no list of its own (tinget.language.LANGUAGE_FAMILIES, delivered by /widget/config)."""
    import time

    import tinget.language as language_module

    if families is not None:
        monkeypatch.setattr(language_module, "LANGUAGE_FAMILIES", families)
    browser.get(live_server.url + "/")
    root = shadow(browser)
    open_widget_with_keyboard(browser, root)
    assert root.find_element(By.CSS_SELECTOR, "label[for=tinget-lang]").text == "Språk"
    root.find_element(By.CSS_SELECTOR, "#tinget-input").send_keys(
        "Jeg vil gerne vide, hvornår min ansøgning om en børnehaveplads bliver behandlet", Keys.ENTER)
    wait_text(browser, root, ".msg.resident", "ansøgning")
    assert root.find_element(By.CSS_SELECTOR, ".msg.resident .body").get_attribute("lang") == "da"
    if flips:
        WebDriverWait(browser, 10).until(
            lambda d: root.find_element(By.CSS_SELECTOR, "label[for=tinget-lang]").text == "Sprog")
        assert root.find_element(By.CSS_SELECTOR, ".panel").get_attribute("lang") == "da"
    else:
        time.sleep(1.5)  # a flip would have loaded the Danish texts by now
        assert root.find_element(By.CSS_SELECTOR, "label[for=tinget-lang]").text == "Språk"
        assert root.find_element(By.CSS_SELECTOR, ".panel").get_attribute("lang") == "nb"


def test_texts_saved_by_an_older_version_show_no_raw_keys_offline(live_server, browser):
    """The server cannot be reached for the texts, and the browser still has texts saved by an older
    version, before 'privacy_summary' (and the e-mail texts) existed: the widget shows its built-in text
    for each missing key, never the key itself."""
    from web.widget_strings import STRINGS

    browser.get(live_server.url + "/")
    root = shadow(browser)
    WebDriverWait(browser, 10).until(lambda d: root.find_element(By.CSS_SELECTOR, ".launcher").text not in ("", "…"))
    saved = browser.execute_script("""
        var keys = Object.keys(localStorage).filter(function (k) { return k.indexOf('tinget-cfg:') === 0; });
        keys.forEach(function (k) {
          var cfg = JSON.parse(localStorage.getItem(k));
          ['privacy_summary', 'email_label', 'email_address', 'email_save'].forEach(function (s) { delete cfg.strings[s]; });
          localStorage.setItem(k, JSON.stringify(cfg));
        });
        return keys;""")
    assert saved, "the widget saves the texts it loaded"
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/api/v1/widget/config*"]})
    browser.refresh()
    root = shadow(browser)
    open_widget_with_keyboard(browser, root)
    WebDriverWait(browser, 10).until(lambda d: root.find_element(By.CSS_SELECTOR, ".status").text)
    assert root.find_element(By.CSS_SELECTOR, ".send").text == "Send"  # the saved texts are in use ...
    assert root.find_element(By.CSS_SELECTOR, "label[for=tinget-lang]").text == "Språk"
    summary = root.find_element(By.CSS_SELECTOR, ".privacy summary")
    assert summary.is_displayed() and summary.text == "Privacy"  # ... and the built-in one for the missing key
    shown = browser.execute_script("""
        var out = [];
        arguments[0].querySelectorAll('*').forEach(function (n) {
          if (n.children.length === 0) { out.push(n.textContent.trim()); }
          ['aria-label', 'placeholder'].forEach(function (a) { if (n.getAttribute(a)) { out.push(n.getAttribute(a)); } });
        });
        return out;""", root.find_element(By.CSS_SELECTOR, ".panel"))
    raw = set(shown) & set(STRINGS["en"])
    assert not raw, f"raw keys shown: {raw}"
