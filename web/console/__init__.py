"""The caseworker console: department queues, case view, replies."""

from flask import Blueprint

bp = Blueprint("console", __name__)

from web.console import mail_routes, routes  # noqa: E402,F401
