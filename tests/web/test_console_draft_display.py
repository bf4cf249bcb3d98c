"""The drafts on a case page, found by an exploratory test: the draft showed its raw Markdown ("**",
"[text](url)") to the caseworker, the drafts were numbered twice ("1." and "Draft 1"), the draft
shortcuts were listed on cases without drafts, and a 'no good draft' case listed the same article once
per language version (three identical "Kontakt kommunen" links) or an empty list under its heading."""

from __future__ import annotations

import html as htmllib
import re

from tests.conftest import csrf_token, login
from tests.web.test_console import SCHOOL, _open_case

DRAFT = "Hei!\n\nDu søker **på nett**: [Søknad om barnehageplass](https://fjordvik.example/barnehage)\n\nMvh\nSkole"


def _with_drafts(app, case_id, *drafts):
    from web.extensions import db
    from web.models import Case, Draft

    with app.app_context():
        case = db.session.get(Case, case_id)
        case.drafts.clear()
        for rank, fields in enumerate(drafts):
            case.drafts.append(Draft(rank=rank, **{"lang": "nb", **fields}))
        db.session.commit()


def _page(app, client, resident, *drafts) -> str:
    _, case_id = _open_case(app, resident)
    _with_drafts(app, case_id, *drafts)
    if client.get("/console/").status_code != 200:  # not logged in yet
        login(client, *SCHOOL)
    return client.get(f"/console/cases/{case_id}?lang=en").get_data(as_text=True)


def _section(page: str, heading_id: str) -> str:
    match = re.search(rf'<section aria-labelledby="{heading_id}".*?</section>', page, re.S)
    return match.group(0) if match else ""


def _shown(fragment: str) -> str:
    """The text a reader sees: tags (and their attributes) gone."""
    return htmllib.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_a_draft_is_shown_rendered_and_keeps_its_source_for_editing(app, client, resident):
    page = _page(app, client, resident, {"text": DRAFT, "score": 0.8, "sources": []})
    shown = re.search(r'<div class="draft-text"[^>]*>(.*?)</div>', page, re.S)
    assert shown, "the draft is shown"
    assert "**" not in _shown(shown.group(1)) and "](" not in _shown(shown.group(1))
    assert "<strong>på nett</strong>" in shown.group(1)
    assert 'href="https://fjordvik.example/barnehage"' in shown.group(1)
    source = re.search(r'data-source="([^"]*)"', page).group(1)
    assert htmllib.unescape(source) == DRAFT, "E puts the Markdown source into the reply box"
    assert csrf_token(page)


def test_the_draft_shortcuts_are_listed_only_where_there_are_drafts(app, client, resident):
    with_drafts = _section(_page(app, client, resident, {"text": DRAFT, "score": 0.8, "sources": []}), "keys-h")
    assert "choose draft" in with_drafts and "next open case" in with_drafts
    without = _section(_page(app, client, resident), "keys-h")
    assert "choose draft" not in without and "accept the chosen draft" not in without
    assert "next open case" in without and "send the reply" in without
    weak = _section(_page(app, client, resident, {"text": "", "score": 0.1, "sources": [], "status": "no_good"}),
                    "keys-h")
    assert "choose draft" not in weak and "next open case" in weak


def test_nearest_articles_are_listed_once_per_article_with_their_languages(app, client, resident):
    sources = [{"id": f"article:contact:{lang}", "title": "Kontakt kommunen", "url": f"https://fjordvik.example/{lang}",
                "kind": "article", "score": score} for lang, score in (("nb", 0.41), ("nn", 0.39), ("da", 0.30))]
    sources.append({"id": "article:library:nb", "title": "Biblioteket", "url": "https://fjordvik.example/bib",
                    "kind": "article", "score": 0.2})
    drafts = _section(_page(app, client, resident,
                            {"text": "", "score": 0.4, "sources": sources, "status": "no_good"}), "drafts-h")
    items = re.findall(r"<li>(.*?)</li>", drafts, re.S)
    assert len(items) == 2 and _shown(drafts).count("Kontakt kommunen") == 1
    contact = items[0]
    assert '<span lang="nb">Kontakt kommunen</span>' in contact
    for lang, name in (("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk"), ("da", "Dansk")):
        assert f'<a href="https://fjordvik.example/{lang}" lang="{lang}">{name}</a>' in contact
    assert '<a href="https://fjordvik.example/bib" lang="nb">Biblioteket</a> (0.20)' in items[1]


