"""Fault tests: a part of the stack fails while residents write. Every message ends up answered or
stored (as a case, or on the open case), and the resident is told what happens; after the part comes
back, residents are answered again. Postgres restarting is in tests/scale/."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from tests.conftest import Resident, make_app


def stored_texts(resident) -> list[str]:
    return [m["text"] for m in resident.messages().get_json()["messages"] if m["sender"] == "resident"]


def assert_told_about_a_case(resp):
    assert resp.status_code == 201, resp.get_data(as_text=True)[:300]
    data = resp.get_json()
    assert data["state"] == "handoff" and data["case"] and data["case"]["status"] == "new"
    notice = data["replies"][0]
    assert notice["sender"] == "bot" and notice["text"].strip()
    return data


# ------------------------------------------------------------------ without Rasa (fast)
def test_suggester_failing_keeps_the_case_and_tells_the_resident(tmp_path, capfd):
    """The draft suggester cannot load its encoder: the case is opened anyway, without drafts."""
    app = make_app(tmp_path, SUGGESTER_ENABLED=True, SUGGESTER_ENCODER="st:/nonexistent/encoder",
                   SUGGESTER_INDEX_DIR=str(tmp_path / "index"))
    resident = Resident(app.test_client())
    data = assert_told_about_a_case(resident.say("Jeg trenger hjelp med en søknad om startlån"))
    assert stored_texts(resident) == ["Jeg trenger hjelp med en søknad om startlån"]
    with app.app_context():
        from web.extensions import db
        from web.models import Case

        case = db.session.get(Case, data["case"]["id"])
        assert case.status == "new" and not case.drafts
        db.session.remove()
        db.engine.dispose()
    assert "drafting failed" in capfd.readouterr().err  # it did fail, inside the request


def _hold_write_lock(db_path, seconds: float, locked: threading.Event):
    conn = sqlite3.connect(db_path, timeout=30, isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    locked.set()
    time.sleep(seconds)
    conn.execute("COMMIT")
    conn.close()


def test_sqlite_locked_briefly_the_message_waits_and_is_stored(tmp_path):
    """Another process (a backup, the CLI) holds the write lock for 2 s: the message waits, then is stored."""
    app = make_app(tmp_path)
    resident = Resident(app.test_client())
    locked = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(tmp_path / "app.db", 2.0, locked))
    holder.start()
    locked.wait(10)
    resp = resident.say("Når er servicetorget åpent i romjulen?")
    holder.join()
    assert_told_about_a_case(resp)  # Rasa is down in this test: stored as a case
    assert stored_texts(resident) == ["Når er servicetorget åpent i romjulen?"]


@pytest.mark.slow
def test_sqlite_locked_too_long_says_send_again_and_the_resend_is_stored(tmp_path):
    """The lock outlasts the busy timeout (10 s): nothing can be stored, so the widget gets a 503 saying
    so (it keeps the text in its input); the resend is stored once the lock is gone."""
    app = make_app(tmp_path)
    resident = Resident(app.test_client())
    locked = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(tmp_path / "app.db", 12.0, locked))
    holder.start()
    locked.wait(10)
    resp = resident.say("Kan jeg få utsatt betalingen av eiendomsskatt?")
    holder.join()
    if resp.status_code == 201:  # the lock ended while we waited: stored
        assert_told_about_a_case(resp)
    else:
        assert resp.status_code == 503
        error = resp.get_json()["error"]
        assert error["code"] == "storage_unavailable" and "send it again" in error["message"]
        assert resp.headers["Retry-After"]
        assert_told_about_a_case(resident.say("Kan jeg få utsatt betalingen av eiendomsskatt?"))
    assert stored_texts(resident) == ["Kan jeg få utsatt betalingen av eiendomsskatt?"]



def test_a_failed_write_gives_the_error_page_not_a_bare_server_error(tmp_path, monkeypatch):
    """A write the database refuses (on Postgres: a NUL in a user's name) left the session needing a
    rollback; the error page's navigation queries it, so the handler itself raised PendingRollbackError
    and the admin got the server's bare "Internal Server Error" instead of the app's page."""
    from tests.admin.helpers import admin_client
    from tests.conftest import csrf_token
    from web.extensions import db
    from web.models import User
    from web.services import user_admin

    def refused_by_the_database(*args, **kwargs):
        db.session.add(User(municipality_id=None, email="x@fjordvik.example", name="x", role="caseworker"))
        db.session.flush()  # NOT NULL municipality_id: IntegrityError

    app = make_app(tmp_path)
    monkeypatch.setattr(user_admin, "create_user", refused_by_the_database)
    client = admin_client(app)
    token = csrf_token(client.get("/admin/users/new").get_data(as_text=True))
    resp = client.post("/admin/users/new", data={"csrf_token": token, "name": "Ola", "email": "ola@fjordvik.example",
                                                 "role": "caseworker", "lang": "en", "password": "x" * 14})
    assert resp.status_code == 500
    assert "Nothing was lost. Please try again." in resp.get_data(as_text=True)
    assert client.get("/admin/users").status_code == 200  # the next request works as before
    with app.app_context():
        db.session.remove()
        db.engine.dispose()

# ------------------------------------------------------------------ with the real Rasa stack
QUESTION = "Når er biblioteket åpent?"


def _answered(resp) -> dict:
    assert resp.status_code == 201, resp.get_data(as_text=True)[:300]
    data = resp.get_json()
    assert data["route"] in ("answer", "clarify", "chitchat"), data
    assert data["replies"] and data["replies"][0]["text"].strip()
    return data


@pytest.mark.rasa
def test_action_server_down_turns_messages_into_cases_then_recovers(rasa_stack, stack_resident):
    _answered(stack_resident().say(QUESTION))
    rasa_stack.stop("actions")
    try:
        resident = stack_resident()
        assert_told_about_a_case(resident.say(QUESTION))
        assert stored_texts(resident) == [QUESTION]
    finally:
        rasa_stack.start_actions()
        rasa_stack.wait_ready(120)
    _answered(stack_resident().say(QUESTION))


@pytest.mark.rasa
def test_rasa_killed_mid_conversation_and_restarted(rasa_stack, stack_resident):
    import os
    import signal

    app = rasa_stack.app
    saved_url = app.config["RASA_URL"]
    before = stack_resident()
    _answered(before.say(QUESTION))
    os.killpg(rasa_stack.procs["rasa"].pid, signal.SIGKILL)  # a crash, not a clean shutdown
    rasa_stack.procs["rasa"].wait(30)
    try:
        # Mid-conversation: the next message becomes a case, and the resident is told so.
        assert_told_about_a_case(before.say("Og når er det åpent i sommerferien?"))
        # While the bot is away, the case collects further messages (nothing is dropped).
        follow_up = before.say("Jeg venter på svar")
        assert follow_up.status_code == 201 and follow_up.get_json()["route"] == "paused"
        assert stored_texts(before) == [QUESTION, "Og når er det åpent i sommerferien?", "Jeg venter på svar"]
    finally:
        rasa_stack.start_rasa()
        rasa_stack.wait_ready(600)
    # With a second server listed, conversations fail over instead of becoming cases.
    app.extensions.pop("tinget.rasa", None)
    try:
        app.config["RASA_URL"] = f"http://127.0.0.1:9,{rasa_stack.rasa_url}"  # first one is dead
        from web.services.rasa_client import RasaClient

        client = RasaClient(app.config["RASA_URL"])
        resident = stack_resident()
        while client.servers_for(resident.id)[0] != "http://127.0.0.1:9":  # one whose first choice is dead
            resident = stack_resident()
        _answered(resident.say(QUESTION))
    finally:
        app.config["RASA_URL"] = saved_url
        app.extensions.pop("tinget.rasa", None)
    _answered(stack_resident().say(QUESTION))  # the restarted server answers new residents


@pytest.mark.rasa
def test_rasa_hung_residents_are_told_at_once_after_the_first_timeout(rasa_stack, stack_resident):
    """Rasa stops answering without closing its port (stopped, or its event loop blocked). The first
    message waits out RASA_TIMEOUT and becomes a case; the next residents are told within about a second
    (the server is probed first), instead of each waiting the whole timeout while holding a web thread.
    When Rasa answers again, so does the bot."""
    import os
    import signal

    app = rasa_stack.app
    saved_timeout = app.config["RASA_TIMEOUT"]
    app.config["RASA_TIMEOUT"] = 3
    app.extensions.pop("tinget.rasa", None)  # a client with this timeout
    _answered(stack_resident().say(QUESTION))
    pgid = os.getpgid(rasa_stack.procs["rasa"].pid)
    os.killpg(pgid, signal.SIGSTOP)
    try:
        first = stack_resident()
        start = time.monotonic()
        assert_told_about_a_case(first.say(QUESTION))
        assert time.monotonic() - start >= 3
        for _ in range(2):
            resident = stack_resident()
            start = time.monotonic()
            assert_told_about_a_case(resident.say(QUESTION))
            assert time.monotonic() - start < 2.5, "a resident waited the whole timeout again"
            assert stored_texts(resident) == [QUESTION]
    finally:
        os.killpg(pgid, signal.SIGCONT)
    try:
        rasa_stack.wait_ready(120)
        _answered(stack_resident().say(QUESTION))  # the probe finds it answering again
    finally:
        app.config["RASA_TIMEOUT"] = saved_timeout
        app.extensions.pop("tinget.rasa", None)
