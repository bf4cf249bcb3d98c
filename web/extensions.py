"""Flask extensions, created unbound and initialised in the app factory (``init_app``)."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from tinget.db import Base
from web import ratelimit_storage  # noqa: F401  (registers the tinget-memory:// rate-limit storage)


class JsonAwareLoginManager(LoginManager):
    """A request without a login is sent to the login page (browsers), but a client that asked for JSON
    (``Accept: application/json`` or an /api/ path) gets 401 with the JSON error: a redirect to an HTML
    form is of no use to a script, and a fetch() would follow it and fail parsing the login page."""

    def unauthorized(self):
        from flask import abort, current_app
        from flask_login.signals import user_unauthorized

        from web.errors import wants_json

        if wants_json():
            user_unauthorized.send(current_app._get_current_object())
            abort(401)
        return super().unauthorized()


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = JsonAwareLoginManager()
csrf = CSRFProtect()
babel = Babel()
# Rate limits: in memory per process by default; shared by all web workers when REDIS_URL is set.
limiter = Limiter(key_func=get_remote_address)
