"""Configuration classes, each reading the environment (microblog style).

Select with ``TINGET_CONFIG`` = development | testing | production (default development).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("TINGET_INSTANCE", ROOT / "instance"))


def _secret(name: str) -> str:
    """A secret from the environment, else one generated once and kept in instance/ (dev only)."""
    if os.environ.get(name):
        return os.environ[name]
    path = INSTANCE / f".{name.lower()}"
    if path.exists():
        return path.read_text().strip()
    INSTANCE.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(32)
    path.write_text(value)
    path.chmod(0o600)
    return value


class ConfigError(ValueError):
    """A setting in the environment has a value Tinget cannot use; the message names each one."""


# Values that could not be used, collected while the classes below read the environment (at import) and
# raised together by get_config(): the operator sees every bad setting at startup, in one message, and no
# request later fails on one (a rate limit that does not parse was silently no limit at all).
_PROBLEMS: dict[str, str] = {}
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return value.strip() if value is not None and value.strip() else None  # empty (compose's ${X:-}) = unset


def _bool(name: str, default: bool) -> bool:
    raw = _raw(name)
    if raw is None:
        return default
    if raw.lower() in _TRUE + _FALSE:
        return raw.lower() in _TRUE
    _PROBLEMS[name] = f"{name}={raw!r} is neither true nor false (use true/false, 1/0, yes/no, on/off)"
    return default


def _number(name: str, default, kind=int, minimum=None, maximum=None):
    raw = _raw(name)
    if raw is None:
        return default
    try:
        value = kind(raw)
    except ValueError:
        _PROBLEMS[name] = f"{name}={raw!r} is not a {'whole number' if kind is int else 'number'}"
        return default
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        bounds = f"at least {minimum}" if maximum is None else f"between {minimum} and {maximum}"
        _PROBLEMS[name] = f"{name}={raw!r} must be {bounds}"
        return default
    return value


def _rate_limit(name: str, default: str) -> str:
    raw = _raw(name)
    if raw is None:
        return default
    from limits import parse_many

    try:
        parse_many(raw)
    except ValueError:
        _PROBLEMS[name] = f"{name}={raw!r} is not a rate limit such as {default!r}"
        return default
    return raw


def _hosts(name: str) -> list[str]:
    """Comma-separated host names, IP addresses and networks, with a port or not (mail.netguard.parse_allowed)."""
    raw = _raw(name)
    if raw is None:
        return []
    from mail.netguard import parse_allowed

    try:
        parse_allowed(raw)
    except ValueError as exc:
        _PROBLEMS[name] = f"{name}: {exc}"
        return []
    return [e.strip() for e in raw.split(",") if e.strip()]


def per_municipality(prefix: str) -> dict[str, str]:
    """The environment's ``<prefix><SLUG>`` variables with a value, by SLUG (a municipality's own secrets,
    e.g. TINGET_IMAP_PASSWORD_FJORDVIK; web.services.mail_settings.slug_key spells a slug this way)."""
    return {name[len(prefix):]: value for name, value in os.environ.items()
            if name.startswith(prefix) and len(name) > len(prefix) and value}


class Config:
    INSTANCE_PATH = str(INSTANCE)
    SECRET_KEY = None  # set in __init__ so importing the module never writes files
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE / 'tinget.db'}"
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}  # pool_pre_ping follows the URL (tinget.db.engine_options)
    RASA_URL = _raw("RASA_URL") or "http://127.0.0.1:5005"
    RASA_TRACKER_URL = os.environ.get("RASA_TRACKER_URL") or f"sqlite:///{INSTANCE / 'rasa-tracker.db'}"
    RASA_TIMEOUT = _number("RASA_TIMEOUT", 15.0, float, minimum=0.1)
    MAX_MESSAGE_CHARS = _number("TINGET_MAX_MESSAGE_CHARS", 4000, minimum=1)
    MAX_CONTENT_LENGTH = 64 * 1024  # request body bytes; larger bodies get 413
    SUGGESTER_ENABLED = _bool("TINGET_SUGGESTER", True)
    SUGGESTER_INDEX_DIR = os.environ.get("TINGET_INDEX_DIR", str(INSTANCE / "index"))
    SUGGESTER_ENCODER = _raw("TINGET_ENCODER") or "e5"
    RESPONSE_TARGET_HOURS = _number("TINGET_RESPONSE_TARGET_HOURS", 48.0, float, minimum=0.1)
    RETENTION_DAYS_WITHOUT_CASE = _number("TINGET_RETENTION_DAYS", 21, minimum=1)  # 0 or less: every conversation
    RETENTION_DAYS_CLOSED_CASE = _number("TINGET_RETENTION_CLOSED_CASE_DAYS", 180, minimum=1)
    # Accepted replies the suggester learned from (the reply and the redacted question), after they were
    # learned; 0 keeps them. They outlive their conversation so that the next similar case gets the reply.
    RETENTION_DAYS_LEARNED = _number("TINGET_RETENTION_LEARNED_DAYS", 365, minimum=0)
    RETENTION_INTERVAL_HOURS = _number("TINGET_RETENTION_INTERVAL_HOURS", 6.0, float, minimum=0.01)  # `make run` schedule
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("TINGET_SECURE_COOKIES", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PERMANENT_SESSION_LIFETIME = int(60 * 60 * _number("TINGET_SESSION_HOURS", 10.0, float, minimum=0.1))  # one working day
    # Console logins: per client address and per account name, so neither guessing many passwords for one
    # account nor one password over many accounts goes fast. Counted in Redis when REDIS_URL is set.
    RATE_LIMIT_LOGIN = _rate_limit("TINGET_RATE_LIMIT_LOGIN", "10 per minute;50 per hour")
    RATE_LIMIT_LOGIN_ACCOUNT = _rate_limit("TINGET_RATE_LIMIT_LOGIN_ACCOUNT", "5 per minute;20 per hour")
    PASSWORD_RESET_HOURS = _number("TINGET_PASSWORD_RESET_HOURS", 24, minimum=1)
    PASSWORD_MIN_LENGTH = 12  # one rule for passwords an admin sets and ones a user chooses by reset link
    # Optional OpenID Connect login (Entra ID, ID-porten style providers): shown only when all three are set.
    # Users must already exist (matched by the verified e-mail claim); roles and departments stay in Tinget.
    OIDC_ISSUER = os.environ.get("TINGET_OIDC_ISSUER", "")
    OIDC_CLIENT_ID = os.environ.get("TINGET_OIDC_CLIENT_ID", "")
    OIDC_CLIENT_SECRET = os.environ.get("TINGET_OIDC_CLIENT_SECRET", "")
    OIDC_SCOPES = _raw("TINGET_OIDC_SCOPES") or "openid email profile"
    OIDC_PROVIDER_NAME = os.environ.get("TINGET_OIDC_PROVIDER_NAME", "")
    WTF_CSRF_TIME_LIMIT = None
    BABEL_DEFAULT_LOCALE = "nb"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "web" / "translations")
    LANGUAGES = ("nb", "nn", "sv", "da", "fi", "en")
    # The municipalities whose admins may add training examples and retrain the bot every municipality of
    # the installation shares (web/services/shared_model.py); empty: only a one-municipality installation's.
    BOT_TEAM = [s.strip() for s in os.environ.get("TINGET_BOT_TEAM", "").split(",") if s.strip()]
    POLL_INTERVAL_MS = _number("TINGET_POLL_INTERVAL_MS", 3000, minimum=100)
    SMTP_HOST = os.environ.get("TINGET_SMTP_HOST", "")
    SMTP_PORT = _number("TINGET_SMTP_PORT", 25, minimum=1, maximum=65535)
    SMTP_TIMEOUT = _number("TINGET_SMTP_TIMEOUT", 10.0, float, minimum=0.1)
    MAIL_FROM = _raw("TINGET_MAIL_FROM") or "no-reply@localhost"
    # E-mail channel: SMTP login for replies, and the municipality's IMAP postbox (`tinget mail poll`).
    SMTP_USER = os.environ.get("TINGET_SMTP_USER", "")
    SMTP_PASSWORD = os.environ.get("TINGET_SMTP_PASSWORD", "")
    SMTP_STARTTLS = _bool("TINGET_SMTP_STARTTLS", False)
    MAIL_IMAP_HOST = os.environ.get("TINGET_IMAP_HOST", "")
    MAIL_IMAP_PORT = _number("TINGET_IMAP_PORT", 993, minimum=1, maximum=65535)
    MAIL_IMAP_SSL = _bool("TINGET_IMAP_SSL", True)
    MAIL_IMAP_USER = os.environ.get("TINGET_IMAP_USER", "")
    MAIL_IMAP_PASSWORD = os.environ.get("TINGET_IMAP_PASSWORD", "")
    MAIL_IMAP_FOLDER = _raw("TINGET_IMAP_FOLDER") or "INBOX"
    # A municipality's own mail servers (Admin -> Mail settings) get their own passwords, never the
    # installation's above: TINGET_IMAP_PASSWORD_<SLUG>, TINGET_SMTP_PASSWORD_<SLUG> (web.services.mail_settings)
    MAIL_IMAP_PASSWORDS = per_municipality("TINGET_IMAP_PASSWORD_")
    SMTP_PASSWORDS = per_municipality("TINGET_SMTP_PASSWORD_")
    # Nor are the installation's internal addresses open to those servers where several municipalities share
    # the installation (mail.netguard): the operator lists the internal mail servers they may use.
    MAIL_ALLOWED_HOSTS = _hosts("TINGET_MAIL_ALLOWED_HOSTS")
    MODEL_DIR = os.environ.get("TINGET_MODEL_DIR", str(INSTANCE / "models"))
    # Scale path: Redis (REDIS_URL) holds the rate-limit counters for every web worker (and Rasa's lock
    # store, see bin/rasa-serve). If Redis is unreachable, limits fall back to memory; requests never fail.
    REDIS_URL = os.environ.get("REDIS_URL", "")
    RATELIMIT_ENABLED = _bool("TINGET_RATE_LIMITS", True)
    PROXY_COUNT = _number("TINGET_PROXIES", 0, minimum=0)  # reverse proxies in front (X-Forwarded-For)
    RATELIMIT_STORAGE_URI = REDIS_URL or "tinget-memory://"  # web/ratelimit_storage.py
    RATELIMIT_KEY_PREFIX = "tinget-rl"
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    RATE_LIMIT_NEW_CONVERSATIONS = _rate_limit("TINGET_RATE_LIMIT_NEW_CONVERSATIONS", "30 per minute")  # per IP
    RATE_LIMIT_MESSAGES = _rate_limit("TINGET_RATE_LIMIT_MESSAGES", "20 per minute")  # per conversation
    RATE_LIMIT_POLLS = _rate_limit("TINGET_RATE_LIMIT_POLLS", "120 per minute")  # per conversation
    TESTING = False

    def __init__(self) -> None:
        self.SECRET_KEY = _secret("TINGET_SECRET_KEY")
        self.ENCRYPTION_KEY = os.environ.get("TINGET_ENCRYPTION_KEY") or self.SECRET_KEY


class DevelopmentConfig(Config):
    DEBUG = False


class TestingConfig(Config):
    TESTING = True
    WTF_CSRF_ENABLED = True
    RATELIMIT_ENABLED = _bool("TINGET_RATE_LIMITS", False)  # the rate-limit tests switch it on
    SUGGESTER_ENABLED = _bool("TINGET_SUGGESTER", False)

    def __init__(self) -> None:
        self.SECRET_KEY = "test-secret-key"  # noqa: S105 - tests only
        self.ENCRYPTION_KEY = "test-encryption-key"


def _no_secret_key() -> str | None:
    """What is wrong with a production configuration without TINGET_SECRET_KEY (else None): said by
    check_environment with the other problems, and by ProductionConfig() made without that check."""
    if os.environ.get("TINGET_SECRET_KEY"):
        return None
    return "TINGET_SECRET_KEY must be set in production (e.g. openssl rand -hex 32)"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _bool("TINGET_SECURE_COOKIES", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE

    def __init__(self) -> None:
        if problem := _no_secret_key():
            raise ConfigError(problem)
        super().__init__()


CONFIGS = {"development": DevelopmentConfig, "testing": TestingConfig, "production": ProductionConfig}


def check_environment(name: str | None = None) -> str:
    """The configuration's name (else TINGET_CONFIG's); ConfigError names every setting that cannot be used.
    Writes nothing: gunicorn.conf.py calls it in the master before any worker starts."""
    name = name or _raw("TINGET_CONFIG") or "development"
    problems = list(_PROBLEMS.values())
    if name not in CONFIGS:
        problems.insert(0, f"TINGET_CONFIG={name!r} is not one of {', '.join(CONFIGS)}")
    elif name == "production" and (problem := _no_secret_key()):
        problems.insert(0, problem)
    if problems:
        raise ConfigError("; ".join(problems))
    return name


def get_config(name: str | None = None) -> Config:
    return CONFIGS[check_environment(name)]()
