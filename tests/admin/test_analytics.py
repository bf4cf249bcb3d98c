"""Analytics from a seeded database: the figures, the CSV export, the charts and who may see them."""

from __future__ import annotations

import csv
import io
import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.admin import activity
from tests.conftest import login
from tests.e2e.conftest import axe, browser, live_server, log_in  # noqa: F401  (browser fixtures, reused)
from tinget.models import Municipality
from web.extensions import db
from web.models import TransparencyRecord

ADMIN = ("admin@fjordvik.example", "demo-admin")
CASEWORKER = ("skole@fjordvik.example", "demo-skole")
DAY1 = datetime(2026, 11, 2, 9, 0)


@pytest.fixture
def seeded(app):
    """Day 1: 3 conversations (2 answered, 1 handed over, replied after 2 h with an accepted draft).
    Day 2: 2 conversations in English, both handed over: one replied after 10 h by an edited draft,
    one still waiting. Day 3: nothing."""
    with app.app_context():
        m = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
        activity.add_turn(m, DAY1, "Når åpner biblioteket?", intent="library", route="answer")
        activity.add_turn(m, DAY1 + timedelta(hours=1), "Glass henting?", intent="waste_collection", route="answer")
        msg = activity.add_turn(m, DAY1 + timedelta(hours=2), "Tilskudd varmepumpe?", intent="out_of_scope",
                                route="out_of_scope", confidence=0.3, reason="out_of_scope")
        activity.add_case(m, msg, reply_after=timedelta(hours=2), drafts=("accepted", "proposed"))
        day2 = DAY1 + timedelta(days=1)
        msg = activity.add_turn(m, day2, "Building permit for a shed?", intent="building_permit", route="handoff",
                                lang="en", confidence=0.4, reason="low_confidence")
        activity.add_case(m, msg, reply_after=timedelta(hours=10), drafts=("edited", "rejected"))
        msg = activity.add_turn(m, day2 + timedelta(hours=1), "Who owns the pier?", intent="out_of_scope",
                                route="out_of_scope", lang="en", confidence=0.2, reason="out_of_scope")
        activity.add_case(m, msg, reply_after=None, drafts=("no_good",))
        # outside the range: must not count
        activity.add_turn(m, DAY1 - timedelta(days=5), "gammel", intent="library", route="answer")
        db.session.commit()
    return app


RANGE = "from=2026-11-02&to=2026-11-04"


def test_figures_from_seeded_rows(seeded):
    from web.services import analytics

    with seeded.app_context():
        m = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
        r = analytics.compute(m.id, analytics.parse_range("2026-11-02", "2026-11-04", DAY1.date()))
    assert [(d.isoformat(), n, h) for d, n, h in r.per_day] == [
        ("2026-11-02", 3, 1), ("2026-11-03", 2, 2), ("2026-11-04", 0, 0)]
    assert (r.overall.answered, r.overall.handed_over) == (2, 3)
    by_lang = {s.key: (s.answered, s.handed_over) for s in r.by_lang}
    assert by_lang == {"nb": (2, 1), "en": (0, 2)}
    by_intent = {s.key: (s.answered, s.handed_over) for s in r.by_intent}
    assert by_intent["out_of_scope"] == (0, 2) and by_intent["library"] == (1, 0)
    # two answered cases had drafts: one sent as is, one edited -> 100 %; the waiting one does not count
    assert r.drafts == {"cases_with_drafts": 2, "accepted": 1, "edited": 1, "written_anew": 0, "no_good_draft": 0,
                        "acceptance_rate": 1.0}
    assert r.reply_hours["median"] == pytest.approx(6.0) and r.reply_hours["waiting"] == 1
    assert dict(r.reply_buckets)["1–4 h"] == 1 and dict(r.reply_buckets)["4–24 h"] == 1
    assert r.unanswered[0]["intent"] == "out_of_scope" and r.unanswered[0]["count"] == 2
    assert r.unanswered[0]["example"] == "Who owns the pier?"


