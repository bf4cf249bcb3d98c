"""Locale selection for console, admin and widget strings (Flask-Babel)."""

from __future__ import annotations

from flask import current_app, request, session
from flask_login import current_user


def select_locale() -> str:
    langs = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked in langs:
        session["lang"] = asked
        return asked
    if session.get("lang") in langs:
        return session["lang"]
    if getattr(current_user, "is_authenticated", False) and current_user.lang in langs:
        return current_user.lang
    # Browsers say "no" for Norwegian; treat it as bokmål.
    best = request.accept_languages.best_match([*langs, "no"])
    return "nb" if best in (None, "no") else best
