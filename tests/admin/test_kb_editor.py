"""The KB editor against the real app: list, local override, drafts, publishing live for the bot's
dialogue and the suggester, bad Markdown and placeholders, history, diff, rollback, access."""

from __future__ import annotations

import re

import pytest

from tests.admin.helpers import ADMIN, SCHOOL, action, admin_client, dialogue_answer, editor, save
from tests.conftest import csrf_token

LIBRARY = ("library", "nb")


def test_list_shows_base_articles_per_topic_and_language(app):
    client = admin_client(app)
    page = client.get("/admin/kb/?language=nb").get_data(as_text=True)
    assert "library" in page and "elder_care_visiting" in page
    assert "National base" in page or "Nasjonal" in page
    english = client.get("/admin/kb/?language=nb&lang=en").get_data(as_text=True)
    assert "<td>Health and care</td>" in english and "<td>health_care</td>" not in english, "departments by name"


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



def _served_version(app, intent, lang):
    from kb.store import find_answer
    from tinget.models import Municipality
    from web.extensions import db

    with app.app_context():
        m = db.session.query(Municipality).filter_by(slug="fjordvik").one()
        return find_answer(db.session, m, intent, lang)


def test_a_draft_changes_nothing_until_published(app):
    client = admin_client(app)
    base_text = dialogue_answer(app, "swimming_sports", "en")["text"]
    page = save(client, "swimming_sports", "en", title="Swimming", body="Draft text about the pool.",
                publish=False).get_data(as_text=True)
    assert "Draft saved" in page
    assert dialogue_answer(app, "swimming_sports", "en")["text"] == base_text
    assert "Draft text about the pool." in editor(client, "swimming_sports", "en")
    list_page = client.get("/admin/kb/?show=drafts").get_data(as_text=True)
    assert "swimming_sports" in list_page and "library" not in list_page

    page = action(client, "swimming_sports", "en", "publish").get_data(as_text=True)
    assert "Published" in page
    assert dialogue_answer(app, "swimming_sports", "en")["text"] == "Draft text about the pool."


def test_placeholder_without_value_is_refused_naming_article_and_placeholder(app):
    client = admin_client(app)
    before = dialogue_answer(app, "library", "en")["text"]
    page = save(client, "library", "en", title="Library",
                body="Open {hours.library_sunday}. See <b>this</b> and [the page](https://x.example.",
                department="culture").get_data(as_text=True)
    assert "Not published" in page
    assert "library/en" in page and "{hours.library_sunday}" in page and "no value" in page
    assert "&lt;b&gt;" in page  # raw HTML named (escaped in the message)
    assert "link is not closed" in page
    assert dialogue_answer(app, "library", "en")["text"] == before  # nothing published
    assert "{hours.library_sunday}" in editor(client, "library", "en")  # the text is kept as a draft


def test_history_diff_and_rollback(app):
    client = admin_client(app)
    save(client, "recycling_station", "nb", title="Gjenvinning", body="Første linje.\nAndre linje.")
    save(client, "recycling_station", "nb", title="Gjenvinning", body="Første linje.\nNy andre linje.\nTredje.")
    assert dialogue_answer(app, "recycling_station", "nb")["text"].startswith("Første linje.\nNy andre")
    page = editor(client, "recycling_station", "nb").split("History of the national base")[0]
    import re

    links = re.findall(r'href="(/admin/kb/recycling_station/nb/versions/(\d+))">Version (\d)', page)
    versions = {number: (url, vid) for url, vid, number in links}
    assert set(versions) >= {"1", "2"}, links
    diff_page = client.get(versions["2"][0]).get_data(as_text=True)
    # the diff says what changed in words, not only in colour
    assert "<del>" in diff_page and "<ins>" in diff_page
    assert "Removed: </span>Andre linje." in diff_page
    assert "Added: </span>Ny andre linje." in diff_page
    assert "2 lines added" in diff_page and "1 line removed" in diff_page

    v1 = client.get(versions["1"][0]).get_data(as_text=True)
    token = csrf_token(v1)
    page = client.post(f"/admin/kb/recycling_station/nb/versions/{versions['1'][1]}/rollback",
                       data={"csrf_token": token}, follow_redirects=True).get_data(as_text=True)
    assert "version 3" in page
    assert dialogue_answer(app, "recycling_station", "nb")["text"] == "Første linje.\nAndre linje."
    assert "rollback to version 1" in editor(client, "recycling_station", "nb")


