"""Reading and answering in the widget, found by an exploratory test (bokmål page, keyboard): the server's
English error text in a Norwegian widget, a long answer scrolled to its end, focus left on a chosen
quick-reply button of an unnamed group, and links that open a new tab without saying so (WCAG G201).

Rasa is not started: the resident's message becomes a case; the replies are stored as the bot or a
caseworker would store them, and the widget's poll (every 3 s) brings them."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.e2e.test_widget import open_widget_with_keyboard, shadow, wait_text

pytestmark = pytest.mark.browser


def _resident_starts(live_server, browser, text="Jeg har et spørsmål om fakturaen"):
    browser.get(live_server.url + "/")
    root = shadow(browser)
    open_widget_with_keyboard(browser, root)
    root.find_element(By.CSS_SELECTOR, "#tinget-input").send_keys(text, Keys.ENTER)
    wait_text(browser, root, ".msg.resident", text[:12])
    return root


def _reply(app, sender, text, html, **meta):
    from sqlalchemy import select

    from web.extensions import db
    from web.models import Conversation, Message

    with app.app_context():
        conv = db.session.scalar(select(Conversation).order_by(Conversation.id.desc()))
        db.session.add(Message(conversation_id=conv.id, sender=sender, text=text, html=html, lang="nb", meta=meta))
        db.session.commit()


def _active(browser):
    return browser.execute_script("var a = document.activeElement; return a.shadowRoot ? a.shadowRoot.activeElement : a")


def test_a_message_that_is_too_long_is_told_in_the_widgets_language(live_server, browser):
    root = _resident_starts(live_server, browser)
    box = root.find_element(By.CSS_SELECTOR, "#tinget-input")
    browser.execute_script("arguments[0].value = 'a'.repeat(4100)", box)  # past maxlength (a script, a paste)
    box.send_keys(Keys.ENTER)
    status = root.find_element(By.CSS_SELECTOR, ".status")
    WebDriverWait(browser, 10).until(lambda d: "lang" in status.text)
    assert status.text == "Meldingen er for lang. Gjør den kortere og prøv igjen."
    assert len(box.get_attribute("value")) == 4100, "the text stays to be shortened"


def test_a_long_answer_is_shown_from_its_start(app, live_server, browser):
    root = _resident_starts(live_server, browser)
    lines = [f"Punkt {i}: om fakturaen og betalingen din." for i in range(1, 60)]
    _reply(app, "caseworker", "\n".join(lines), "<p>" + "<br>".join(lines) + "</p>")
    wait_text(browser, root, ".msg.caseworker", "Punkt 59")
    log = root.find_element(By.CSS_SELECTOR, ".log")
    answer = root.find_elements(By.CSS_SELECTOR, ".msg.caseworker")[-1]
    offset = browser.execute_script("return arguments[0].getBoundingClientRect().top - arguments[1].getBoundingClientRect().top",
                                    answer, log)
    assert 0 <= offset <= 20, f"the answer's start is at the top of the log ({offset} px below it)"
    # the next question goes to the end again
    root.find_element(By.CSS_SELECTOR, "#tinget-input").send_keys("Takk!", Keys.ENTER)
    wait_text(browser, root, ".msg.resident", "Takk!")
    assert browser.execute_script("var l = arguments[0]; return l.scrollHeight - l.clientHeight - l.scrollTop", log) <= 1


def test_a_quick_reply_by_keyboard_moves_focus_to_the_input_and_its_group_is_named(app, live_server, browser):
    root = _resident_starts(live_server, browser)
    _reply(app, "bot", "Gjelder det en faktura?", "<p>Gjelder det en faktura?</p>",
           buttons=[{"title": "Ja", "payload": "/affirm"}, {"title": "Nei", "payload": "/deny"}])
    group = WebDriverWait(browser, 15).until(lambda d: root.find_elements(By.CSS_SELECTOR, ".quick"))[0]
    assert group.get_attribute("role") == "group" and group.get_attribute("aria-label") == "Svaralternativer"
    button = group.find_elements(By.CSS_SELECTOR, "button")[0]
    browser.execute_script("arguments[0].focus()", button)
    button.send_keys(Keys.ENTER)
    wait_text(browser, root, ".msg.resident", "Ja")
    assert _active(browser).get_attribute("id") == "tinget-input"


def test_links_that_open_a_new_tab_say_so(app, live_server, browser):
    root = _resident_starts(live_server, browser)
    _reply(app, "bot", "Se [fakturaer](https://fjordvik.example/faktura).",
           '<p>Se <a href="https://fjordvik.example/faktura" rel="noopener noreferrer" target="_blank">fakturaer</a>.</p>',
           source_url="https://fjordvik.example/faktura", source_label="Kilde")
    wait_text(browser, root, ".msg.bot", "fakturaer")
    links = root.find_elements(By.CSS_SELECTOR, ".msg.bot a[target=_blank]")
    assert len(links) == 2
    for link in links:
        hidden = link.find_element(By.CSS_SELECTOR, ".vh")
        assert hidden.get_attribute("textContent") == " (åpnes i ny fane)"
    privacy = root.find_element(By.CSS_SELECTOR, ".notice a[target=_blank] .vh")  # the privacy policy's link
    assert privacy.get_attribute("textContent") == " (åpnes i ny fane)"
    live = root.find_element(By.CSS_SELECTOR, "[role=status]").get_attribute("textContent")
    assert "ny fane" not in live, "the live region reads the answer, not the link hints"


def test_what_the_redactor_removed_is_said_in_the_widgets_language(live_server, browser):
    """A resident saw their own message back as "Ring meg på <PHONE>, hilsen <PERSON>": the redactor's
    placeholders read as a fault. The widget says what was removed, in its language, as text (not HTML)."""
    root = _resident_starts(live_server, browser, "Ring meg på 412 34 567, hilsen Kari Nordmann <b>fet</b>")
    mine = root.find_elements(By.CSS_SELECTOR, ".msg.resident .body")[-1]
    WebDriverWait(browser, 10).until(lambda d: "fjernet" in mine.text)
    assert mine.text == "Ring meg på [telefonnummer fjernet], hilsen [navn fjernet] <b>fet</b>"
    assert [s.text for s in mine.find_elements(By.CSS_SELECTOR, ".redacted")] == ["[telefonnummer fjernet]",
                                                                                 "[navn fjernet]"]
    assert not mine.find_elements(By.CSS_SELECTOR, "b")
