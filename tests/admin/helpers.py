"""Shared steps of the KB admin tests: log in, read the editor, post its forms (with their CSRF tokens)."""

from __future__ import annotations

from tests.conftest import csrf_token, login

ADMIN = ("admin@fjordvik.example", "demo-admin")
SCHOOL = ("skole@fjordvik.example", "demo-skole")


def admin_client(app, who=ADMIN, lang="en"):
    client = app.test_client()
    client.get(f"/auth/login?lang={lang}")  # the session keeps the page language
    resp = login(client, *who)
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    return client


def editor(client, intent, lang):
    resp = client.get(f"/admin/kb/{intent}/{lang}")
    assert resp.status_code == 200, resp.status_code
    return resp.get_data(as_text=True)


def action(client, intent, lang, what, follow=True):
    """Press one of the editor's buttons (override, publish, discard, remove)."""
    token = csrf_token(editor(client, intent, lang))
    data = {"csrf_token": token, **({"confirm": "1"} if what in ("discard", "remove") else {})}  # and confirm
    return client.post(f"/admin/kb/{intent}/{lang}/{what}", data=data, follow_redirects=follow)


def save(client, intent, lang, *, title, body, source_url="/x", department="culture", publish=True):
    token = csrf_token(editor(client, intent, lang))
    data = {"csrf_token": token, "title": title, "body": body, "source_url": source_url, "department": department}
    data["publish" if publish else "save_draft"] = "1"
    return client.post(f"/admin/kb/{intent}/{lang}", data=data, follow_redirects=True)


def dialogue_answer(app, intent, lang, municipality="fjordvik"):
    """What the bot answers for a recognised intent: the action server's own dialogue code
    (bot.dialogue.respond over bot.dialogue.Knowledge) on the app's live database."""
    from sqlalchemy import select

    from bot.dialogue import Heard, Knowledge, Memory, respond
    from tinget.db import make_session_factory
    from tinget.models import Municipality

    session = make_session_factory(app.config["SQLALCHEMY_DATABASE_URI"])()  # a separate process's view
    try:
        m = session.scalar(select(Municipality).where(Municipality.slug == municipality))
        heard = Heard(intent=intent, top_intent=intent, top_confidence=0.99,
                      ranking=[{"name": intent, "confidence": 0.99}], lang=lang, text="?")
        reply = respond(heard, Memory(), Knowledge(session, m))
        return reply.messages[0]
    finally:
        session.close()
        session.get_bind().dispose()