def test_removing_the_override_falls_back_to_the_base(app):
    client = admin_client(app)
    base = dialogue_answer(app, "property_tax", "nb")
    save(client, "property_tax", "nb", title="Eiendomsskatt", body="Lokal tekst om eiendomsskatt.", department="finance")
    assert dialogue_answer(app, "property_tax", "nb")["text"] == "Lokal tekst om eiendomsskatt."
    assert "Local override" in client.get("/admin/kb/?show=local").get_data(as_text=True)
    page = action(client, "property_tax", "nb", "remove").get_data(as_text=True)
    assert "national base article again" in page
    after = dialogue_answer(app, "property_tax", "nb")
    assert after["text"] == base["text"] and after["article_id"] == base["article_id"]

    # its history is kept: rolling back to its version 1 brings the local text back
    import re

    page = editor(client, "property_tax", "nb")
    assert "The override was removed" in page
    v1 = re.search(r'href="(/admin/kb/property_tax/nb/versions/(\d+))">Version 1<', page)
    version_page = client.get(v1.group(1)).get_data(as_text=True)
    resp = client.post(v1.group(1) + "/rollback", data={"csrf_token": csrf_token(version_page)})
    assert resp.status_code == 302
    assert dialogue_answer(app, "property_tax", "nb")["text"] == "Lokal tekst om eiendomsskatt."


def test_base_changed_since_override_is_shown_with_the_base_diff(app):
    client = admin_client(app)
    save(client, "library", "nn", title="Bibliotek", body="Vår eigen tekst.")
    assert "badge kb-changed" not in client.get("/admin/kb/?language=nn").get_data(as_text=True)

    # the national base is re-imported with a changed text (what the operator's content update does)
    from kb.importer import ImportReport, upsert_article
    from kb.models import Article
    from web.extensions import db

    with app.app_context():
        base = db.session.query(Article).filter_by(municipality_id=None, intent="library", lang="nn").one()
        item = {"intent": "library", "lang": "nn", "title": base.title, "body": base.body + "\n\nNY NASJONAL LINJE.",
                "source_path": base.source_path, "department": base.department}
        upsert_article(db.session, None, item, ImportReport())
        db.session.commit()
    listing = client.get("/admin/kb/?show=changed").get_data(as_text=True)
    assert "library" in listing and "badge kb-changed" in listing
    page = editor(client, "library", "nn")
    assert "The national base changed since this override" in page
    assert "Added: </span>NY NASJONAL LINJE." in page
    # residents still get the local text
    assert dialogue_answer(app, "library", "nn")["text"] == "Vår eigen tekst."
    # saving the override again (after checking the base) clears the notice
    save(client, "library", "nn", title="Bibliotek", body="Vår eigen tekst, sjekka.")
    assert "badge kb-changed" not in client.get("/admin/kb/?show=changed").get_data(as_text=True)


def test_caseworkers_get_403_and_visitors_the_login(app):
    caseworker = admin_client(app, SCHOOL)
    for url in ("/admin/kb/", "/admin/kb/library/nb", "/admin/kb/export.yaml", "/admin/kb/import",
                "/admin/kb/training.csv", "/admin/kb/training/import", "/admin/kb/library/nb/versions/1"):
        assert caseworker.get(url).status_code == 403, url
    assert caseworker.post("/admin/kb/library/nb/override").status_code in (400, 403)
    visitor = app.test_client()
    resp = visitor.get("/admin/kb/")
    assert resp.status_code == 302 and "/auth/login" in resp.headers["Location"]


def test_forms_without_a_csrf_token_are_refused(app):
    client = admin_client(app, ADMIN)
    before = dialogue_answer(app, "library", "nb")["text"]
    resp = client.post("/admin/kb/library/nb", data={"title": "X", "body": "Y", "department": "culture",
                                                     "publish": "1"})
    assert resp.status_code == 400
    for what in ("override", "publish", "remove", "discard"):
        assert client.post(f"/admin/kb/library/nb/{what}", data={}).status_code == 400
    assert dialogue_answer(app, "library", "nb")["text"] == before


def test_unknown_topic_or_language_is_404(app):
    client = admin_client(app)
    assert client.get("/admin/kb/no_such_topic/nb").status_code == 404
    assert client.get("/admin/kb/library/de").status_code == 404


def test_kb_pages_and_problem_messages_are_translated(app):
    for lang, heading, message in [
        ("fi", "<h1>Tietopankki</h1>", "paikkamerkillä {hours.library_sunday} ei ole arvoa kunnan asetuksissa"),
        ("nn", "<h1>Kunnskapsbase</h1>", "plasshaldaren {hours.library_sunday} har ingen verdi i innstillingane til kommunen"),
        ("sv", "<h1>Kunskapsbas</h1>", "platshållaren {hours.library_sunday} har inget värde i kommunens inställningar"),
    ]:
        client = admin_client(app, lang=lang)
        assert heading in client.get("/admin/kb/").get_data(as_text=True)
        page = save(client, "library", "en", title="Library", body="Open {hours.library_sunday}.",
                    department="culture").get_data(as_text=True)
        assert message in page, lang
        assert "Not published" not in page