def test_no_nearest_articles_no_heading_for_them(app, client, resident):
    drafts = _section(_page(app, client, resident, {"text": "", "score": 0.0, "sources": [], "status": "no_good"}),
                      "drafts-h")
    assert "No good draft for this case." in drafts
    assert "nearest articles" not in drafts and "<ul" not in drafts


def test_a_draft_of_the_article_the_assistant_already_answered_with_says_so(app, client, resident):
    """Found by an exploratory test: a resident who read the bot's home-care article and then asked for a
    caseworker got that same article as draft 1, with nothing on the page to say it was sent already."""
    from web.extensions import db
    from web.models import Case, Message

    url = "https://www.fjordvik.example/barnehage/soke"
    conv, case_id = _open_case(app, resident)
    with app.app_context():
        case = db.session.get(Case, case_id)
        db.session.add(Message(conversation_id=case.conversation_id, sender="bot", text="Du søker på nett.",
                               lang="nb", meta={"source_url": url, "title": "Søke barnehageplass"}))
        db.session.commit()
    _with_drafts(app, case_id,
                 {"text": "Hei!\n\nDu søker på nett.", "score": 0.9,
                  "sources": [{"id": "article:kindergarten_apply:nb", "kind": "article", "url": url}]},
                 {"text": "Hei!\n\nOm betaling.", "score": 0.5,
                  "sources": [{"id": "article:kindergarten_price:nb", "kind": "article", "url": url + "/pris"}]})
    login(client, *SCHOOL)
    page = client.get(f"/console/cases/{case_id}?lang=en").get_data(as_text=True)
    first, second = re.findall(r'<li class="draft .*?</li>', page, re.S)[:2]
    said = "The assistant already gave the resident this answer in the chat."
    assert said in first and said not in second
    nb = client.get(f"/console/cases/{case_id}?lang=nb").get_data(as_text=True)
    assert "Assistenten har allerede gitt innbyggeren dette svaret i chatten." in nb


def test_each_reject_reason_field_names_its_draft(app, client, resident):
    """Three fields all labelled "Reason" (and the reassign form's fourth): a screen reader's list of form
    fields could not tell them apart."""
    page = _page(app, client, resident, {"text": DRAFT, "score": 0.8, "sources": []},
                 {"text": DRAFT, "score": 0.7, "sources": []})
    labels = [_shown(x) for x in re.findall(r'<label for="reject-\d+">(.*?)</label>', page, re.S)]
    assert labels == ["Reason (Draft 1)", "Reason (Draft 2)"]


def test_a_draft_in_another_language_than_the_residents_says_so(app, client, resident):
    """Found by an exploratory test: a Danish resident's case had an earlier English reply as draft 2, shown
    like the Danish ones; "2" then "A" sent English. A nynorsk draft for a bokmål case is not flagged."""
    _, case_id = _open_case(app, resident)  # the resident writes bokmål
    _with_drafts(app, case_id, {"text": DRAFT, "score": 0.8, "sources": []},
                 {"text": "Hello,\n\nApply online.", "score": 0.5, "sources": [], "lang": "en"},
                 {"text": "Hei!\n\nDu søkjer på nett.", "score": 0.4, "sources": [], "lang": "nn"})
    login(client, *SCHOOL)
    page = client.get(f"/console/cases/{case_id}?lang=en").get_data(as_text=True)
    drafts = re.findall(r'<li class="draft .*?</li>', page, re.S)
    said = "This draft is in English; the resident wrote in Norsk bokmål."
    assert [said in d for d in drafts] == [False, True, False]
    sv = client.get(f"/console/cases/{case_id}?lang=sv").get_data(as_text=True)
    assert "Det här utkastet är på English; invånaren skrev på Norsk bokmål." in sv
