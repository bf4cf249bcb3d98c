"""Accounts: argon2 password hashing, creation and lookup."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from tinget.models import Municipality
from tinget.text import first_control
from web.extensions import db, login_manager
from web.models import User

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(user: User, password: str) -> bool:
    try:
        ok = _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if ok and _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    return ok


def authenticate(email: str, password: str) -> User | None:
    email = (email or "").strip().lower()
    # no address has a control character (refused, not cleaned: func.lower() is untyped, so the column type
    # does not clean the compared value, and Postgres refuses NUL in the query: a 500 on the login page)
    user = None if first_control(email) else db.session.scalar(select(User).where(func.lower(User.email) == email))
    if user is None or not user.active:
        _hasher.hash(password or "x")  # same work either way: no user enumeration by timing
        return None
    return user if check_password(user, password or "") else None


class UserOfOtherMunicipality(ValueError):
    """The e-mail address is another municipality's user's login (e-mails are unique across a region
    install): a command for this municipality must not change that user."""

    def __init__(self, email: str, municipality: Municipality):
        super().__init__(f"{email} is the login of a user of another municipality on this installation; "
                         f"not changed. Use another e-mail address for {municipality.name}.")
        self.email = email


def upsert_user(municipality: Municipality, email: str, name: str, role: str, password: str,
                departments: list[str] | str, *, published_password: bool = False) -> User:
    """A user as the command line makes it (``tinget demo load``): created, or its name, role and departments
    updated. The name is normalised as on the users page (one line, no control characters), and a password
    it sets follows the password rule (PasswordRefused), except ``published_password``: the demo logins,
    printed by ``make run`` for anyone to use, are not secrets the rule could protect.

    Only a user of ``municipality`` is ever changed: an address that is another municipality's user's login
    (matched without regard to case, as the users page does) raises :class:`UserOfOtherMunicipality`. Before,
    such a user got this municipality's name, role and departments (a caseworker of another tenant saw this
    one's cases)."""
    from web.services.user_admin import display_name  # user_admin imports this module

    name = display_name(name)
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is not None and user.municipality_id != municipality.id:
        raise UserOfOtherMunicipality(email, municipality)
    if user is None or not user.password_hash:
        code = None if published_password else password_refusal(password, email)
        if code:
            raise PasswordRefused(code)
    if user is None:
        user = User(email=email, municipality=municipality)
        db.session.add(user)
    if not user.password_hash:
        user.password_hash = hash_password(password)
    user.name, user.role = name, role
    keys = {d.key for d in municipality.departments} if departments == "all" else set(departments or [])
    user.departments = [d for d in municipality.departments if d.key in keys]
    db.session.flush()
    return user


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user of a session id ``<id>.<password fingerprint>``; a changed password ends old sessions."""
    user_id, _, _fingerprint = (session_id or "").partition(".")
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.get_id() == session_id else None


# ------------------------------------------------------------------ password reset by an admin
def _reset_serializer():
    from flask import current_app
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="tinget-password-reset")


def _fingerprint(user: User) -> str:
    """Changes whenever the password changes: a reset link works once, and not after any later change."""
    import hashlib

    return hashlib.sha256(f"{user.id}:{user.password_hash}".encode()).hexdigest()[:24]


def reset_token(user: User, admin: User) -> str:
    """A one-time, time-limited token for the reset link an admin hands to the user (audited)."""
    from web.models import AuditEvent

    db.session.add(AuditEvent(municipality_id=user.municipality_id, actor=admin.email, action="password_reset_issued",
                              target=f"user:{user.id}"))
    db.session.commit()
    return _reset_serializer().dumps({"u": user.id, "f": _fingerprint(user)})


def user_for_reset_token(token: str, max_age: int) -> User | None:
    from itsdangerous import BadData

    try:
        data = _reset_serializer().loads(token, max_age=max_age)
    except BadData:
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) and isinstance(data.get("u"), int) else None
    if user is None or not user.active or data.get("f") != _fingerprint(user):
        return None
    return user


# ------------------------------------------------------------------ the password rule
# NIST SP 800-63B style: length, not composition (no "one digit and one capital"), but a blocklist of what
# is guessed first. Runs are checked case-insensitively, in both directions.
PASSWORD_MIN_DISTINCT = 5
_RUNS = ("0123456789" * 4, "abcdefghijklmnopqrstuvwxyzæøå", "abcdefghijklmnopqrstuvwxyzåäö",
         "qwertyuiopåasdfghjkløæzxcvbnm", "qwertyuiopåasdfghjklöäzxcvbnm", "qwertyuiopasdfghjklzxcvbnm",
         "qwertzuiopasdfghjklyxcvbnm", "azertyuiopqsdfghjklmwxcvbn")


def password_refusal(password: str, email: str = "") -> str | None:
    """Why a new password is refused, as a code, or None. One rule for the users page, the reset link and
    every later way of setting a password:

    - ``short``: fewer than PASSWORD_MIN_LENGTH (12) characters; spaces count and nothing is trimmed, so a
      passphrase is welcome;
    - ``blank``: only whitespace;
    - ``repeated``: one piece repeated (``aaaaaaaaaaaa``, ``abcabcabcabc``, ``sommersommer``) or fewer than
      PASSWORD_MIN_DISTINCT (5) different characters (``aaaabbbbaaaa``);
    - ``sequence``: a run of digits, letters or keyboard keys (``123456789012``, ``qwertyuiopås``);
    - ``email``: holds the account's e-mail address, or is its part before @ with digits or signs added
      (``Kari.Nordmann2024!`` for kari.nordmann@...).
    """
    from flask import current_app

    password = password or ""
    if not password.strip():
        return "blank" if password else "short"
    if len(password) < current_app.config["PASSWORD_MIN_LENGTH"]:
        return "short"
    lowered = password.lower()
    if (password + password).find(password, 1) < len(password) or len(set(lowered)) < PASSWORD_MIN_DISTINCT:
        return "repeated"
    if any(lowered in run or lowered in run[::-1] for run in _RUNS):
        return "sequence"
    email = (email or "").strip().lower()
    if email and (email in lowered or _letters(lowered) == _letters(email.partition("@")[0])):
        return "email"
    return None


def _letters(text: str) -> str:
    return re.sub(r"[\W\d_]", "", text)


class PasswordRefused(ValueError):
    """A new password the rule refuses; ``code`` as :func:`password_refusal` gives it."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def set_password(user: User, password: str, *, actor: str) -> None:
    """Set the password a user chose (reset link); raises PasswordRefused."""
    from web.models import AuditEvent

    code = password_refusal(password, user.email)
    if code:
        raise PasswordRefused(code)
    user.password_hash = hash_password(password)
    db.session.add(AuditEvent(municipality_id=user.municipality_id, actor=actor, action="password_changed",
                              target=f"user:{user.id}"))
    db.session.commit()


def municipality_users(municipality_id: int) -> list[User]:
    return list(db.session.scalars(select(User).where(User.municipality_id == municipality_id).order_by(User.email)))


def for_oidc(claims: dict) -> User | None:
    """The active user whose e-mail the provider verified (``email_verified`` false refuses the login)."""
    email = claims.get("email") or claims.get("preferred_username") or ""
    if not isinstance(email, str) or "@" not in email or claims.get("email_verified") is False:
        return None
    if first_control(email):  # refused as at the login form: func.lower() is untyped, NUL was a 500 on Postgres
        return None
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    return user if user is not None and user.active else None