def test_a_too_long_title_is_shown_and_the_text_is_not_lost(app):
    client = admin_client(app)
    token = csrf_token(editor(client, "library", "en"))
    resp = client.post("/admin/kb/library/en", data={"csrf_token": token, "title": "T" * 301,
                                                     "body": "My careful text.", "department": "culture",
                                                     "publish": "1"})
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "Title: Field cannot be longer than 300 characters." in page and "My careful text." in page


def test_control_characters_pasted_into_the_editor_are_dropped(app):
    """Invisible in the textarea, pasted with text from Word (vertical tab: a line break) or a PDF (form
    feed): a NUL was stored and published as it was (on Postgres, a 500 that lost the draft too)."""
    client = admin_client(app)
    page = save(client, "library", "en", title="Lib\x00rary\x0bhours", body="Open\x00 today.\x0bClosed\x1b Sunday.\x0c",
                source_url="/lib\x00rary", department="culture").get_data(as_text=True)
    assert "Published" in page and "flash-error" not in page, page
    answer = _served_version(app, "library", "en")
    assert (answer.title, answer.body, answer.source_url) == (
        "Library hours", "Open today.\nClosed Sunday.", "https://www.fjordvik.example/library")


TITLE_HTML = {
    "en": "library/en, title: HTML such as &lt;b&gt; is not allowed; the title is shown as plain text.",
    "nb": "library/en, tittel: HTML som &lt;b&gt; er ikke tillatt; tittelen vises som ren tekst.",
    "nn": "library/en, tittel: HTML som &lt;b&gt; er ikkje tillate; tittelen blir vist som rein tekst.",
    "sv": "library/en, rubrik: HTML som &lt;b&gt; är inte tillåtet; rubriken visas som vanlig text.",
    "da": "library/en, titel: HTML som &lt;b&gt; er ikke tilladt; titlen vises som ren tekst.",
    "fi": "library/en, otsikko: HTML, kuten &lt;b&gt;, ei ole sallittu; otsikko näytetään pelkkänä tekstinä.",
}


@pytest.mark.parametrize("lang", list(TITLE_HTML))
def test_html_in_a_title_is_not_published_and_the_message_says_title(app, lang):
    """'<b>Bibliotek</b>' was saved and published as the title (shown as literal text): only the body
    was checked. The message names the title, not a 'body line'."""
    client = admin_client(app, lang=lang)
    before = dialogue_answer(app, "library", "en")["title"]
    page = save(client, "library", "en", title="<b>Library</b>", body="Open today.",
                department="culture").get_data(as_text=True)
    assert TITLE_HTML[lang] in page
    assert "body line" not in page
    assert dialogue_answer(app, "library", "en")["title"] == before


@pytest.mark.parametrize(("what", "heading", "button"), [
    ("discard", "Forkaste utkastet?", "Forkast utkast"),
    ("remove", "Fjerne den lokale tilpasningen?", "Fjern tilpasningen"),
])
def test_discarding_a_draft_or_removing_an_override_asks_first_and_shows_the_draft(app, what, heading, button):
    """"Discard draft" and "Remove override" sit next to Save and Publish and deleted the admin's unpublished text
    with one click, for good. The first press shows the draft that would go and asks; only the confirmation
    changes anything, and "Cancel" leaves the draft as it was."""
    client = admin_client(app, lang="nb")
    save(client, "library", "nb", title="Bibliotek", body="Publisert tekst.")
    save(client, "library", "nb", title="Nytt utkast", body="Et langt utkast jeg har skrevet i en time.",
         publish=False)
    token = csrf_token(editor(client, "library", "nb"))
    page = client.post(f"/admin/kb/library/nb/{what}", data={"csrf_token": token})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and f"<h1>{heading}</h1>" in html
    assert "Et langt utkast jeg har skrevet i en time." in html and "Utkastet nedenfor blir slettet" in html
    assert re.search(rf'<button type="submit" class="button">{button}[^<]*</button>', html)
    assert 'href="/admin/kb/library/nb">Avbryt, ikke slett noe</a>' in html
    assert "Et langt utkast" in editor(client, "library", "nb")  # nothing happened yet
    assert dialogue_answer(app, "library", "nb")["text"].startswith("Publisert tekst.")

    confirm = dict(re.findall(r'<input[^>]*name="(csrf_token|confirm)"[^>]*value="([^"]*)"', html))
    assert confirm["confirm"] == "1"
    client.post(f"/admin/kb/library/nb/{what}", data=confirm)
    assert "Et langt utkast" not in editor(client, "library", "nb")
    answer = dialogue_answer(app, "library", "nb")["text"]
    assert answer.startswith("Publisert tekst.") if what == "discard" else not answer.startswith("Publisert tekst.")


