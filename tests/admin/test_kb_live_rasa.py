"""Editing → live answer through the real stack: the resident API, the trained Rasa model, the action
server reading the KB from the database. Also measures the time from saving an article to the bot
answering with it (printed; run with -s to see it)."""

from __future__ import annotations

import time

import pytest

from tests.admin.helpers import action, admin_client, editor, save
from tests.conftest import Resident, csrf_token

pytestmark = pytest.mark.rasa
QUESTION = "Når er biblioteket åpent på lørdager?"


def _ask(stack_client) -> dict:
    data = Resident(stack_client).say(QUESTION).get_json()
    assert data["route"] == "answer", data
    # the article (with its source); a question naming a day gets that day's hours before it (bot.day_hours)
    return next(r for r in data["replies"] if r["source_url"])


def test_published_edit_is_the_next_answer_and_rollback_restores_it(rasa_stack, stack_client):
    admin = admin_client(rasa_stack.app)
    base = _ask(stack_client)
    assert "Lørdagsåpent i dag" not in base["text"]
    try:
        action(admin, "library", "nb", "override")
        timings = []
        for n in range(3):
            marker = f"Lørdagsåpent i dag {n}"
            token = csrf_token(editor(admin, "library", "nb"))
            t0 = time.perf_counter()
            resp = admin.post("/admin/kb/library/nb", data={
                "csrf_token": token, "title": "Biblioteket i {municipality.name}", "department": "culture",
                "body": f"**{marker}**: {{hours.library_saturday}}. Ring {{municipality.phone}}.",
                "source_url": "/kultur/bibliotek", "publish": "1"})
            t_saved = time.perf_counter()
            assert resp.status_code == 302
            reply = _ask(stack_client)
            t_answered = time.perf_counter()
            assert marker in reply["text"], reply
            assert "10:00–15:00" in reply["text"] and "+47 55 50 10 00" in reply["text"]
            assert reply["source_url"] == "https://www.fjordvik.example/kultur/bibliotek"
            timings.append((t_saved - t0, t_answered - t0))
        save_s = sorted(t[0] for t in timings)[1]
        answer_s = sorted(t[1] for t in timings)[1]
        print(f"\nKB save -> bot answers with it (median of 3): publish request {save_s * 1000:.0f} ms, "
              f"save to answer through the resident API {answer_s * 1000:.0f} ms")

        # roll back to version 1 of the override: the next answer is that text again
        page = editor(admin, "library", "nb").split("History of the national base")[0]
        import re

        v1 = dict((n, vid) for vid, n in re.findall(r"versions/(\d+)\">Version (\d+)<", page))["1"]
        token = csrf_token(page)
        admin.post(f"/admin/kb/library/nb/versions/{v1}/rollback", data={"csrf_token": token})
        assert "Lørdagsåpent i dag 0" in _ask(stack_client)["text"]
    finally:
        action(admin, "library", "nb", "remove")  # the session's other tests expect the national base
    assert _ask(stack_client)["text"] == base["text"]


def test_bad_placeholder_keeps_the_live_answer(rasa_stack, stack_client):
    admin = admin_client(rasa_stack.app)
    before = _ask(stack_client)["text"]
    try:
        page = save(admin, "library", "nb", title="Bibliotek", body="Åpent {hours.library_sunday}.",
                    department="culture").get_data(as_text=True)
        assert "library/nb" in page and "{hours.library_sunday}" in page
        assert _ask(stack_client)["text"] == before
    finally:
        action(admin, "library", "nb", "discard")
