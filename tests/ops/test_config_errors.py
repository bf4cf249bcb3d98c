"""A bad value in the environment stops `tinget` and gunicorn at startup with one line naming every bad
setting (exit code not 0, no traceback), instead of a traceback at import, or no effect at all: a rate limit
that did not parse was no rate limit, and a mistyped boolean was silently false."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent


def _env(tmp_path, **settings):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TINGET_", "RASA_", "DATABASE_URL"))}
    env.update(PYTHONPATH=str(ROOT), TINGET_INSTANCE=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'none.db'}",
               **settings)
    return env


def _tinget(tmp_path, *args, **settings):
    return subprocess.run([str(BIN / "tinget"), *args], capture_output=True, text=True, timeout=120,  # noqa: S603
                          env=_env(tmp_path, **settings), cwd=tmp_path)


@pytest.mark.parametrize(("settings", "named"), [
    ({"TINGET_CONFIG": "prod"}, "TINGET_CONFIG='prod' is not one of development, testing, production"),
    ({"TINGET_SMTP_PORT": "abc"}, "TINGET_SMTP_PORT='abc' is not a whole number"),
    ({"TINGET_RATE_LIMIT_MESSAGES": "lots"}, "TINGET_RATE_LIMIT_MESSAGES='lots' is not a rate limit"),
    ({"TINGET_SECURE_COOKIES": "ture"}, "TINGET_SECURE_COOKIES='ture' is neither true nor false"),
    ({"TINGET_RETENTION_DAYS": "0"}, "TINGET_RETENTION_DAYS='0' must be at least 1"),
    ({"TINGET_CONFIG": "production"}, "TINGET_SECRET_KEY must be set in production"),
    ({"TINGET_MAIL_ALLOWED_HOSTS": "mail.region.internal, 10.0.0.0/33"},
     "TINGET_MAIL_ALLOWED_HOSTS: '10.0.0.0/33' is not a host name, an IP address or a network"),
], ids=["config", "port", "rate-limit", "boolean", "retention", "secret", "mail-allowed-hosts"])
def test_the_command_line_names_the_bad_setting(tmp_path, settings, named):
    done = _tinget(tmp_path, "retention", "run", **settings)
    assert done.returncode == 1, done.stdout + done.stderr
    assert named in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_every_bad_setting_is_named_at_once_and_empty_ones_are_unset(tmp_path):
    done = _tinget(tmp_path, "retention", "run", TINGET_IMAP_PORT="x", TINGET_PROXIES="-1", TINGET_SMTP_PORT="")
    assert done.returncode == 1
    assert "TINGET_IMAP_PORT='x'" in done.stderr and "TINGET_PROXIES='-1' must be at least 0" in done.stderr
    assert "TINGET_SMTP_PORT" not in done.stderr  # compose passes ${TINGET_SMTP_PORT:-}: empty means unset


def test_gunicorn_stops_before_any_worker_with_the_setting_named(tmp_path):
    done = subprocess.run([str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "--workers", "1",  # noqa: S603
                           "--bind", "127.0.0.1:0", "web.wsgi:app"], capture_output=True, text=True, timeout=120,
                          env=_env(tmp_path, TINGET_RATE_LIMIT_POLLS="often"), cwd=ROOT)
    assert done.returncode != 0
    assert "Tinget configuration: TINGET_RATE_LIMIT_POLLS='often' is not a rate limit" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "Booting worker" not in done.stderr


def test_a_production_configuration_made_directly_says_the_same_about_the_secret_key(monkeypatch):
    """ProductionConfig() without check_environment (a script, a test) names the missing key in the same
    words as the startup check (one source for both)."""
    from web.config import ConfigError, ProductionConfig, check_environment

    monkeypatch.delenv("TINGET_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError) as direct:
        ProductionConfig()
    with pytest.raises(ConfigError) as checked:
        check_environment("production")
    assert str(direct.value) == "TINGET_SECRET_KEY must be set in production (e.g. openssl rand -hex 32)"
    assert str(direct.value) in str(checked.value)
