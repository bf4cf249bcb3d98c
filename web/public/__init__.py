"""Public pages: the demo municipality page with the widget, the accessibility statement, the widget
script, and health checks."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from web.public import routes  # noqa: E402,F401