def test_routed_mails_group_under_a_translated_reason(seeded):
    """Each routed mail's record carries triage's own English sentence with its scores: the groups of unanswered
    questions showed one row per mail, with that sentence as the reason in a Finnish UI."""
    from web.services import analytics

    with seeded.app_context():
        m = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
        for i, score in enumerate(("0.84", "0.91")):
            msg = activity.add_turn(m, DAY1 + timedelta(hours=3 + i), f"Hakemukseni {i}", intent="social_assistance",
                                    route="handoff", lang="fi",
                                    reason=f"route to welfare (the mail's topic): needs a caseworker: own-case "
                                           f"wording (personal_case {score}) in sentence 1 of 3")
            record = db.session.scalar(select(TransparencyRecord).where(TransparencyRecord.message_id == msg.id))
            record.channel = "mail"
        db.session.commit()
        r = analytics.compute(m.id, analytics.parse_range("2026-11-02", "2026-11-04", DAY1.date()))
    groups = [(g["intent"], g["reason"], g["count"]) for g in r.unanswered]
    assert ("social_assistance", "mail_route", 2) in groups
    client = seeded.test_client()
    login(client, *ADMIN)
    page = client.get(f"/admin/analytics?{RANGE}&lang=fi").get_data(as_text=True)
    assert "route to welfare" not in page and "needs a caseworker" not in page


def test_mail_auto_replies_are_not_caseworker_replies(seeded):
    """A mail answered automatically opens a case with first_reply_at at once and its draft marked sent: it made
    the median time to a caseworker's first reply 0 h and counted as a draft a caseworker sent as is."""
    from web.mail_models import MailItem
    from web.services import analytics

    with seeded.app_context():
        m = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
        for i in range(3):
            msg = activity.add_turn(m, DAY1 + timedelta(hours=4 + i), f"Bibliotek {i}", intent="library", route="answer")
            case = activity.add_case(m, msg, reply_after=timedelta(0), drafts=("accepted",))
            db.session.flush()
            db.session.add(MailItem(municipality_id=m.id, direction="out", message_id=f"<auto-{i}@fjordvik.example>",
                                    case_id=case.id, action="sent", auto_reply=True, reason="auto-reply"))
        db.session.commit()
        r = analytics.compute(m.id, analytics.parse_range("2026-11-02", "2026-11-04", DAY1.date()))
    assert r.drafts["cases_with_drafts"] == 2 and r.drafts["accepted"] == 1
    assert r.reply_hours["replied"] == 2 and r.reply_hours["median"] == pytest.approx(6.0)
    assert dict(r.reply_buckets)["< 1 h"] == 0


def test_mail_is_not_in_the_chat_figures(seeded):
    """Mail has its own section: an automatically answered mail counted as a handed-over conversation, and a
    mail whose answer was only drafted as answered by the bot (exploratory test)."""
    from web.services import analytics

    with seeded.app_context():
        m = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
        before = analytics.compute(m.id, analytics.parse_range("2026-11-02", "2026-11-04", DAY1.date()))
        for i, route in enumerate(("answer", "handoff")):
            msg = activity.add_turn(m, DAY1 + timedelta(hours=5 + i), f"Jätehuolto {i}", intent="waste_collection",
                                    route=route, lang="fi")
            activity.add_case(m, msg, reply_after=None, drafts=("proposed",))
            msg.conversation.channel = "mail"
            db.session.scalar(select(TransparencyRecord).where(TransparencyRecord.message_id == msg.id)).channel = "mail"
        db.session.commit()
        after = analytics.compute(m.id, analytics.parse_range("2026-11-02", "2026-11-04", DAY1.date()))
    assert after.per_day == before.per_day and after.conversations == 5
    assert (after.overall.answered, after.overall.handed_over) == (2, 3)
    assert "fi" not in {s.key for s in after.by_lang}


def test_hours_in_the_ui_languages_decimal_sign(seeded):
    """The median and 90th percentile were printed "6.0 h" with a point in every language: Nordic languages
    write a decimal comma."""
    client = seeded.test_client()
    login(client, *ADMIN)
    for lang, median in (("fi", "6,0 h"), ("sv", "6,0 h"), ("nb", "6,0 h"), ("en", "6.0 h")):
        page = client.get(f"/admin/analytics?{RANGE}&lang={lang}").get_data(as_text=True)
        assert f"<dd>{median}</dd>" in page, lang


