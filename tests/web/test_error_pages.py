"""An HTML error page leads somewhere: a caseworker refused a page gets a link back to the case queue,
anyone else a link to the start page; a JSON error stays the bare JSON it was."""

from __future__ import annotations

from tests.conftest import login
from tests.web.test_console import SCHOOL


def test_forbidden_page_links_back_to_the_cases(client):
    login(client, *SCHOOL)  # a caseworker, not an admin
    resp = client.get("/admin/?lang=da", headers={"Accept": "text/html"})
    assert resp.status_code == 403
    assert '<a href="/console/">Tilbage til sagerne</a>' in resp.get_data(as_text=True)
    json = client.get("/admin/", headers={"Accept": "application/json"})
    assert json.status_code == 403 and json.is_json and set(json.get_json()) == {"error"}


def test_not_found_page_links_to_the_start_for_someone_not_logged_in(client):
    resp = client.get("/no-such-page?lang=nn", headers={"Accept": "text/html"})
    assert resp.status_code == 404
    assert '<a href="/">Gå til startsida</a>' in resp.get_data(as_text=True)
