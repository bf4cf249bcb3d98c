"""The resident API used by the widget (JSON). Thin routes; logic in web.services."""

from flask import Blueprint

bp = Blueprint("api", __name__)

from web.api import routes  # noqa: E402,F401
