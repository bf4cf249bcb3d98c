"""The KB editor against the real app: list, local override, drafts, publishing live for the bot's
dialogue and the suggester, bad Markdown and placeholders, history, diff, rollback, access."""

from __future__ import annotations

from tests.admin.helpers import action, admin_client, dialogue_answer, save

LIBRARY = ("library", "nb")


def test_list_shows_base_articles_per_topic_and_language(app):
    client = admin_client(app)
    page = client.get("/admin/kb/?lang=nb").get_data(as_text=True)
    assert "library" in page and "elder_care_visiting" in page
    assert "National base" in page or "Nasjonal" in page


def test_override_published_is_what_the_bot_answers(app):
    client = admin_client(app)
    before = dialogue_answer(app, *LIBRARY)
    assert before["type"] == "answer"
    action(client, *LIBRARY, "override")
    page = save(client, *LIBRARY, title="Biblioteket i {municipality.name}",
                body="Biblioteket har **nye** åpningstider: {hours.library_weekdays}. Ring {municipality.phone}.",
                source_url="/kultur/bibliotek", department="culture").get_data(as_text=True)
    assert "flash-error" not in page, page
    after = dialogue_answer(app, *LIBRARY)
    assert "nye" in after["text"] and "Fjordvik kommune" in after["title"]
    assert "10:00–19:00" in after["text"] and "+47 55 50 10 00" in after["text"]
    assert after["source_url"] == "https://www.fjordvik.example/kultur/bibliotek"

