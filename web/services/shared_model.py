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

from flask import current_app
from sqlalchemy import func, select

from tinget.models import Municipality
from web.extensions import db


def team() -> list[str]:
    """The municipalities (slugs) whose admins may change the shared model, as configured."""
    return list(current_app.config.get("BOT_TEAM") or [])


def may_change(user) -> bool:
    """Whether ``user`` (an admin) may add training examples and retrain the installation's bot."""
    if not getattr(user, "is_admin", False):
        return False
    members = team()
    if members:
        return user.municipality.slug in members
    return db.session.scalar(select(func.count(Municipality.id))) == 1
