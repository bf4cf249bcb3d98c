"""Admins read and export the transparency log (CSV, JSON): labels and counts, never the values."""

from __future__ import annotations

import csv
import io
import json
import random

from tests.conftest import login
from tests.privacy import synthetic as syn

ADMIN = ("admin@fjordvik.example", "demo-admin")
FNR = syn.no_fnr(random.Random(23))


def test_export_csv_and_json(client, resident):
    person = resident()
    person.say(f"Hei, jeg heter Kari Nordmann, fnr {FNR}, tlf 912 34 567")
    person.say("Når tømmes søpla?")
    login(client, *ADMIN)
    page = client.get("/admin/transparency")
    assert page.status_code == 200 and "export.csv" in page.get_data(as_text=True)

    resp = client.get("/admin/transparency/export.json")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    assert "attachment" in resp.headers["Content-Disposition"]
    rows = json.loads(resp.get_data(as_text=True))
    assert len(rows) == 2
    first = rows[-1]  # newest first
    assert first["redactions"] == {"PERSON": 1, "NATIONAL_ID": 1, "PHONE": 1}
    assert {"lang", "intent", "confidence", "route", "model_version", "kb_version"} <= set(first)

    resp = client.get("/admin/transparency/export.csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    table = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))
    assert len(table) == 2 and "NATIONAL_ID=1" in table[-1]["redactions"]
    for body in (resp.get_data(as_text=True), json.dumps(rows)):
        assert FNR not in body and "Nordmann" not in body and "912 34 567" not in body

    assert client.get("/admin/transparency/export.xml").status_code == 404


def test_log_table_scrolls_in_its_own_region(client, resident):
    """Nine columns with model names and KB versions: the page itself scrolled sideways at 1280 px (WCAG 1.4.10),
    unlike the console's tables, which scroll in a focusable region."""
    import re

    resident().say("Når tømmes søpla?")
    login(client, *ADMIN)
    page = client.get("/admin/transparency?lang=fi").get_data(as_text=True)
    assert re.search(r'<div class="table-scroll" role="region" tabindex="0" aria-label="Läpinäkyvyysloki">\s*<table>',
                     page)


def test_export_content_type_names_the_charset_once(client, resident):
    """The CSV was sent as "text/csv; charset=utf-8; charset=utf-8": one charset parameter, as for JSON."""
    resident().say("Når tømmes søpla?")
    login(client, *ADMIN)
    assert client.get("/admin/transparency/export.csv").headers["Content-Type"] == "text/csv; charset=utf-8"
    assert client.get("/admin/transparency/export.json").headers["Content-Type"] == "application/json; charset=utf-8"


def test_export_needs_login(client):
    assert client.get("/admin/transparency/export.json").status_code in (302, 401)


def test_an_unknown_export_format_is_the_translated_not_found_page(client):
    """export.xml answered an English JSON error ('use .csv or .json') where the KB's exports, one link away,
    answer the not-found page in the admin's language."""
    login(client, *ADMIN)
    client.get("/admin/?lang=sv")
    resp = client.get("/admin/transparency/export.xml")
    assert resp.status_code == 404 and resp.mimetype == "text/html"
    body = resp.get_data(as_text=True)
    assert "Sidan hittades inte" in body and "use .csv or .json" not in body


def test_exports_are_named_by_municipality_and_day_and_times_say_utc(client, resident):
    """Every municipality's export was "tinget-transparency.csv": a region's data protection officer exporting for
    several municipalities could tell the files apart only by opening them. The log's times are UTC, which the
    page did not say (the case page does)."""
    from tinget.db import utcnow

    resident().say("Når tømmes søpla?")
    login(client, *ADMIN)
    day = utcnow().date().isoformat()
    for fmt in ("csv", "json"):
        disposition = client.get(f"/admin/transparency/export.{fmt}").headers["Content-Disposition"]
        assert disposition == f"attachment; filename=tinget-transparency-fjordvik-{day}.{fmt}"
    assert '<th scope="col">Aika (UTC)</th>' in client.get("/admin/transparency?lang=fi").get_data(as_text=True)


def test_the_page_says_it_shows_the_newest_rows_and_the_export_has_all(app, client, resident):
    """The page shows the newest 200 records without saying so: a data protection officer took them for the whole
    log. With more, the page says how many there are and that the export holds them all."""
    from sqlalchemy import select

    from tinget.models import Municipality
    from web.admin import routes
    from web.extensions import db
    from web.models import TransparencyRecord

    login(client, *ADMIN)
    resident().say("Når tømmes søpla?")
    assert 'id="rows-shown"' not in client.get("/admin/transparency?lang=en").get_data(as_text=True)
    with app.app_context():
        m = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
        db.session.add_all([TransparencyRecord(municipality_id=m.id, lang="nb", route="answer", reason="x")
                            for _ in range(routes.PAGE_ROWS)])
        db.session.commit()
    page = client.get("/admin/transparency?lang=en").get_data(as_text=True)
    assert f"The newest {routes.PAGE_ROWS} of {routes.PAGE_ROWS + 1} records are shown here; the export holds all" \
        in page
    assert len(json.loads(client.get("/admin/transparency/export.json").get_data(as_text=True))) == routes.PAGE_ROWS + 1
