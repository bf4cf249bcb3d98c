"""The Flask app factory (flaskr style): ``create_app()`` builds an app with its blueprints."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask

from web.config import get_config


def create_app(test_config: dict | None = None, config_name: str | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    config = get_config("testing" if test_config and config_name is None else config_name)
    app.config.from_object(config)
    if test_config:
        app.config.update(test_config)
    Path(app.config["INSTANCE_PATH"]).mkdir(parents=True, exist_ok=True)
    from tinget.db import engine_options

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**engine_options(app.config["SQLALCHEMY_DATABASE_URI"]),
                                               **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})}
    if app.config.get("PROXY_COUNT"):  # per-client rate limits need the client's address, not the proxy's
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    from web import models  # noqa: F401  (register tables on the shared metadata)
    from web.extensions import babel, csrf, db, limiter, login_manager, migrate
    from web.i18n import select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"),
                    render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    from flask_babel import get_locale

    app.jinja_env.globals["get_locale"] = get_locale
    login_manager.login_view = "auth.login"
    from flask_babel import gettext

    login_manager.login_message = "Log in to see this page."
    login_manager.localize_callback = gettext

    with app.app_context():
        from tinget.db import configure_sqlite

        configure_sqlite(db.engine)

    from web import errors, labels, security
    from web.admin import bp as admin_bp
    from web.api import bp as api_bp
    from web.auth import bp as auth_bp
    from web.console import bp as console_bp
    from web.public import bp as public_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(console_bp, url_prefix="/console")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    csrf.exempt(api_bp)  # the resident API is JSON with its own conversation token, no cookies
    errors.init_app(app)
    security.init_app(app)
    labels.init_app(app)
    from web.auth import oidc

    oidc.init_app(app)
    _logging(app)
    return app


def _logging(app: Flask) -> None:
    """The redacting filter on every handler of the process and on the app's logger, once each: handlers and
    the logger outlive an app (a process that creates several apps, as the tests and CLI commands do, would
    otherwise redact each log line once per app ever created)."""
    from privacy.logging_filter import RedactingFilter

    redacting = RedactingFilter()
    # logging.lastResort prints the records no handler takes: in the tinget command and gunicorn's workers the
    # root logger has none, so every warning of mail.*, suggester.*, kb.* … went to stderr unredacted.
    last_resort = [logging.lastResort] if logging.lastResort else []
    for filterer in [*logging.getLogger().handlers, *app.logger.handlers, *last_resort, app.logger]:
        if not any(isinstance(f, RedactingFilter) for f in filterer.filters):
            filterer.addFilter(redacting)
