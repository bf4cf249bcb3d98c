"""Publishing an article updates the caseworkers' suggester at once: the article's passages in the
municipality's real FAISS/BM25 index are replaced (and put back to the base text when the override is
removed), without a rebuild or restart."""

from __future__ import annotations

import pytest

from tests.admin.helpers import action, admin_client, save
from tests.conftest import make_app

INTENTS = ("library", "swimming_sports", "recycling_station", "waste_collection")


@pytest.fixture
def suggester_app(tmp_path):
    """The app with the suggester on, its index built (real e5 encoder) from a few published articles."""
    app = make_app(tmp_path, SUGGESTER_ENABLED=True, SUGGESTER_INDEX_DIR=str(tmp_path / "index"))
    with app.app_context():
        from tinget.models import Municipality
        from web.extensions import db
        from web.services import drafts

        m = db.session.query(Municipality).filter_by(slug="fjordvik").one()
        docs = [d for d in drafts.documents(m) if d.intent in INTENTS and d.lang == "nb"]
        from suggester.service import SuggesterService

        svc = SuggesterService(drafts.index_dir(m), app.config["SUGGESTER_ENCODER"])
        svc.build(docs)
        app.extensions[f"tinget.suggester.{m.slug}"] = svc
    yield app
    with app.app_context():
        from web.extensions import db

        db.session.remove()
        db.engine.dispose()


def _svc(app):
    return app.extensions["tinget.suggester.fjordvik"]


def test_published_article_replaces_its_passages_in_the_suggester(suggester_app):
    app = suggester_app
    svc = _svc(app)
    base_text = svc.docs["article:library:nb"].text
    question = "Kan jeg låne en symaskin på biblioteket?"
    from suggester.service import SuggesterService

    other_worker = SuggesterService(svc.index_dir, svc.encoder)  # another web worker's copy, loaded before
    client = admin_client(app)
    save(client, "library", "nb", title="Bibliotek og symaskiner",
         body="Du kan låne symaskin, verktøy og sykkel på biblioteket i {municipality.name} med lånekortet ditt.",
         department="culture")
    doc = svc.docs["article:library:nb"]
    assert "symaskin" in doc.text and "Fjordvik kommune" in doc.text and doc.title == "Bibliotek og symaskiner"
    assert svc.size == len(INTENTS)
    with app.app_context():
        result = svc.suggest(question, "nb", k=1)
    assert result.drafts and result.drafts[0].source_id == "article:library:nb"
    assert "symaskin" in result.drafts[0].text

    # the change is persisted: another worker's copy reloads it, a new process loads it
    assert other_worker.refresh() and "symaskin" in other_worker.docs["article:library:nb"].text
    assert not svc.refresh()  # its own change does not make the editing worker reload
    assert "symaskin" in SuggesterService(svc.index_dir, svc.encoder).docs["article:library:nb"].text

    action(client, "library", "nb", "remove")
    assert svc.docs["article:library:nb"].text == base_text
