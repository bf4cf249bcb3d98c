"""The demo municipality: KB content from kb/content and demo users (logins printed by `make run`)."""

from __future__ import annotations

from pathlib import Path

import yaml

from kb.importer import CONTENT_DIR, load_content
from web.extensions import db
from web.services.users import upsert_user

# The demo municipality's mail settings (Municipality.settings["mail"]): auto-reply only for purely
# informational topics, at a high confidence; set-aside mails kept 30 days for review.
DEMO_MAIL_SETTINGS = {
    "auto_reply_intents": ["library", "swimming_sports", "contact_opening_hours", "recycling_station",
                           "parking_permit", "job_vacancies", "emergency_medical"],
    "auto_reply_min_confidence": 0.90,
    "set_aside_days": 30,
}


def load_demo(content_dir: Path = CONTENT_DIR, municipality_dir: str = "demo", progress=None):
    municipality, report = load_content(db.session, content_dir, municipality_dir, progress=progress)
    data = yaml.safe_load((content_dir / municipality_dir / "municipality.yml").read_text(encoding="utf-8"))
    if "mail" not in (municipality.settings or {}):  # an admin's later changes are kept
        municipality.settings = {**(municipality.settings or {}), "mail": dict(DEMO_MAIL_SETTINGS)}
    logins = []
    for u in data.get("users") or []:
        upsert_user(municipality, u["email"], u["name"], u.get("role", "caseworker"), u["password"],
                    u.get("departments", []), published_password=True)
        logins.append((u["email"], u["password"], u.get("role", "caseworker"),
                       "all" if u.get("departments") == "all" else ", ".join(u.get("departments", []))))
    db.session.commit()
    return municipality, report, logins
