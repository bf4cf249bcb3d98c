"""The keyboard focus ring is visible on every background (WCAG 2.1 1.4.11 non-text contrast, technique
C40: two colours of at least 9:1 between them, so one of them contrasts with whatever is around). The
yellow ring alone was 1.6:1 on white. Measured from the computed style of the element that keyboard focus
reached, in the console pages and in the resident widget."""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.e2e.test_widget import shadow

pytestmark = pytest.mark.browser

STYLE = """const el = arguments[0]; const s = getComputedStyle(el);
return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow];"""


def _rgb(text: str) -> tuple[int, int, int]:
    return tuple(int(v) for v in re.findall(r"\d+", text)[:3])


def _luminance(rgb) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _assert_two_colour_ring(style):
    outline_style, width, outline, shadow_ = style
    assert outline_style == "solid" and float(width.rstrip("px")) >= 2, style
    ring = re.search(r"rgb\([^)]*\)", shadow_)
    assert ring, f"no second colour around the focus outline: {style}"
    outline_rgb, ring_rgb = _rgb(outline), _rgb(ring.group(0))
    assert contrast(outline_rgb, ring_rgb) >= 9, (outline_rgb, ring_rgb)
    white, accent = (255, 255, 255), (11, 83, 148)  # page background and the blue top bar / widget header
    for background in (white, accent):
        assert max(contrast(outline_rgb, background), contrast(ring_rgb, background)) >= 3, background


def test_console_focus_ring_shows_on_white_and_on_the_blue_bar(live_server, browser):
    browser.get(live_server.url + "/auth/login?lang=nb")
    ActionChains(browser).send_keys(Keys.TAB).perform()
    seen = []
    for _ in range(6):
        focused = browser.switch_to.active_element
        if focused.tag_name != "body" and focused.is_displayed():
            seen.append(focused.tag_name)
            _assert_two_colour_ring(browser.execute_script(STYLE, focused))
        ActionChains(browser).send_keys(Keys.TAB).perform()
    assert seen, "keyboard focus reached no visible element"


def test_widget_focus_ring_inside_its_shadow_root(live_server, browser):
    browser.get(live_server.url + "/")
    root = shadow(browser)
    launcher = WebDriverWait(browser, 10).until(
        lambda d: (b := root.find_element(By.CSS_SELECTOR, ".launcher")) and b.text not in ("", "…") and b)
    for _ in range(40):  # Tab through the demo page until focus enters the widget
        ActionChains(browser).send_keys(Keys.TAB).perform()
        if browser.execute_script("return document.activeElement.tagName") == "TINGET-CHAT":
            break
    assert browser.execute_script("return document.activeElement.shadowRoot.activeElement") == launcher
    _assert_two_colour_ring(browser.execute_script(STYLE, launcher))
    launcher.send_keys(Keys.ENTER)
    close = root.find_element(By.CSS_SELECTOR, ".head button")
    browser.execute_script("arguments[0].focus()", close)  # keyboard modality: :focus-visible applies
    _assert_two_colour_ring(browser.execute_script(STYLE, close))
