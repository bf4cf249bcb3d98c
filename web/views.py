"""Small helpers the admin and console views share, so a route says only what it does: a row or 404,
a button's CSRF check (400), an incomplete form's message, and a service's refusal shown as a flash."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from flask import abort, flash
from flask_wtf import FlaskForm

T = TypeVar("T")
E = TypeVar("E", bound=Exception)


def or_404(row: T | None) -> T:
    """``row``, or a 404 when there is none (or it belongs to another tenant: the services answer None)."""
    if row is None:
        abort(404)
    return row


def require_valid(form: FlaskForm) -> None:
    """A button's bare form (its CSRF token only): a POST that does not validate is a 400."""
    if not form.validate_on_submit():
        abort(400)


def valid_or_flash(form: FlaskForm, message: str) -> bool:
    """``form.validate_on_submit()``; a submitted form that does not validate flashes ``message`` as an error."""
    if form.validate_on_submit():
        return True
    if form.is_submitted():
        flash(message, "error")
    return False


@contextmanager
def refusal_flashed(error: type[E], message: Callable[[E], str]) -> Iterator[None]:
    """Run a change; when the service refuses it with ``error``, flash ``message(exc)`` as an error and
    go on after the ``with`` block (the code in the block after the refused call does not run)."""
    try:
        yield
    except error as exc:
        flash(message(exc), "error")