def test_csv_export(seeded):
    client = seeded.test_client()
    login(client, *ADMIN)
    resp = client.get(f"/admin/analytics.csv?{RANGE}")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert "attachment" in resp.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))
    assert set(rows[0]) == {"metric", "key", "lang", "value"}
    get = {(r["metric"], r["key"], r["lang"]): r["value"] for r in rows}
    assert get[("conversations", "2026-11-02", "")] == "3"
    assert get[("share_answered", "", "nb")] == "0.6667"
    assert get[("drafts_acceptance_rate", "", "")] == "1.0000"
    assert client.get("/admin/analytics.csv?from=2026-13-01").status_code == 400


def test_page_has_accessible_charts_and_tables(seeded):
    client = seeded.test_client()
    login(client, *ADMIN)
    page = client.get(f"/admin/analytics?{RANGE}&lang=en").get_data(as_text=True)
    for chart in ("per-day", "by-intent", "by-lang", "drafts", "reply-times"):
        assert f'id="chart-{chart}" role="img"' in page
        assert f'aria-labelledby="chart-{chart}-title chart-{chart}-desc"' in page
    assert '<title id="chart-per-day-title">Conversations per day</title>' in page
    assert "5 conversations from 2026-11-02 to 2026-11-04" in page
    # the tile counts messages, beside a chart of conversations: it says so
    assert "<dt>Messages answered by the bot</dt>" in page
    assert page.count("<details>") == 5 and "Who owns the pier?" in page
    assert "style=" not in page  # the CSP forbids inline styles
    bad = client.get("/admin/analytics?from=yesterday&lang=en").get_data(as_text=True)
    assert "Dates must be written as YYYY-MM-DD." in bad


def test_a_refused_date_range_stays_in_the_form(app):
    """From after To: the page said so and showed the last 30 days, with those dates in the form; the dates
    the admin chose were gone. They stay, marked, to be corrected; the figures say which range they are."""
    client = app.test_client()
    login(client, *ADMIN)
    page = client.get("/admin/analytics?from=2026-11-04&to=2026-11-02&lang=en").get_data(as_text=True)
    assert "The start date is after the end date." in page
    assert '<input type="date" id="from" name="from" value="2026-11-04" aria-invalid="true">' in page
    assert '<input type="date" id="to" name="to" value="2026-11-02" aria-invalid="true">' in page
    ok = client.get(f"/admin/analytics?{RANGE}&lang=en").get_data(as_text=True)
    assert "aria-invalid" not in ok.split('class="filters"')[1].split("</form>")[0]


def test_charts_without_data_say_so(app):
    """No drafts in the range: the reply-suggestion chart drew one empty bar labelled "Cases" with "n=0"."""
    client = app.test_client()
    login(client, *ADMIN)
    page = client.get(f"/admin/analytics?{RANGE}&lang=fi").get_data(as_text=True)
    drafts = page[page.index('id="chart-drafts"'):]
    drafts = drafts[:drafts.index("</svg>")]
    assert "Ei tietoja" in drafts and "n=0" not in drafts and "<rect" not in drafts
    assert "n=0" not in page


def test_caseworker_gets_403(seeded):
    client = seeded.test_client()
    login(client, *CASEWORKER)
    assert client.get("/admin/analytics").status_code == 403
    assert client.get("/admin/analytics.csv").status_code == 403


