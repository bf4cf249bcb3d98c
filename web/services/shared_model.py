"""Who may change the bot model: one model answers the residents of every municipality of an installation.

A region's municipalities share one installation, one Rasa model and one set of training data. Training
examples taught or imported by one municipality's admin, and a retrain started by one, change how every
municipality's residents are understood. So on an installation with several municipalities only the
admins of the municipalities named in ``BOT_TEAM`` (``TINGET_BOT_TEAM``, comma-separated slugs: the
region's bot team) may add training examples and retrain; the other admins still see their question groups
and request articles (their own KB). With one municipality its admins may, as before; an operator can
always train from the command line (``tinget bot train``).
"""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import func, select

from tinget.models import Municipality
from web.extensions import db

log = logging.getLogger(__name__)


def team() -> list[str]:
    """The municipalities (slugs) whose admins may change the shared model: those of ``BOT_TEAM`` that exist.
    A slug that names no municipality (a typo) is left out and logged, so the pages never name a team that
    nobody is in; with none left, the operator trains and the page points to the setting."""
    configured = list(current_app.config.get("BOT_TEAM") or [])
    if not configured:
        return []
    known = set(db.session.scalars(select(Municipality.slug).where(Municipality.slug.in_(configured))))
    unknown = [slug for slug in configured if slug not in known]
    if unknown:
        log.warning("TINGET_BOT_TEAM names no municipality: %s", ", ".join(unknown))
    return [slug for slug in configured if slug in known]


def team_names() -> list[str]:
    """The bot team's municipalities by their names ("Fjordvik kommune"), as the pages name them: the slugs
    are the operator's words, not the admins'."""
    slugs = team()
    if not slugs:
        return []
    return list(db.session.scalars(select(Municipality.name).where(Municipality.slug.in_(slugs))
                                   .order_by(Municipality.name)))


def may_change(user) -> bool:
    """Whether ``user`` (an admin) may add training examples and retrain the installation's bot."""
    if not getattr(user, "is_admin", False):
        return False
    if current_app.config.get("BOT_TEAM"):  # a team is configured: its members only (none if all are typos)
        return user.municipality.slug in team()
    return db.session.scalar(select(func.count(Municipality.id))) == 1
