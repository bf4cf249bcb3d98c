"""Accounts: argon2 password hashing, creation and lookup."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from tinget.models import Municipality
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
    user = db.session.scalar(select(User).where(func.lower(User.email) == (email or "").strip().lower()))
    if user is None or not user.active:
        _hasher.hash(password or "x")  # same work either way: no user enumeration by timing
        return None
    return user if check_password(user, password or "") else None


def upsert_user(municipality: Municipality, email: str, name: str, role: str, password: str,
                departments: list[str] | str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, municipality=municipality)
        db.session.add(user)
        user.password_hash = hash_password(password)
    elif not user.password_hash:
        user.password_hash = hash_password(password)
    user.name, user.role = name, role
    keys = {d.key for d in municipality.departments} if departments == "all" else set(departments or [])
    user.departments = [d for d in municipality.departments if d.key in keys]
    db.session.flush()
    return user


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None
