from __future__ import annotations

from pathlib import Path

from flask import current_app, jsonify, render_template, request, send_from_directory
from sqlalchemy import select

from tinget.models import Municipality
from web.extensions import db
from web.public import bp
from web.services.assets import gzipped, minified
from web.services.inquiry import model_version, rasa_client
from web.services.rasa_client import RasaUnavailable

STATIC = Path(__file__).resolve().parent.parent / "static"


@bp.get("/")
def demo_page():
    municipality = db.session.scalar(select(Municipality).order_by(Municipality.id).limit(1))
    return render_template("public/demo.html", municipality=municipality)


@bp.get("/accessibility")
def accessibility():
    """The statement names the municipality's own phone and e-mail (its settings) for help by another way;
    ``?municipality=<slug>`` picks the municipality, else the first (as the demo page does)."""
    query = select(Municipality).order_by(Municipality.id)
    if request.args.get("municipality"):
        query = query.where(Municipality.slug == request.args["municipality"])
    municipality = db.session.scalar(query.limit(1))
    return render_template("public/accessibility.html", municipality=municipality,
                           contact=_contact(municipality))


def _contact(municipality: Municipality | None) -> dict[str, str]:
    """The municipality's public phone, e-mail and service-desk hours (settings; admin-editable)."""
    settings = (municipality.settings or {}) if municipality else {}
    return {"phone": settings.get("phone", ""), "email": settings.get("email", ""),
            "hours": settings.get("service_desk_hours", "")}


@bp.get("/widget.js")
def widget_js():
    """The widget script, minified, gzipped where the browser takes it (web/services/assets.py)."""
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        resp = current_app.response_class(gzipped(STATIC / "widget.js"), mimetype="text/javascript")
        resp.headers["Content-Encoding"] = "gzip"
    else:
        resp = current_app.response_class(minified(STATIC / "widget.js"), mimetype="text/javascript")
    resp.headers["Vary"] = "Accept-Encoding"
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.cache_control.public, resp.cache_control.max_age = True, 300
    resp.add_etag()
    return resp.make_conditional(request)


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico on every page that names none (a 404 in every console log)."""
    return send_from_directory(STATIC, "favicon.svg", mimetype="image/svg+xml", max_age=86400)


@bp.get("/healthz")
def healthz():
    """For monitoring and `make run`'s supervisor: 503 with ``database`` = unreachable | not_migrated | older |
    newer | missing while the database cannot serve this version (a SELECT 1 said ok on a database an upgrade
    had not migrated, while every resident's message failed). No URL or error text: the page is public."""
    from web.services.schema import database_state

    state, _detail = database_state()
    try:
        rasa = rasa_client().status()
    except RasaUnavailable:
        rasa = {}
    body = {"status": "ok" if state == "ok" else "unavailable", "database": state,
            "rasa": bool(rasa.get("model_file")), "model": model_version(rasa)}
    return jsonify(body), 200 if state == "ok" else 503
