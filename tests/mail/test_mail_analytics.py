"""The mail section of /admin/analytics: triage per day and per department, the auto-reply rate and the
caseworkers' overrides, from mails taken in by the real app (real parser, redactor and model)."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from tests.conftest import login
from tests.mail.conftest import build

ADMIN = ("admin@fjordvik.example", "demo-admin")


def _seed(app):
    from web.extensions import db
    from web.mail_models import MailItem
    from web.models import User
    from web.services import cases
    from web.services import mail as svc

    raws = [
        build("Hei! Når er biblioteket åpent på lørdag?", "Bibliotek", sender="a@example.org"),
        build("Vi søkte om barnehageplass i mars og har ikke fått svar. Hvor langt har søknaden kommet?",
              "Søknad barnehage", sender="b@example.org"),
        build("Jeg klager på vedtaket om avslag på kommunal bolig.", "Klage", sender="c@example.org"),
        build("Out of office", "Automatic reply: x", sender="d@example.org", Auto_Submitted="auto-replied"),
    ]
    with app.app_context():
        results = svc.intake(svc.municipality_for("fjordvik"), raws)
        assert [r["status"] for r in results] == ["answer", "route", "route", "set_aside"]
        admin = db.session.scalars(select(User).where(User.role == "admin")).first()
        housing = db.session.scalars(select(MailItem).where(MailItem.department == "welfare")).one()
        cases.reassign(housing.case, admin, "service_desk", "needs the front desk first")
    return results


def test_mail_section_counts_auto_replies_and_overrides(mail_app):
    from tinget.db import utcnow
    from tinget.models import Municipality
    from web.extensions import db
    from web.services import analytics

    results = _seed(mail_app)
    today = utcnow().date()
    with mail_app.app_context():
        m = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
        mail = analytics.compute(m.id, analytics.parse_range(None, None, today)).mail
    assert mail.per_day[-1] == {"auto_reply": int(results[0]["auto_reply"]), "answer": 1 - int(results[0]["auto_reply"]),
                                "route": 2, "set_aside": 1}
    assert sum(sum(c.values()) for c in mail.per_day[:-1]) == 0
    assert mail.total == 4 and mail.resident_mails == 3
    assert mail.auto_reply_rate == (1 / 3 if results[0]["auto_reply"] else 0.0)
    assert set(mail.departments) == {"culture", "education", "welfare"}
    assert mail.per_day_department[-1] == {"culture": 1, "education": 1, "welfare": 1}
    by_dep = {d: (kept, changed) for d, kept, changed in mail.by_department}
    assert by_dep == {"culture": (1, 0), "education": (1, 0), "welfare": (0, 1)}
    assert mail.changes == [("welfare", "service_desk", 1)]
    assert mail.department_changes == 1 and mail.override_rate == 1 / 3


def test_mail_section_on_the_page_and_in_the_csv(mail_app):
    _seed(mail_app)
    client = mail_app.test_client()
    login(client, *ADMIN)
    page = client.get("/admin/analytics?lang=en").get_data(as_text=True)
    for chart in ("mail-actions", "mail-departments", "mail-overrides"):
        assert f'id="chart-{chart}" role="img"' in page
        assert f'aria-labelledby="chart-{chart}-title chart-{chart}-desc"' in page
    assert "4 mails from" in page and "routed, 1 set aside" in page
    assert "Of 3 mail cases, caseworkers moved 1 to another department (33 %)" in page
    assert "Auto-reply rate" in page and "style=" not in page
    nb = client.get("/admin/analytics?lang=nb").get_data(as_text=True)
    assert "Saksbehandlere som overstyrte sorteringen" in nb and "Andel automatiske svar" in nb
    rows = list(csv.DictReader(io.StringIO(client.get("/admin/analytics.csv").get_data(as_text=True))))
    get = {(r["metric"], r["key"]): r["value"] for r in rows}
    assert get[("mail_override_rate", "")] == "0.3333"
    assert get[("mail_cases_department_changed", "welfare")] == "1"
    assert sum(int(r["value"]) for r in rows if r["metric"] == "mail_route") == 2


def test_no_mail_no_mail_charts(mail_app):
    client = mail_app.test_client()
    login(client, *ADMIN)
    page = client.get("/admin/analytics?lang=en").get_data(as_text=True)
    assert "No mail in this range." in page and "chart-mail-actions" not in page
