"""The widget script as a host site downloads it: small, compressed, cacheable, cross-origin."""

from __future__ import annotations

import gzip
from pathlib import Path

WIDGET = Path(__file__).resolve().parents[2] / "web" / "static" / "widget.js"
BUDGET_GZIP_BYTES = 8_000


def test_widget_is_served_gzipped_within_its_size_budget(client):
    resp = client.get("/widget.js", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert resp.status_code == 200
    assert resp.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in resp.headers["Vary"]
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert "max-age=300" in resp.headers["Cache-Control"]
    served = gzip.decompress(resp.data)
    assert served == client.get("/widget.js").data  # the same minified script either way
    size = len(resp.data)
    print(f"widget.js: {WIDGET.stat().st_size} bytes, {len(served)} minified, {size} bytes gzipped")
    assert size <= BUDGET_GZIP_BYTES, f"widget.js is {size} bytes gzipped (budget {BUDGET_GZIP_BYTES})"


def test_widget_without_gzip_support_gets_the_minified_file(client):
    resp = client.get("/widget.js")
    assert resp.status_code == 200 and "Content-Encoding" not in resp.headers
    assert resp.mimetype == "text/javascript" and resp.headers["Access-Control-Allow-Origin"] == "*"
    source = WIDGET.read_bytes()
    assert len(resp.data) < 0.85 * len(source)  # comments and indentation are not sent to every visitor
    assert b"Embed with one tag" in source and b"Embed with one tag" not in resp.data  # the header comment
    assert b"\n    " not in resp.data
    # names, strings and regular expressions are kept as written
    for kept in (b"followLanguage", b'"privacy_summary"', b"script[src*='widget.js']", rb".replace(/\s+/g,",
                 rb".replace(/[^.!]*\{phone\}[^.!]*[.!]?/,"):
        assert kept in source and kept in resp.data, kept


def test_widget_revalidates_with_its_etag(client):
    """A returning visitor's browser asks again after five minutes; an unchanged script is a 304."""
    for headers in ({}, {"Accept-Encoding": "gzip"}):
        first = client.get("/widget.js", headers=headers)
        again = client.get("/widget.js", headers={**headers, "If-None-Match": first.headers["ETag"]})
        assert first.status_code == 200 and again.status_code == 304 and not again.data


def test_the_widgets_built_in_texts_cover_every_key_it_can_be_sent():
    """widget.js falls back to built-in English for a key missing from the texts it has (texts saved by an
    older version, used while the server is unreachable): every key of web/widget_strings.py has one,
    with the same English text ('offline' has its own built-in text in all six languages)."""
    import json
    import re

    from web.widget_strings import STRINGS

    source = WIDGET.read_text(encoding="utf-8")
    block = re.search(r"var EN = \{(.*?)\n  \};", source, re.S)
    assert block, "widget.js has built-in English texts (var EN)"
    built_in = {k: json.loads(v) for k, v in re.findall(r'(\w+): ("(?:[^"\\]|\\.)*")', block.group(1))}
    assert built_in == {k: v for k, v in STRINGS["en"].items() if k != "offline"}
    offline = re.search(r"var OFFLINE = \{(.*?)\n  \};", source, re.S).group(1)
    assert set(re.findall(r"(\w+): \"", offline)) == set(STRINGS)


def test_the_app_has_an_icon(client):
    """Every page names the icon, and /favicon.ico (asked by browsers for pages that name none) is no 404."""
    resp = client.get("/favicon.ico")
    assert resp.status_code == 200 and resp.mimetype == "image/svg+xml" and b"<svg" in resp.data
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'rel="icon"' in page and client.get("/static/favicon.svg").status_code == 200


def test_the_widget_knows_every_placeholder_the_redactor_writes():
    """The widget says what was removed from a resident's message ("[navn fjernet]"): its pattern and its
    texts cover exactly the redactor's labels (privacy.types.LABELS), in every language."""
    import re

    from privacy.types import LABELS
    from web.widget_strings import STRINGS

    source = WIDGET.read_text(encoding="utf-8")
    assert re.search(r"var REDACTED = /<\(([A-Z_|]+)\)>/;", source).group(1).split("|") == list(LABELS)
    for lang, texts in STRINGS.items():
        assert {k for k in texts if k.startswith("r_")} == {f"r_{label}" for label in LABELS}, lang
