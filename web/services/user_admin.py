"""Users and departments as an admin manages them, always inside the admin's own municipality.

Every change is written to the audit log. Errors are :class:`UserAdminError` with a short code the
web layer turns into a translated message; nothing is changed when one is raised.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select

from tinget.models import Department
from tinget.text import clean, first_control
from web.extensions import db
from web.models import AuditEvent, User
from web.services.users import hash_password, password_refusal

ROLES = ("caseworker", "admin")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DEPARTMENT_KEY = re.compile(r"^[a-z][a-z0-9_]{1,63}$")


class UserAdminError(ValueError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code  # email_invalid | email_taken | email_unavailable | role_invalid | password_<refusal> |
        # self_deactivate | self_demote | department_unknown | key_invalid | key_taken | name_missing | lang_invalid


def users(admin: User) -> list[User]:
    return list(db.session.scalars(select(User).where(User.municipality_id == admin.municipality_id)
                                   .order_by(User.active.desc(), User.name)))


def get_user(admin: User, user_id: int) -> User | None:
    """A user of the admin's municipality; ``None`` for another tenant's user (the page answers 404)."""
    user = db.session.get(User, user_id)
    return user if user is not None and user.municipality_id == admin.municipality_id else None


def departments(admin: User) -> list[Department]:
    return list(db.session.scalars(select(Department).where(Department.municipality_id == admin.municipality_id)
                                   .order_by(Department.key)))


def get_department(admin: User, department_id: int) -> Department | None:
    dep = db.session.get(Department, department_id)
    return dep if dep is not None and dep.municipality_id == admin.municipality_id else None


def _audit(admin: User, action: str, target: str, **details) -> None:
    db.session.add(AuditEvent(municipality_id=admin.municipality_id, actor=admin.email, action=action,
                              target=target, details=details))


def _one_line(text: str | None) -> str:
    """A name as one line, without control characters (invisible, and Postgres refuses NUL)."""
    return " ".join(clean(text or "").split())  # cleaned before the check for an empty name (create/update_user)


def _check(admin: User, email: str, role: str, department_keys: list[str], user: User | None = None) -> list:
    # an address with a control character is refused, not cleaned: cleaned, it may be a colleague's
    if first_control(email) or not EMAIL.match(email):
        raise UserAdminError("email_invalid")
    other = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
    if other is not None and other is not user:  # e-mails are unique across the installation (they are the login)
        # a colleague the admin can see anyway is named as such; another municipality's user is not: the refusal
        # says only that the address cannot be used here, never that it is anyone's on the installation
        raise UserAdminError("email_taken" if other.municipality_id == admin.municipality_id else "email_unavailable")
    if role not in ROLES:
        raise UserAdminError("role_invalid")
    deps = {d.key: d for d in departments(admin)}
    unknown = set(department_keys) - set(deps)
    if unknown:
        raise UserAdminError("department_unknown")
    return [deps[k] for k in department_keys]


def display_name(text: str | None) -> str:
    """A user's or department's name as the users page stores it: one line, no control characters (also
    for users made by the command line, web.services.users.upsert_user)."""
    return _one_line(text)


def _check_password(password: str, email: str) -> None:
    code = password_refusal(password, email)  # the one rule (web.services.users)
    if code:
        raise UserAdminError(f"password_{code}")


def create_user(admin: User, *, email: str, name: str, role: str, department_keys: list[str], password: str,
                lang: str = "nb") -> User:
    email, name = (email or "").strip(), _one_line(name)
    if not name:
        raise UserAdminError("name_missing")
    deps = _check(admin, email, role, department_keys)
    _check_password(password, email)
    user = User(municipality_id=admin.municipality_id, email=email, name=name, role=role, lang=lang,
                password_hash=hash_password(password), active=True)
    user.departments = deps
    db.session.add(user)
    db.session.flush()
    _audit(admin, "user_create", f"user:{user.id}", role=role, departments=department_keys)
    db.session.commit()
    return user


def update_user(admin: User, user: User, *, email: str, name: str, role: str, department_keys: list[str],
                lang: str) -> User:
    email, name = (email or "").strip(), _one_line(name)
    if not name:
        raise UserAdminError("name_missing")
    deps = _check(admin, email, role, department_keys, user)
    if user.id == admin.id and role != "admin":
        raise UserAdminError("self_demote")  # the last way back in would be the shell
    user.email, user.name, user.role, user.lang, user.departments = email, name, role, lang, deps
    _audit(admin, "user_update", f"user:{user.id}", role=role, departments=department_keys)
    db.session.commit()
    return user


def set_active(admin: User, user: User, active: bool) -> int:
    """Let the user log in, or no longer. Deactivating returns the user's open cases to their departments'
    queues (web.services.cases.release_assigned); returns how many, for the admin to be told."""
    # cases imports much of the app; only needed here
    from web.services.cases import release_assigned

    if user.id == admin.id and not active:
        raise UserAdminError("self_deactivate")
    user.active = active
    released = 0 if active else release_assigned(user)
    _audit(admin, "user_activate" if active else "user_deactivate", f"user:{user.id}",
           **({} if active else {"cases_released": released}))
    db.session.commit()
    return released


def cases_to_release(user: User) -> int:
    """The open cases deactivating ``user`` would put back in the queues (the admin is asked first)."""
    from web.services.cases import open_assigned

    return open_assigned(user) if user.active else 0


def reset_password(admin: User, user: User, password: str) -> None:
    """Set a new password the admin gives the user out of band (the user changes it at next login)."""
    _check_password(password, user.email)
    user.password_hash = hash_password(password)
    _audit(admin, "password_reset", f"user:{user.id}")
    db.session.commit()


def create_department(admin: User, *, key: str, name: str, lang: str, phone: str = "", email: str = "") -> Department:
    key, name = (key or "").strip().lower(), _one_line(name)
    if not DEPARTMENT_KEY.match(key):
        raise UserAdminError("key_invalid")
    if any(d.key == key for d in departments(admin)):
        raise UserAdminError("key_taken")
    if not name:
        raise UserAdminError("name_missing")
    dep = Department(municipality_id=admin.municipality_id, key=key, names={lang: name}, phone=phone.strip(),
                     email=email.strip())
    db.session.add(dep)
    db.session.flush()
    _audit(admin, "department_create", f"department:{key}", name=name, lang=lang)
    db.session.commit()
    return dep


def rename_department(admin: User, dep: Department, *, name: str, lang: str) -> Department:
    """Set the department's name in one language (the key, used by queues and routing, stays)."""
    name = _one_line(name)
    if not name:
        raise UserAdminError("name_missing")
    dep.names = {**dep.names, lang: name}  # a new dict: JSON columns do not track in-place changes
    _audit(admin, "department_rename", f"department:{dep.key}", name=name, lang=lang)
    db.session.commit()
    return dep
