"""Redis fan-out between web workers (web/services/fanout.py), against Debian's redis-server.

Two app instances stand for two gunicorn workers sharing one database and one suggester index
directory: a change in one (an accepted reply entering the index) reaches the other's drafts through
a Redis notice. When Redis stops, workers fall back to checking the index files on every request:
slower, never stale; publishing never raises."""

from __future__ import annotations

import time

import pytest

from tests.conftest import make_app
from web.services.fanout import Fanout


def _until(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def hubs(redis_server):
    a, b = Fanout(redis_server.url, reconnect_delay=0.2), Fanout(redis_server.url, reconnect_delay=0.2)
    b.changed("warm-up")  # starts b's subscriber
    assert _until(lambda: b.live), "the subscriber did not connect"
    yield a, b
    a.close()
    b.close()


def test_a_notice_reaches_the_other_worker_once(hubs):
    a, b = hubs
    assert b.changed("suggester:fjordvik") is True  # first look after subscribing: check once
    assert b.changed("suggester:fjordvik") is False  # nothing new: no disk check needed
    assert a.publish("suggester:fjordvik") is True
    assert _until(lambda: b.changed("suggester:fjordvik"))
    assert b.changed("suggester:fjordvik") is False
    assert b.changed("suggester:other") is True and b.changed("suggester:other") is False


def test_redis_down_means_check_every_time_and_publish_never_raises(redis_server, hubs):
    a, b = hubs
    b.changed("suggester:fjordvik")
    redis_server.stop()
    try:
        assert _until(lambda: not b.live), "the subscriber did not notice Redis stopping"
        assert b.changed("suggester:fjordvik") is True and b.changed("suggester:fjordvik") is True
        assert a.publish("suggester:fjordvik") is False
    finally:
        redis_server.start()
    assert _until(lambda: b.changed("x") is not None and b.live, timeout=15), "no reconnect after Redis came back"
    assert b.changed("suggester:fjordvik") is True  # notices may have been missed while down: check once
    assert b.changed("suggester:fjordvik") is False


def test_no_redis_configured_always_checks():
    hub = Fanout("")
    assert hub.changed("suggester:fjordvik") is True and hub.changed("suggester:fjordvik") is True
    assert hub.publish("suggester:fjordvik") is False


def test_accepted_reply_in_one_worker_is_drafted_by_the_other(tmp_path, redis_server):
    from sqlalchemy import select

    from suggester.documents import Document
    from tests.conftest import build_small_index
    from tinget.models import Municipality
    from web.extensions import db
    from web.services import drafts

    first = make_app(tmp_path, SUGGESTER_ENABLED=True, REDIS_URL=redis_server.url)
    build_small_index(first)
    second = make_app(tmp_path, SUGGESTER_ENABLED=True, REDIS_URL=redis_server.url)  # same DB and index dir
    question = "Kan jeg ta med hunden min inn på biblioteket?"
    reply = "Hunder er velkomne i bibliotekets foajé, men ikke i lesesalen."
    with second.app_context():
        municipality = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
        svc = drafts.service(municipality, build_if_missing=False)
        assert svc is not None and "reply:dog" not in svc.docs
        assert _until(lambda: drafts.fanout().live)
        drafts.service(municipality, build_if_missing=False)  # the first look after subscribing
    with first.app_context():
        municipality = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
        drafts.service(municipality, build_if_missing=False).add(
            [Document.reply("reply:dog", question, reply, lang="nb", department="culture", intent="")])
    with second.app_context():
        municipality = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
        assert _until(lambda: "reply:dog" in drafts.service(municipality, build_if_missing=False).docs)
        ranked = drafts.service(municipality, build_if_missing=False).rank("Får hunden bli med på biblioteket?")
        assert ranked and ranked[0].doc.id == "reply:dog"
    for app in (first, second):
        with app.app_context():
            drafts.fanout().close()
            db.session.remove()
            db.engine.dispose()