def test_nothing_to_discard_or_remove_is_404_before_asking(app):
    client = admin_client(app)
    token = csrf_token(editor(client, "library", "nb"))
    for what in ("discard", "remove"):
        assert client.post(f"/admin/kb/library/nb/{what}", data={"csrf_token": token}).status_code == 404


TOO_LARGE = {
    "en": "Not saved: what you sent is larger than 512 kB, the limit for one article (at most 20,000 characters",
    "nb": "Ikke lagret: det du sendte, er større enn 512 kB, grensen for én artikkel (høyst 20\u00a0000 tegn",
    "nn": "Ikkje lagra: det du sende, er større enn 512 kB, grensa for éin artikkel (høgst 20\u00a0000 teikn",
    "sv": "Inte sparat: det du skickade är större än 512 kB, gränsen för en artikel (högst 20\u00a0000 tecken",
    "da": "Ikke gemt: det, du sendte, er større end 512 kB, grænsen for én artikel (højst 20.000 tegn",
    "fi": "Ei tallennettu: lähettämäsi tiedot ovat suurempia kuin 512 kt, yhden artikkelin raja (enintään 20\u00a0000 merkkiä",
}


@pytest.mark.parametrize("lang", list(TOO_LARGE))
def test_an_article_post_over_the_size_limit_says_the_limit_in_the_admins_language(app, lang):
    """A POST over MAX_EDIT_BYTES gave the bare 413 page ("What you sent is too large") with no limit, no way back
    to the editor and the text gone. Now: the editor page, with the limit and how to get the text back (the
    body cannot be read, so the browser's history is what keeps it)."""
    client = admin_client(app, lang=lang)
    action(client, "library", "en", "override")  # the editor with its text field
    token = csrf_token(editor(client, "library", "en"))
    resp = client.post("/admin/kb/library/en", data={"csrf_token": token, "title": "Library", "body": "x" * 600_000,
                                                     "department": "culture", "publish": "1"})
    assert resp.status_code == 303  # to the editor: back from there is the page with the text in its fields
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert TOO_LARGE[lang] in page, page[-3000:]
    assert 'name="body"' in page  # the editor, not the bare error page
    assert "no-store" not in (client.get("/admin/kb/library/en").headers.get("Cache-Control") or "")  # back keeps the text
    assert _served_version(app, "library", "en") is None or "x" * 100 not in _served_version(app, "library", "en").body


def test_the_editors_maxlength_keeps_any_browser_form_under_the_size_limit(app):
    """The browser stops typing and pasting at each field's maxlength; the longest form it can then send (every
    character a 3-byte one, percent-encoded as 9 bytes) must be under MAX_EDIT_BYTES, so a browser never gets
    the 413 and a form that long is saved."""
    from web.admin.kb_routes import MAX_EDIT_BYTES

    client = admin_client(app)
    action(client, "library", "en", "override")
    page = editor(client, "library", "en")
    form = page[page.index('<form method="post" class="stack"'):]
    form = form[:form.index("</form>")]
    lengths = {name: int(n) for name, n in re.findall(
        r'<(?:input|textarea)(?=[^>]*name="(title|body|source_url)")(?=[^>]*maxlength="(\d+)")[^>]*>', form)}
    assert set(lengths) == {"title", "body", "source_url"}, form
    worst = sum(len(name) + 2 + 9 * n for name, n in lengths.items()) + 1024  # + token, department, button
    assert worst < MAX_EDIT_BYTES, (worst, MAX_EDIT_BYTES)
    token = csrf_token(page)
    resp = client.post("/admin/kb/library/en", data={"csrf_token": token, "title": "€" * lengths["title"],
                                                     "body": "€" * lengths["body"], "department": "culture",
                                                     "save_draft": "1"})
    assert resp.status_code == 302, resp.status_code  # saved as a draft, no 413


def test_line_breaks_count_once_as_the_browsers_maxlength_counts_them(app):
    """A browser counts a line break as one character for maxlength but sends it as CRLF: a 19,800-character text
    with 1,800 lines passed the browser and was refused with 'Field cannot be longer than 20000 characters'."""
    client = admin_client(app)
    action(client, "library", "en", "override")
    token = csrf_token(editor(client, "library", "en"))
    resp = client.post("/admin/kb/library/en", data={"csrf_token": token, "title": "Library", "department": "culture",
                                                     "body": "Open today\r\n" * 1800, "save_draft": "1"})
    assert resp.status_code == 302, resp.get_data(as_text=True)[-2000:]
    page = editor(client, "library", "en")
    assert "Open today\nOpen today" in page and "Open today\r" not in page  # stored with LF line breaks
