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


def _bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in ("1", "true", "yes", "on")


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
    RASA_URL = os.environ.get("RASA_URL", "http://127.0.0.1:5005")
    RASA_TRACKER_URL = os.environ.get("RASA_TRACKER_URL") or f"sqlite:///{INSTANCE / 'rasa-tracker.db'}"
    RASA_TIMEOUT = float(os.environ.get("RASA_TIMEOUT", "15"))
    MAX_MESSAGE_CHARS = int(os.environ.get("TINGET_MAX_MESSAGE_CHARS", "4000"))
    MAX_CONTENT_LENGTH = 64 * 1024  # request body bytes; larger bodies get 413
    SUGGESTER_ENABLED = _bool("TINGET_SUGGESTER", True)
    SUGGESTER_INDEX_DIR = os.environ.get("TINGET_INDEX_DIR", str(INSTANCE / "index"))
    SUGGESTER_ENCODER = os.environ.get("TINGET_ENCODER", "e5")
    RESPONSE_TARGET_HOURS = float(os.environ.get("TINGET_RESPONSE_TARGET_HOURS", "48"))
    RETENTION_DAYS_WITHOUT_CASE = int(os.environ.get("TINGET_RETENTION_DAYS", "21"))
    RETENTION_DAYS_CLOSED_CASE = int(os.environ.get("TINGET_RETENTION_CLOSED_CASE_DAYS", "180"))
    # Accepted replies the suggester learned from (the reply and the redacted question), after they were
    # learned; 0 keeps them. They outlive their conversation so that the next similar case gets the reply.
    RETENTION_DAYS_LEARNED = int(os.environ.get("TINGET_RETENTION_LEARNED_DAYS", "365"))
    RETENTION_INTERVAL_HOURS = float(os.environ.get("TINGET_RETENTION_INTERVAL_HOURS", "6"))  # `make run` schedule
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("TINGET_SECURE_COOKIES", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PERMANENT_SESSION_LIFETIME = 60 * 60 * int(os.environ.get("TINGET_SESSION_HOURS", "10"))  # one working day
    # Console logins: per client address and per account name, so neither guessing many passwords for one
    # account nor one password over many accounts goes fast. Counted in Redis when REDIS_URL is set.
    RATE_LIMIT_LOGIN = os.environ.get("TINGET_RATE_LIMIT_LOGIN", "10 per minute;50 per hour")
    RATE_LIMIT_LOGIN_ACCOUNT = os.environ.get("TINGET_RATE_LIMIT_LOGIN_ACCOUNT", "5 per minute;20 per hour")
    PASSWORD_RESET_HOURS = int(os.environ.get("TINGET_PASSWORD_RESET_HOURS", "24"))
    PASSWORD_MIN_LENGTH = 12  # one rule for passwords an admin sets and ones a user chooses by reset link
    # Optional OpenID Connect login (Entra ID, ID-porten style providers): shown only when all three are set.
    # Users must already exist (matched by the verified e-mail claim); roles and departments stay in Tinget.
    OIDC_ISSUER = os.environ.get("TINGET_OIDC_ISSUER", "")
    OIDC_CLIENT_ID = os.environ.get("TINGET_OIDC_CLIENT_ID", "")
    OIDC_CLIENT_SECRET = os.environ.get("TINGET_OIDC_CLIENT_SECRET", "")
    OIDC_SCOPES = os.environ.get("TINGET_OIDC_SCOPES", "openid email profile")
    OIDC_PROVIDER_NAME = os.environ.get("TINGET_OIDC_PROVIDER_NAME", "")
    WTF_CSRF_TIME_LIMIT = None
    BABEL_DEFAULT_LOCALE = "nb"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "web" / "translations")
    LANGUAGES = ("nb", "nn", "sv", "da", "fi", "en")
    # The municipalities whose admins may add training examples and retrain the bot every municipality of
    # the installation shares (web/services/shared_model.py); empty: only a one-municipality installation's.
    BOT_TEAM = [s.strip() for s in os.environ.get("TINGET_BOT_TEAM", "").split(",") if s.strip()]
    POLL_INTERVAL_MS = int(os.environ.get("TINGET_POLL_INTERVAL_MS", "3000"))
    SMTP_HOST = os.environ.get("TINGET_SMTP_HOST", "")
    SMTP_PORT = int(os.environ.get("TINGET_SMTP_PORT", "25"))
    SMTP_TIMEOUT = float(os.environ.get("TINGET_SMTP_TIMEOUT", "10"))
    MAIL_FROM = os.environ.get("TINGET_MAIL_FROM", "no-reply@localhost")
    # E-mail channel: SMTP login for replies, and the municipality's IMAP postbox (`tinget mail poll`).
    SMTP_USER = os.environ.get("TINGET_SMTP_USER", "")
    SMTP_PASSWORD = os.environ.get("TINGET_SMTP_PASSWORD", "")
    SMTP_STARTTLS = _bool("TINGET_SMTP_STARTTLS", False)
    MAIL_IMAP_HOST = os.environ.get("TINGET_IMAP_HOST", "")
    MAIL_IMAP_PORT = int(os.environ.get("TINGET_IMAP_PORT", "993"))
    MAIL_IMAP_SSL = _bool("TINGET_IMAP_SSL", True)
    MAIL_IMAP_USER = os.environ.get("TINGET_IMAP_USER", "")
    MAIL_IMAP_PASSWORD = os.environ.get("TINGET_IMAP_PASSWORD", "")
    MAIL_IMAP_FOLDER = os.environ.get("TINGET_IMAP_FOLDER", "INBOX")
    # A municipality's own mail servers (Admin -> Mail settings) get their own passwords, never the
    # installation's above: TINGET_IMAP_PASSWORD_<SLUG>, TINGET_SMTP_PASSWORD_<SLUG> (web.services.mail_settings)
    MAIL_IMAP_PASSWORDS = per_municipality("TINGET_IMAP_PASSWORD_")
    SMTP_PASSWORDS = per_municipality("TINGET_SMTP_PASSWORD_")
    MODEL_DIR = os.environ.get("TINGET_MODEL_DIR", str(INSTANCE / "models"))
    # Scale path: Redis (REDIS_URL) holds the rate-limit counters for every web worker (and Rasa's lock
    # store, see bin/rasa-serve). If Redis is unreachable, limits fall back to memory; requests never fail.
    REDIS_URL = os.environ.get("REDIS_URL", "")
    RATELIMIT_ENABLED = _bool("TINGET_RATE_LIMITS", True)
    PROXY_COUNT = int(os.environ.get("TINGET_PROXIES", "0"))  # reverse proxies in front (X-Forwarded-For)
    RATELIMIT_STORAGE_URI = REDIS_URL or "tinget-memory://"  # web/ratelimit_storage.py
    RATELIMIT_KEY_PREFIX = "tinget-rl"
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    RATE_LIMIT_NEW_CONVERSATIONS = os.environ.get("TINGET_RATE_LIMIT_NEW_CONVERSATIONS", "30 per minute")  # per IP
    RATE_LIMIT_MESSAGES = os.environ.get("TINGET_RATE_LIMIT_MESSAGES", "20 per minute")  # per conversation
    RATE_LIMIT_POLLS = os.environ.get("TINGET_RATE_LIMIT_POLLS", "120 per minute")  # per conversation
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


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _bool("TINGET_SECURE_COOKIES", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE

    def __init__(self) -> None:
        if not os.environ.get("TINGET_SECRET_KEY"):
            raise RuntimeError("TINGET_SECRET_KEY must be set in production")
        super().__init__()


CONFIGS = {"development": DevelopmentConfig, "testing": TestingConfig, "production": ProductionConfig}


def get_config(name: str | None = None) -> Config:
    return CONFIGS[name or os.environ.get("TINGET_CONFIG", "development")]()
