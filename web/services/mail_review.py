"""Review of the mails triage set aside (auto-replies, bounces, newsletters, spam, empty mails, loops).

A set-aside mail is kept for the municipality's review period (``MailSettings.set_aside_days``), then
retention deletes it. Until then any caseworker or admin of the municipality can look at it (subject
and redacted text, the kind and the evidence the rule found) and restore it as a case in a department
with one click. Restoring is audited, noted on the new case, and counted as an override of the
triage in analytics (``MailItem.released_at``).
"""

from __future__ import annotations

from sqlalchemy import func, select

from privacy.crypto import decrypt
from tinget.catalog import DEFAULT_DEPARTMENT
from tinget.db import utcnow
from web.extensions import db
from web.mail_models import MailItem
from web.models import AuditEvent, Case, User

KINDS = ("auto_reply", "bounce", "newsletter", "spam", "empty")
STATES = ("waiting", "restored")
PAGE = 200


class NotRestorable(ValueError):
    """The mail was restored already, is not a set-aside mail, or the department is unknown."""


def _base(user: User):
    return select(MailItem).where(MailItem.municipality_id == user.municipality_id, MailItem.direction == "in",
                                  MailItem.action == "set_aside")


def items(user: User, *, state: str = "waiting", kind: str | None = None) -> list[MailItem]:
    """Set-aside mails of the user's municipality, newest first. ``waiting``: not restored and still
    within the review period; ``restored``: moved into a case by someone."""
    query = _base(user)
    if state == "restored":
        query = query.where(MailItem.released_at.is_not(None))
    else:
        query = query.where(MailItem.released_at.is_(None))
        query = query.where((MailItem.keep_until.is_(None)) | (MailItem.keep_until >= utcnow()))
    if kind in KINDS:
        query = query.where(MailItem.set_aside_kind == kind)
    return list(db.session.scalars(query.order_by(MailItem.received_at.desc(), MailItem.id.desc()).limit(PAGE)))


def counts(user: User) -> dict[str, int]:
    """Waiting set-aside mails per kind (for the filter)."""
    rows = db.session.execute(
        select(MailItem.set_aside_kind, func.count(MailItem.id))
        .where(MailItem.municipality_id == user.municipality_id, MailItem.direction == "in",
               MailItem.action == "set_aside", MailItem.released_at.is_(None),
               (MailItem.keep_until.is_(None)) | (MailItem.keep_until >= utcnow()))
        .group_by(MailItem.set_aside_kind)).all()
    return {k or "": int(n) for k, n in rows}


def get(user: User, item_id: int) -> MailItem | None:
    """A set-aside mail of the user's own municipality (None otherwise: no hint that it exists)."""
    item = db.session.get(MailItem, item_id)
    if item is None or item.municipality_id != user.municipality_id or item.direction != "in" \
            or item.action != "set_aside":
        return None
    return item


def sender_domain(item: MailItem) -> str:
    """The part of the sender's address after @: enough to tell a mail system or a newsletter from a
    resident, without showing the address (decrypted here only to read its domain)."""
    if not item.sender:
        return ""
    from flask import current_app

    try:
        address = decrypt(item.sender, current_app.config["ENCRYPTION_KEY"])
    except Exception:  # a key rotated since: the review still works without the domain
        return ""
    return address.rpartition("@")[2][:100]


def restore(item: MailItem, user: User, department: str | None = None) -> Case:
    """Open a case from a set-aside mail (once), in ``department`` (the service desk by default)."""
    from web.services import cases
    from web.services.mail import release

    if item.released_at is not None or item.case_id is not None:
        raise NotRestorable("This mail was restored already.")
    m = user.municipality
    department = department or DEFAULT_DEPARTMENT
    if m.department(department) is None:
        raise NotRestorable(f"Unknown department '{department}'.")
    # claim the row first: two caseworkers clicking at once make one case, not two
    claimed = db.session.execute(
        MailItem.__table__.update().where(MailItem.id == item.id, MailItem.released_at.is_(None))
        .values(released_at=utcnow())).rowcount
    if claimed != 1:
        db.session.rollback()
        raise NotRestorable("This mail was restored already.")
    db.session.refresh(item)
    case = release(item, user, department)  # commits
    case.notes.append(cases.system_note("restored", user, kind=item.set_aside_kind or "unknown",
                                        reason=item.reason[:200]))
    db.session.add(AuditEvent(municipality_id=item.municipality_id, actor=user.email, action="restore_set_aside_mail",
                              target=f"mail:{item.id}",
                              details={"case_id": case.id, "department": department, "kind": item.set_aside_kind}))
    db.session.commit()
    cases.after_open(case)  # suggester drafts; failing is logged, the case stays
    return case
