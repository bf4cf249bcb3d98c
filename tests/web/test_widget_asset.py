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
    assert gzip.decompress(resp.data) == WIDGET.read_bytes()
    size = len(resp.data)
    print(f"widget.js: {WIDGET.stat().st_size} bytes, {size} bytes gzipped")
    assert size <= BUDGET_GZIP_BYTES, f"widget.js is {size} bytes gzipped (budget {BUDGET_GZIP_BYTES})"


def test_widget_without_gzip_support_gets_the_plain_file(client):
    resp = client.get("/widget.js")
    assert resp.status_code == 200 and "Content-Encoding" not in resp.headers
    assert resp.data == WIDGET.read_bytes()
    assert resp.mimetype == "text/javascript"


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
