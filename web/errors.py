"""Errors: JSON for the API (and any client asking for JSON), HTML pages for people."""

from __future__ import annotations

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException


class ApiError(Exception):
    """A client error with a stable code and a message naming the problem."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_title(code: int, default: str | None = None) -> str:
    """The heading of an error page in the UI language (Werkzeug's English name for codes not listed)."""
    return {400: _("Bad request"), 401: _("Not logged in"), 403: _("Access denied"), 404: _("Page not found"),
            405: _("Method not allowed"), 413: _("Request too large"), 429: _("Too many requests"),
            500: _("Something went wrong"),
            503: _("Service temporarily unavailable")}.get(code, default or _("Something went wrong"))


def error_text(code: int, default: str | None = None) -> str:
    """What the error means for the reader, in the UI language: on the HTML page and as the ``message`` of
    a JSON error (Werkzeug's English description only for codes not listed)."""
    return {400: _("The request could not be handled. Reload the page and try again."),
            401: _("Log in to see this page."), 403: _("You do not have access to this page."),
            404: _("The page does not exist or has been moved."), 405: _("This address cannot be used this way."),
            413: _("What you sent is too large."),
            429: _("Too many requests in a short time. Wait a moment and try again."),
            500: _("Nothing was lost. Please try again."),
            503: _("Please try again in a minute. What you just sent may not have been saved.")}.get(
        code, default or _("Nothing was lost. Please try again."))


def init_app(app) -> None:
    app.jinja_env.globals.update(error_title=error_title, error_text=error_text)

    @app.errorhandler(ApiError)
    def api_error(err: ApiError):
        return jsonify(error={"code": err.code, "message": err.message}), err.status

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        if err.response is not None:  # the error brings its own page (the login form at its rate limit)
            return err.response
        if wants_json():
            code = (err.name or "error").lower().replace(" ", "_")
            return jsonify(error={"code": code, "message": error_text(err.code, err.description)}), err.code
        return render_template("error.html", error=err), err.code

    @app.errorhandler(OperationalError)
    def storage_down(err: OperationalError):
        """The database is unreachable (restarting, failing over): nothing could be stored, so say so and
        ask the client to send again; the widget keeps the text in its input and shows this message."""
        from web.extensions import db

        app.logger.warning("database unavailable on %s: %s", request.path, err.orig)
        try:
            db.session.rollback()
        except Exception:  # the connection is gone; the pool replaces it on the next request
            db.session.remove()
        message = "The service is restarting; your message was not stored yet. Please send it again in a minute."
        if wants_json():
            resp = jsonify(error={"code": "storage_unavailable", "message": message})
        else:
            resp = render_template("error.html", error=None, status=503)
        return resp, 503, {"Retry-After": "10"}

    @app.errorhandler(Exception)
    def unexpected(err: Exception):  # pragma: no cover - last resort, logged
        from web.extensions import db

        app.logger.exception("unhandled error on %s", request.path)
        # A failed flush leaves the session unusable: the error page (its navigation counts the user's
        # unread cases) would raise PendingRollbackError and give the bare server error instead.
        try:
            db.session.rollback()
        except Exception:
            db.session.remove()
        if wants_json():
            return jsonify(error={"code": "internal", "message": "Something went wrong; nothing was lost."}), 500
        return render_template("error.html", error=None), 500
