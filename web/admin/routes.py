from __future__ import annotations

from flask import render_template
from flask_login import current_user
from sqlalchemy import select

from web.admin import admin_required, bp
from web.extensions import db
from web.models import TransparencyRecord


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
