"""Security headers for every response. The widget script itself is served so a host page with a
strict Content-Security-Policy can load it (script-src our origin; no inline code or eval)."""

from __future__ import annotations

from flask import request

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'; object-src 'none'")


def http_url(url) -> str:
    """The URL if it is http(s), else "" (a KB source link can never run script: no javascript: URLs)."""
    url = str(url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else ""


def init_app(app) -> None:
    app.jinja_env.filters["http_url"] = http_url

    @app.after_request
    def headers(resp):
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        resp.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        resp.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if not request.path.startswith(("/api/", "/static/widget")):
            resp.headers.setdefault("Content-Security-Policy", CSP)
        if request.path.startswith("/api/"):
            # The widget runs on the municipality's own site: allow cross-origin JSON calls.
            resp.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin", "*")
            resp.headers["Access-Control-Allow-Headers"] = "Content-Type, X-Conversation-Token"
            resp.headers["Access-Control-Allow-Methods"] = "GET, POST, DELETE, OPTIONS"
            resp.headers["Vary"] = "Origin"
            resp.headers["Cache-Control"] = "no-store"
        elif request.path.startswith(("/console", "/admin", "/auth")):
            # One installation serves a region's municipalities: a shared cache (a reverse proxy's) must never
            # keep one municipality's pages or exports and hand them to another's users.
            resp.headers.setdefault("Cache-Control", "private")
        return resp
