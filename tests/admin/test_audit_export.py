"""The audit log export: a municipality's admin (its data protection officer) reads who did what, when - its own
events only, retention's included - and could not before but in the database."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlalchemy import select

from tests.admin.test_users import ADMIN, _post, other_tenant  # noqa: F401  (the second municipality)
from tests.conftest import login
from tests.web.test_i18n import compiled_catalogues  # noqa: F401  (autouse: builds stale .mo files)
from tinget.db import utcnow
from web.extensions import db
from web.models import AuditEvent


def _rows(client) -> list[dict]:
    resp = client.get("/admin/audit.csv")
    assert resp.status_code == 200 and resp.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert resp.headers["Content-Disposition"] == \
        f"attachment; filename=tinget-audit-fjordvik-{utcnow().date().isoformat()}.csv"
    return list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))


def test_the_admin_exports_the_own_municipalitys_audit_log_only(app, client, other_tenant):  # noqa: F811
    with app.app_context():
        db.session.add(AuditEvent(municipality_id=2, actor="admin@elvdal.example", action="user_create",
                                  target="user:99", details={"role": "zqxelv"}))
        db.session.commit()
    login(client, *ADMIN)
    index = client.get("/admin/?lang=nn").get_data(as_text=True)
    assert 'href="/admin/audit.csv" download>Revisjonslogg: kven gjorde kva og når (CSV)</a>' in index
    _post(client, "/admin/users", "/admin/departments", {"key": "harbour", "name": "=HYPERLINK(\"x\")",
                                                        "lang": "nb"})
    # retention deletes an old conversation of Fjordvik's: the event is in Fjordvik's own log
    with app.app_context():
        from tests.admin import activity
        from tinget.models import Municipality
        from web.services import retention

        fjordvik = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
        activity.add_turn(fjordvik, utcnow() - timedelta(days=400), "Når tømmes søpla?", intent="waste_collection",
                          route="answer")
        db.session.commit()

        retention.run()
    rows = _rows(client)
    actions = [r["action"] for r in rows]
    assert "department_create" in actions and "retention_delete" in actions
    retained = next(r for r in rows if r["action"] == "retention_delete")
    assert retained["actor"] == "retention" and '"conversations": 1' in retained["details"]
    created = next(r for r in rows if r["action"] == "department_create")
    assert created["actor"] == ADMIN[0] and created["target"] == "department:harbour"
    assert '=HYPERLINK' in created["details"] and created["details"].startswith("{")
    export = client.get("/admin/audit.csv").get_data(as_text=True)
    assert "zqxelv" not in export and "elvdal" not in export


def test_caseworkers_cannot_export_the_audit_log(app, client):
    login(client, "skole@fjordvik.example", "demo-skole")
    assert client.get("/admin/audit.csv").status_code == 403
