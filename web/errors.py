"""Errors: JSON for the API (and any client asking for JSON), HTML pages for people."""

from __future__ import annotations

from flask import jsonify, render_template, request
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException


class ApiError(Exception):
    """A client error with a stable code and a message naming the problem."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def init_app(app) -> None:
    @app.errorhandler(ApiError)
    def api_error(err: ApiError):
        return jsonify(error={"code": err.code, "message": err.message}), err.status

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        if wants_json():
            code = (err.name or "error").lower().replace(" ", "_")
            return jsonify(error={"code": code, "message": err.description}), err.code
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
            resp = render_template("error.html", error=None)
        return resp, 503, {"Retry-After": "10"}

    @app.errorhandler(Exception)
    def unexpected(err: Exception):  # pragma: no cover - last resort, logged
        app.logger.exception("unhandled error on %s", request.path)
        if wants_json():
            return jsonify(error={"code": "internal", "message": "Something went wrong; nothing was lost."}), 500
        return render_template("error.html", error=None), 500
