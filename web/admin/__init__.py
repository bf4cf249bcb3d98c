"""The admin area (role admin): transparency log, analytics, users and departments, teaching the bot."""

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


from web.admin import (  # noqa: E402  (routes register on bp, defined above)
    analytics_routes,  # noqa: F401
    kb_routes,  # noqa: F401
    mail_routes,  # noqa: F401
    routes,  # noqa: F401
    teach_routes,  # noqa: F401
    users_routes,  # noqa: F401
)
