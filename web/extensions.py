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

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Rate limits: in memory per process by default; shared by all web workers when REDIS_URL is set.
limiter = Limiter(key_func=get_remote_address)
