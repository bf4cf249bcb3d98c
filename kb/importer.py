"""Load KB content files (kb/content/) into the database, idempotently.

- ``national/<intent>.yml``: base articles (municipality NULL), all languages.
- ``national/system.yml``: system and conversation texts.
- ``<municipality>/municipality.yml``: the tenant, its departments and settings.
- ``<municipality>/overrides/<intent>.yml``: local overrides.

Rows an admin edited (``updated_by`` not ``import``) are left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.models import Article, ArticleVersion, SystemText
from tinget.models import Department, Municipality

CONTENT_DIR = Path(__file__).with_name("content")
IMPORTER = "import"


class ContentError(ValueError):
    """A content file is malformed; the message names the file and the problem."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_edited: int = 0
    errors: list[str] = field(default_factory=list)


def _read_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ContentError(f"{path}: not valid YAML/UTF-8: {exc}") from exc
    if not isinstance(data, dict):
        raise ContentError(f"{path}: expected a mapping at the top level")
    return data


def read_article_file(path: Path) -> list[dict]:
    """One intent file -> article dicts (intent, lang, title, body, source_path, department)."""
    data = _read_yaml(path)
    intent = data.get("intent")
    if not intent:
        raise ContentError(f"{path}: missing 'intent'")
    out = []
    for lang, art in (data.get("articles") or {}).items():
        missing = [k for k in ("title", "body") if not (art or {}).get(k)]
        if missing:
            raise ContentError(f"{path}: article {intent}/{lang} lacks {', '.join(missing)}")
        out.append({
            "intent": intent, "lang": lang, "title": art["title"].strip(), "body": art["body"].strip(),
            "source_path": art.get("source_path", ""), "department": data.get("department", ""),
        })
    return out


def upsert_article(session: Session, municipality_id: int | None, item: dict, report: ImportReport) -> None:
    article = session.scalar(select(Article).where(
        Article.municipality_id.is_(municipality_id) if municipality_id is None
        else Article.municipality_id == municipality_id,
        Article.intent == item["intent"], Article.lang == item["lang"]))
    if article is None:
        article = Article(municipality_id=municipality_id, updated_by=IMPORTER, version=1, **item)
        session.add(article)
        session.flush()
        session.add(ArticleVersion(article_id=article.id, version=1, title=article.title, body=article.body,
                                   source_path=article.source_path, created_by=IMPORTER))
        report.created += 1
        return
    if article.updated_by != IMPORTER:
        report.skipped_edited += 1
        return
    if (article.title, article.body, article.source_path, article.department) == (
            item["title"], item["body"], item["source_path"], item["department"]):
        report.unchanged += 1
        return
    article.title, article.body = item["title"], item["body"]
    article.source_path, article.department = item["source_path"], item["department"]
    article.version += 1
    session.add(ArticleVersion(article_id=article.id, version=article.version, title=article.title,
                               body=article.body, source_path=article.source_path, created_by=IMPORTER))
    report.updated += 1


def load_articles(session: Session, files: Iterable[Path], municipality_id: int | None,
                  progress: Callable[[str], None] | None = None) -> ImportReport:
    report = ImportReport()
    for path in sorted(files):
        for item in read_article_file(path):
            upsert_article(session, municipality_id, item, report)
        if progress:
            progress(path.stem)
    return report


def load_system_texts(session: Session, path: Path, municipality_id: int | None = None) -> int:
    data = _read_yaml(path)
    n = 0
    for key, per_lang in (data.get("texts") or {}).items():
        for lang, text in (per_lang or {}).items():
            row = session.scalar(select(SystemText).where(
                SystemText.key == key, SystemText.lang == lang,
                SystemText.municipality_id.is_(None) if municipality_id is None
                else SystemText.municipality_id == municipality_id))
            if row is None:
                session.add(SystemText(municipality_id=municipality_id, key=key, lang=lang, text=str(text).strip()))
                n += 1
            elif row.text != str(text).strip():
                row.text = str(text).strip()
                n += 1
    return n


def load_municipality(session: Session, path: Path) -> Municipality:
    data = _read_yaml(path)
    for key in ("slug", "name"):
        if not data.get(key):
            raise ContentError(f"{path}: missing '{key}'")
    m = session.scalar(select(Municipality).where(Municipality.slug == data["slug"]))
    if m is None:
        m = Municipality(slug=data["slug"], name=data["name"])
        session.add(m)
    m.name = data["name"]
    m.default_lang = data.get("default_lang", "nb")
    m.website = data.get("website", "")
    m.privacy_policy_url = data.get("privacy_policy_url", "")
    settings = dict(data.get("settings") or {})
    for key in ("fees", "hours", "nursing_homes", "school_districts"):
        if key in data:
            settings[key] = data[key]
    m.settings = settings
    session.flush()
    existing = {d.key: d for d in m.departments}
    for dep in data.get("departments") or []:
        d = existing.get(dep["key"]) or Department(key=dep["key"], municipality=m)
        d.names = dep.get("names", {})
        d.phone = dep.get("phone", "")
        d.email = dep.get("email", "")
        d.signatures = dep.get("signature", {}) or dep.get("signatures", {})
        session.add(d)
    session.flush()
    return m


def load_content(session: Session, content_dir: Path = CONTENT_DIR, municipality_dir: str = "demo",
                 progress: Callable[[str], None] | None = None) -> tuple[Municipality, ImportReport]:
    """National base + one municipality with its overrides. Returns the municipality and a report."""
    national = content_dir / "national"
    report = load_articles(session, [p for p in national.glob("*.yml") if p.name != "system.yml"], None, progress)
    if (national / "system.yml").exists():
        load_system_texts(session, national / "system.yml")
    mdir = content_dir / municipality_dir
    municipality = load_municipality(session, mdir / "municipality.yml")
    local = load_articles(session, (mdir / "overrides").glob("*.yml"), municipality.id, progress)
    for k in ("created", "updated", "unchanged", "skipped_edited"):
        setattr(report, k, getattr(report, k) + getattr(local, k))
    session.commit()
    return municipality, report
