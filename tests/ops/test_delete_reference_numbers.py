"""A case number no case can have (past 64 bits, or a digit that is not 0-9 such as "²") finds nothing:
it was an OverflowError traceback in `tinget privacy delete` and a 500 on the admin's deletion page."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token, login

ADMIN = ("admin@fjordvik.example", "demo-admin")

NUMBERS = ["99999999999999999999", "#99999999999999999999", "²", "#١٢"]


@pytest.mark.parametrize("number", NUMBERS)
def test_the_command_line_says_nothing_was_found(app, number):
    from web.cli import cli

    result = app.test_cli_runner().invoke(cli, ["privacy", "delete", number, "--yes"])
    assert result.exit_code == 1, result.output
    assert "nothing was deleted" in result.output and "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("number", NUMBERS)
def test_the_admin_page_says_nothing_was_found(app, client, number):
    login(client, *ADMIN)
    page = client.get("/admin/delete")
    resp = client.post("/admin/delete", data={"csrf_token": csrf_token(page.get_data(as_text=True)), "case": number})
    assert resp.status_code == 400