def test_screenshot_with_demo_data(app, live_server, browser, axe):  # noqa: F811
    """Demo activity over 30 days, rendered by headless Chromium (saved to TINGET_SCREENSHOT_DIR when set)."""
    from selenium.webdriver.common.by import By

    with app.app_context():
        activity.seed(days=30)
    log_in(browser, live_server.url, *ADMIN)
    browser.get(live_server.url + "/admin/analytics")
    charts = browser.find_elements(By.CSS_SELECTOR, "svg.chart")
    assert len(charts) == 5 and all(c.size["height"] > 40 for c in charts)
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "favicon" not in e["message"]]
    assert not errors, errors  # e.g. a CSP violation
    assert axe(browser) == []  # WCAG 2.1 A/AA
    for page in ("/admin/teach", "/admin/users", "/admin/users/new"):
        browser.get(live_server.url + page)
        assert axe(browser) == [], page
    browser.get(live_server.url + "/admin/analytics")
    if os.environ.get("TINGET_SCREENSHOT_DIR"):
        out = Path(os.environ["TINGET_SCREENSHOT_DIR"])
        out.mkdir(parents=True, exist_ok=True)
        browser.set_window_size(1280, 900)
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(1280, min(height + 100, 4000))
        browser.save_screenshot(str(out / "admin-analytics.png"))
        browser.get(live_server.url + "/admin/teach")
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(1280, min(height + 100, 4000))
        browser.save_screenshot(str(out / "admin-teach.png"))


def test_intents_are_shown_by_name_not_by_their_key(seeded):
    """The chart, its data table and the unanswered groups showed the catalogue's keys ("waste_collection",
    "out_of_scope"): the admin reads the topics by their names in the page's language; the CSV keeps keys."""
    import re

    client = seeded.test_client()
    login(client, *ADMIN)
    for lang, names in (("sv", ("Bibliotek", "Sophämtning", "Utanför ämnena", "Bygglov")),
                        ("fi", ("Kirjasto", "Jätteiden nouto", "Aiheiden ulkopuolella", "Rakennuslupa")),
                        ("en", ("Library", "Waste collection", "Outside the topics", "Building permits"))):
        page = client.get(f"/admin/analytics?{RANGE}&lang={lang}").get_data(as_text=True)
        text = re.sub(r"<[^>]+>", " ", page)
        for key in ("waste_collection", "out_of_scope", "building_permit", "library"):
            assert not re.search(rf"(?<![\w/-]){key}(?![\w/-])", text), (lang, key)
        for name in names:
            assert f"<td>{name}</td>" in page, (lang, name)
    rows = client.get(f"/admin/analytics.csv?{RANGE}").get_data(as_text=True)
    assert "waste_collection" in rows


def test_languages_are_shown_by_their_own_names_not_by_their_codes(seeded):
    """The per-language chart and its data table showed "nb" and "en": the admin reads each language by its
    own name (as the widget's selector shows it), in every UI language; the CSV keeps the codes."""
    import re

    client = seeded.test_client()
    login(client, *ADMIN)
    for ui in ("nb", "sv", "en"):
        page = client.get(f"/admin/analytics?{RANGE}&lang={ui}").get_data(as_text=True)
        section = page[page.index('id="h-lang"'):page.index('id="h-drafts"')]
        assert '<td><span lang="nb">Norsk bokmål</span></td>' in section, ui
        assert '<td><span lang="en">English</span></td>' in section, ui
        cells = re.findall(r"<td>(.*?)</td>", section)
        assert "nb" not in cells and "en" not in cells, (ui, cells)
        assert "Norsk bokmål" in section[:section.index("<details")], "the chart names the language too"
    assert ",nb," in client.get(f"/admin/analytics.csv?{RANGE}").get_data(as_text=True)


def test_the_first_and_last_days_a_date_holds(app):
    """to=9999-12-31 (a year field typed ahead, or a crafted link) had no day after it to end the range at:
    an OverflowError, a 500 on the page and on the CSV. Both answer with the (empty) range, as typed."""
    client = app.test_client()
    login(client, *ADMIN)
    for query in ("from=9999-12-31&to=9999-12-31", "from=9999-01-01&to=9999-12-31", "from=0001-01-01&to=0001-01-01"):
        page = client.get(f"/admin/analytics?{query}&lang=en")
        assert page.status_code == 200, query
        start, end = query.replace("from=", "").replace("to=", "").split("&")
        assert f'name="to" value="{end}"' in page.get_data(as_text=True)
        export = client.get(f"/admin/analytics.csv?{query}")
        assert export.status_code == 200, query
        assert f"range_start,,,{start}\nrange_end,,,{end}" in export.get_data(as_text=True)
