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
