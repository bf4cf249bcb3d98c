from __future__ import annotations

from flask import abort, flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from web.admin import admin_required, bp
from web.extensions import db
from web.models import TransparencyRecord, User
from web.services import users


@bp.get("/")
@admin_required
def index():
    return render_template("admin/index.html")


@bp.get("/transparency")
@admin_required
def transparency():
    rows = db.session.scalars(
        select(TransparencyRecord).where(TransparencyRecord.municipality_id == current_user.municipality_id)
        .order_by(TransparencyRecord.id.desc()).limit(200)).all()
    return render_template("admin/transparency.html", rows=rows)


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.municipality_id != current_user.municipality_id:
        abort(404)
    return user


@bp.post("/users/<int:user_id>/reset")
@admin_required
def reset_link(user_id: int):
    """Issue a one-time password reset link (shown once to the admin, who hands it to the user)."""
    user = _user_or_404(user_id)
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    link = url_for("auth.reset_password", token=users.reset_token(user, current_user), _external=True)
    flash(_("Reset link for %(email)s made. It works once.", email=user.email), "success")
    from web.admin.users_routes import render_users

    return render_users(reset_link=link, reset_user=user)
