"""The admin area (role admin): transparency log now; KB, users, retraining and analytics follow."""

from functools import wraps

from flask import Blueprint, abort
from flask_login import current_user, login_required

bp = Blueprint("admin", __name__)


def admin_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


from web.admin import kb_routes  # noqa: E402,F401,I001
from web.admin import routes  # noqa: E402,F401
