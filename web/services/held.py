"""A caseworker's reply that was not sent, kept for the case page the console redirects to.

The console answers every reply POST with a redirect (post/redirect/get): a page that came back as the
answer to the POST was sent again by a reload ("Confirm form resubmission") - the reply went out once the
colleague's message was on the page, or was held back again and again. What the caseworker wrote is kept
here (encrypted: it may name the resident) for the page to put back into the reply box, until a reply on
the case is sent, the caseworker discards it, or it is KEEP_HOURS old."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from privacy.crypto import DecryptionError, decrypt, encrypt
from tinget.db import utcnow
from web.extensions import db
from web.models import Case, HeldReply, User

KEEP_HOURS = 24
MAX_CHARS = 50_000  # a held text longer than any reply may be (the box says how long it is)


@dataclass
class Held:
    text: str
    draft_id: int | None


def _key() -> str:
    return current_app.config["ENCRYPTION_KEY"]


def _row(case: Case, user: User) -> HeldReply | None:
    return db.session.scalar(select(HeldReply).where(HeldReply.case_id == case.id, HeldReply.user_id == user.id))


def hold(case: Case, user: User, text: str, draft_id: int | None = None) -> None:
    """Keep ``text`` (the latest one: it replaces an earlier held text of this caseworker on this case)."""
    row = _row(case, user) or HeldReply(case_id=case.id, user_id=user.id)
    row.ciphertext = encrypt((text or "")[:MAX_CHARS], _key())
    row.draft_id, row.created_at = draft_id, utcnow()
    db.session.add(row)
    db.session.commit()


def held(case: Case, user: User) -> Held | None:
    """The caseworker's held text on this case, or None (none, too old, or unreadable with today's key)."""
    row = _row(case, user)
    if row is None:
        return None
    try:
        if row.created_at >= utcnow() - timedelta(hours=KEEP_HOURS):
            return Held(decrypt(row.ciphertext, _key()), row.draft_id)
    except DecryptionError:
        pass
    discard(case, user)
    return None


def case_ids(user: User) -> set[int]:
    """The cases on which ``user`` has a reply held back (not too old): the queue marks them."""
    cutoff = utcnow() - timedelta(hours=KEEP_HOURS)
    return set(db.session.scalars(select(HeldReply.case_id).where(HeldReply.user_id == user.id,
                                                                  HeldReply.created_at >= cutoff)))


def forget(case: Case, user: User) -> None:
    """Delete the caseworker's held text on this case (the caller commits)."""
    db.session.execute(delete(HeldReply).where(HeldReply.case_id == case.id, HeldReply.user_id == user.id))


def discard(case: Case, user: User) -> None:
    forget(case, user)
    db.session.commit()


def purge(now=None) -> int:
    """Delete held texts older than KEEP_HOURS (retention); returns how many."""
    cutoff = (now or utcnow()) - timedelta(hours=KEEP_HOURS)
    count = db.session.execute(delete(HeldReply).where(HeldReply.created_at < cutoff)).rowcount or 0
    db.session.commit()
    return count
