"""The demo municipality: KB content from kb/content and demo users (logins printed by `make run`)."""

from __future__ import annotations

from pathlib import Path

import yaml

from kb.importer import CONTENT_DIR, load_content
from web.extensions import db
from web.services.users import upsert_user


def load_demo(content_dir: Path = CONTENT_DIR, municipality_dir: str = "demo", progress=None):
    municipality, report = load_content(db.session, content_dir, municipality_dir, progress=progress)
    data = yaml.safe_load((content_dir / municipality_dir / "municipality.yml").read_text(encoding="utf-8"))
    logins = []
    for u in data.get("users") or []:
        upsert_user(municipality, u["email"], u["name"], u.get("role", "caseworker"), u["password"],
                    u.get("departments", []))
        logins.append((u["email"], u["password"], u.get("role", "caseworker"),
                       "all" if u.get("departments") == "all" else ", ".join(u.get("departments", []))))
    db.session.commit()
    return municipality, report, logins
