"""Fixtures for the privacy tests: one warmed-up real Redactor per test session."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def redactor():
    from privacy import get_redactor

    return get_redactor().warm_up()


@pytest.fixture(scope="session")
def found(redactor):
    """``found(text, lang)`` -> list of (value, label) the redactor finds."""

    def run(text: str, lang: str | None = None, allow=()):
        result = redactor.redact(text, lang, allow)
        return [(text[e.start:e.end], e.label) for e in result.entities]

    return run
