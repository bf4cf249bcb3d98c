"""Teach the bot: group unanswered questions, turn them into training examples, retrain."""

from __future__ import annotations

from flask import render_template

from web.admin import admin_required, bp


@bp.get("/teach")
@admin_required
def teach():
    return render_template("admin/teach/index.html")
