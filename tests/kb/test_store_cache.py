"""The KB version label and system texts are cached per process for a short time (kb/store.py): an
admin's edit in this process shows at once, an edit by another process (another web worker, the action
server) within the cache's lifetime."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select, text


@pytest.fixture
def short_ttl(monkeypatch):
    from kb import store

    monkeypatch.setattr(store._cache, "ttl", 0.3)
    store._cache.clear()
    return store


def test_an_edit_in_this_process_shows_at_once(app, short_ttl):
    from kb.models import SystemText
    from tinget.models import Municipality
    from web.extensions import db

    store = short_ttl
    with app.app_context():
        m = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
        before = store.system_text(db.session, m, "source_label", "nb")
        version = store.kb_version(db.session, m.id)
        assert before and version != "empty"
        db.session.add(SystemText(municipality_id=m.id, key="source_label", lang="nb", text="Kjelde hos oss"))
        db.session.commit()
        assert store.system_text(db.session, m, "source_label", "nb") == "Kjelde hos oss"  # local row wins


def test_an_edit_by_another_process_shows_within_the_ttl(app, short_ttl):
    import time

    from tinget.models import Municipality
    from web.extensions import db

    store = short_ttl
    with app.app_context():
        m = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
        before = store.system_text(db.session, m, "source_label", "en")
        other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])  # a second process's connection
        with other.begin() as conn:
            conn.execute(text("UPDATE kb_system_text SET text = 'Changed elsewhere' "
                              "WHERE key = 'source_label' AND lang = 'en'"))
        other.dispose()
        assert store.system_text(db.session, m, "source_label", "en") == before  # cached
        time.sleep(0.35)
        db.session.rollback()  # a new request: a new transaction
        assert store.system_text(db.session, m, "source_label", "en") == "Changed elsewhere"
