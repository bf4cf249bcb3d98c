"""Deletion on request reaches what the suggester learned from a case: its accepted replies (tested in
test_deletion_admin) and the rejections of its drafts, which kept the vector of the resident's question."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import make_app


def test_deleting_a_conversation_forgets_the_rejections_of_its_cases(tmp_path):
    """A rejected draft is remembered as the resident's question's vector. It had no link to its case, so a
    deletion on request left it until RETENTION_DAYS_LEARNED; now it carries its case and leaves with it
    (another case's rejection, and one recorded before rejections kept their case, stay)."""
    from tinget.models import Municipality
    from web.extensions import db
    from web.models import Case, Conversation, Draft, Message
    from web.services import deletion, drafts

    app = make_app(tmp_path, SUGGESTER_ENABLED=True, SUGGESTER_INDEX_DIR=str(tmp_path / "index"))
    with app.app_context():
        from kb.models import Article

        for article in db.session.scalars(select(Article)):  # a small KB keeps the index build short
            if article.lang != "nb" or article.intent not in ("library", "waste_collection"):
                article.status = "draft"
        municipality = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
        db.session.commit()
        drafts.reindex(municipality)
        svc = drafts.service(municipality, build_if_missing=False)
        article = next(d for d in svc.docs.values() if d.kind == "article")
        cases = []
        for text in ("Når hentes søpla hos meg i Storgata?", "Når hentes papiret hos oss?"):
            conv = Conversation(municipality_id=municipality.id, lang="nb")
            conv.messages.append(Message(sender="resident", text=text, lang="nb", route="handoff"))
            case = Case(municipality_id=municipality.id, department="service_desk", reason="low_confidence", lang="nb")
            case.drafts = [Draft(rank=0, text="…", sources=[{"source_id": article.id}])]
            conv.cases.append(case)
            db.session.add(conv)
            db.session.commit()
            drafts.reject(case, case.drafts[0], "wrong topic")  # the caseworker's click
            cases.append(case)
        svc.record_feedback("Når tømmes glassdunken?", "nb", article.id, "reject")  # recorded before: no case
        assert [r.get("origin") for r in svc.rejections] == [f"case:{c.id}" for c in cases] + [None]

        deletion.delete_conversation(cases[0].conversation, actor="test")
        svc = drafts.service(municipality, build_if_missing=False)
        assert [r.get("origin") for r in svc.rejections] == [f"case:{cases[1].id}", None]
        assert svc.rejection_vecs.shape[0] == 2
        # persisted: a fresh load of the index (another worker, a restart) has forgotten it too
        fresh = drafts.new_service(municipality)
        fresh.load()
        assert [r.get("origin") for r in fresh.rejections] == [f"case:{cases[1].id}", None]
