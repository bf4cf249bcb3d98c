"""Browser tests: the real app served on loopback, driven by Debian's headless Chromium."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.processes import ServerThread

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


class LiveServer(ServerThread):
    def __init__(self, app):
        from werkzeug.serving import make_server

        super().__init__(make_server("127.0.0.1", 0, app, threaded=True))
        self.url = f"http://127.0.0.1:{self.server.server_port}"


def _require(path: str, what: str):
    if not Path(path).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{what} missing at {path}: .ci/run installs it")
        pytest.skip(f"{what} not installed")


def log_in(driver, base_url: str, email: str, password: str, timeout: float = 15) -> None:
    """Log in through the real form and wait until the app has answered the POST (left the login page).

    Navigating on right after the click races the login request: the next page may load before the session
    cookie exists and land on the login form instead."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(base_url + "/auth/login?lang=en")
    driver.find_element(By.NAME, "email").send_keys(email)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "[type=submit]").click()
    WebDriverWait(driver, timeout).until(lambda d: "/auth/login" not in d.current_url)


@pytest.fixture
def live_server(app):
    with LiveServer(app) as server:
        yield server


def _chrome():
    _require(CHROMIUM, "chromium")
    _require(CHROMEDRIVER, "chromedriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="tinget-chrome-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", f"--user-data-dir={profile}", "--lang=nb"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_window_size(1280, 900)
    driver.implicitly_wait(0)
    return driver, profile


@contextmanager
def browser_session():
    """A headless Chromium with a profile of its own, quit and its profile removed afterwards (a test module
    that walks many pages keeps one for all its tests: ``with browser_session() as driver``)."""
    driver, profile = _chrome()
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def browser():
    with browser_session() as driver:
        yield driver


@pytest.fixture
def second_browser():
    """Another browser with its own profile: a second person (e.g. the caseworker next to the resident)."""
    with browser_session() as driver:
        yield driver


@pytest.fixture
def axe():
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail("axe-core missing: `make test` runs npm ci")
        pytest.skip("axe-core not installed (npm ci)")
    source = AXE.read_text(encoding="utf-8")

    def run(driver, context="document"):
        driver.execute_script(source)
        result = driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            f"axe.run({context}, {{runOnly: {{type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}}})"
            ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))))"
            ".catch(e => done([{id: 'axe-error', help: String(e)}]));")
        return result

    return run
