"""Editing a municipality's KB: local overrides of the national base, drafts, publishing, history.

The national base (``municipality_id`` NULL) is shared by every municipality on the installation and
comes from the national content (``kb/content/national``, re-imported by the operator); a
municipality's admin never changes it. Editing a base article creates the municipality's *local
override* of it for that language; removing the override falls back to the base again.

Storage (kb.models):

- ``Article`` with a municipality is the override. Its row holds the *published* text, the one the
  bot and the suggester serve (``status`` published), or, before its first publication, the first
  draft (``status`` draft: not served, the base still answers). ``status`` removed: the override was
  withdrawn (its history is kept; creating the override again reuses the row).
- ``ArticleVersion`` rows are the history: every published version (``status`` published, numbered)
  and at most one pending draft per article (``status`` draft, ``version`` 0 until it is published).
  ``meta`` holds the owner department and the base version the override was written against, so the
  editor can say "the base changed since this override".

Works on any SQLAlchemy session; the caller commits.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.models import Article, ArticleVersion
from kb.placeholders import placeholder_values
from kb.validation import Problem, check_article
from tinget.catalog import LANGUAGES, load_catalogue
from tinget.db import utcnow
from tinget.models import Municipality
from tinget.text import clean


class NotFound(LookupError):
    """No such article/version for this municipality (the caller answers 404)."""


class NotPublished(ValueError):
    """Publishing refused; ``problems`` name the article, field, line and placeholder."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class Fields:
    title: str
    body: str
    source_url: str
    department: str

    @classmethod
    def of(cls, row: Article | ArticleVersion) -> Fields:
        dep = row.department if isinstance(row, Article) else (row.meta or {}).get("department", "")
        return cls(row.title, row.body, row.source_path, dep or "")

    def normalised(self) -> Fields:
        """Trimmed, with CRLF as LF and without control characters (tinget.text.clean): they are invisible
        in the editor and come with text pasted from Word or a PDF. Cleaned here, not only by the column
        type (tinget.db): before the publish checks, the comparison with the served article and the
        version's JSON meta. (An import file with one is refused instead: kb.transfer.)"""
        body = "\n".join(line.rstrip() for line in clean(self.body or "").replace("\r\n", "\n").split("\n")).strip()
        return Fields(" ".join(clean(self.title or "").split()), body, clean(self.source_url or "").strip(),
                      clean(self.department or "").strip())


@dataclass
class Entry:
    """One intent × language of a municipality's KB as the admin sees it."""

    intent: str
    lang: str
    base: Article | None
    override: Article | None  # not removed
    draft: ArticleVersion | None
    base_changed: bool = False
    base_version_seen: int | None = None
    local: Article | None = None  # the override row in any state (a removed one keeps its history)

    @property
    def served(self) -> Article | None:
        if self.override is not None and self.override.status == "published":
            return self.override
        return self.base if self.base is not None and self.base.status == "published" else None

    @property
    def origin(self) -> str:
        """local | base | none (what residents get in this language)."""
        served = self.served
        return "none" if served is None else ("local" if served.municipality_id is not None else "base")


@dataclass
class Diff:
    lines: list[tuple[str, str]] = field(default_factory=list)  # (op, text): op in " ", "+", "-", "@"
    added: int = 0
    removed: int = 0


# ------------------------------------------------------------------ reading
def _base(session: Session, intent: str, lang: str) -> Article | None:
    return session.scalar(select(Article).where(Article.municipality_id.is_(None), Article.intent == intent,
                                                Article.lang == lang).order_by(Article.id).limit(1))


def _local(session: Session, municipality_id: int, intent: str, lang: str) -> Article | None:
    return session.scalar(select(Article).where(Article.municipality_id == municipality_id, Article.intent == intent,
                                                Article.lang == lang).order_by(Article.id).limit(1))


def pending_draft(session: Session, article: Article | None) -> ArticleVersion | None:
    if article is None or article.id is None:
        return None
    return session.scalar(select(ArticleVersion).where(ArticleVersion.article_id == article.id,
                                                       ArticleVersion.status == "draft")
                          .order_by(ArticleVersion.id.desc()).limit(1))


def base_version_seen(session: Session, override: Article) -> int | None:
    """The base version the override's latest version was written against."""
    row = session.scalar(select(ArticleVersion).where(ArticleVersion.article_id == override.id)
                         .order_by(ArticleVersion.id.desc()).limit(1))
    seen = (row.meta or {}).get("base_version") if row else None
    return int(seen) if isinstance(seen, int) else None


def entry(session: Session, municipality: Municipality, intent: str, lang: str) -> Entry:
    if intent not in load_catalogue().topics or lang not in LANGUAGES:
        raise NotFound(f"{intent}/{lang}")
    base = _base(session, intent, lang)
    local = _local(session, municipality.id, intent, lang)
    if local is not None and local.status == "removed":
        draft = pending_draft(session, local)
        local = local if draft is not None else None
    else:
        draft = pending_draft(session, local)
    e = Entry(intent, lang, base, local, draft, local=_local(session, municipality.id, intent, lang))
    if local is not None and base is not None:
        e.base_version_seen = base_version_seen(session, local)
        e.base_changed = e.base_version_seen is not None and base.version > e.base_version_seen
    return e


def entries(session: Session, municipality: Municipality, lang: str | None = None) -> list[Entry]:
    """Every topic in every language (or one), with base, override, draft and 'base changed'."""
    langs = [lang] if lang else list(LANGUAGES)
    rows = session.scalars(select(Article).where(
        (Article.municipality_id.is_(None)) | (Article.municipality_id == municipality.id))).all()
    base = {(a.intent, a.lang): a for a in rows if a.municipality_id is None}
    local = {(a.intent, a.lang): a for a in rows if a.municipality_id is not None}
    ids = [a.id for a in local.values()]
    latest: dict[int, ArticleVersion] = {}
    drafts: dict[int, ArticleVersion] = {}
    if ids:
        for v in session.scalars(select(ArticleVersion).where(ArticleVersion.article_id.in_(ids))
                                 .order_by(ArticleVersion.id)):
            latest[v.article_id] = v
            if v.status == "draft":
                drafts[v.article_id] = v
    out = []
    for intent in load_catalogue().topics:
        for lg in langs:
            b, o = base.get((intent, lg)), local.get((intent, lg))
            d = drafts.get(o.id) if o is not None else None
            if o is not None and o.status == "removed" and d is None:
                o = None
            e = Entry(intent, lg, b, o, d)
            if o is not None and b is not None and o.id in latest:
                seen = (latest[o.id].meta or {}).get("base_version")
                e.base_version_seen = seen if isinstance(seen, int) else None
                e.base_changed = e.base_version_seen is not None and b.version > e.base_version_seen
            out.append(e)
    return out


def history(session: Session, article: Article) -> list[ArticleVersion]:
    return list(session.scalars(select(ArticleVersion).where(ArticleVersion.article_id == article.id)
                                .order_by(ArticleVersion.id.desc())))


def version_of(session: Session, municipality: Municipality, version_id: int) -> ArticleVersion:
    """A version of the municipality's own override or of the national base; anything else is NotFound."""
    row = session.get(ArticleVersion, version_id)
    article = session.get(Article, row.article_id) if row is not None else None
    if article is None or article.municipality_id not in (None, municipality.id):
        raise NotFound(str(version_id))
    return row


def base_version_row(session: Session, base: Article, version: int) -> ArticleVersion | None:
    return session.scalar(select(ArticleVersion).where(ArticleVersion.article_id == base.id,
                                                       ArticleVersion.version == version,
                                                       ArticleVersion.status == "published")
                          .order_by(ArticleVersion.id.desc()).limit(1))


# ------------------------------------------------------------------ checking
def problems(municipality: Municipality, intent: str, lang: str, fields: Fields) -> list[Problem]:
    return check_article(intent, lang, fields.title, fields.body, fields.source_url,
                         placeholder_values(municipality, lang),
                         departments={d.key for d in municipality.departments}, department=fields.department)


# ------------------------------------------------------------------ writing
def _override_row(session: Session, municipality: Municipality, e: Entry, fields: Fields, actor: str) -> Article:
    row = e.override or _local(session, municipality.id, e.intent, e.lang)
    if row is None:
        row = Article(municipality_id=municipality.id, intent=e.intent, lang=e.lang, title=fields.title,
                      body=fields.body, source_path=fields.source_url, department=fields.department,
                      status="draft", version=0, updated_by=actor)
        session.add(row)
        session.flush()
    return row


def save_draft(session: Session, municipality: Municipality, intent: str, lang: str, fields: Fields,
               actor: str) -> ArticleVersion:
    """Keep the text as the override's pending draft (nothing residents see changes)."""
    e = entry(session, municipality, intent, lang)
    fields = fields.normalised()
    row = _override_row(session, municipality, e, fields, actor)
    draft = pending_draft(session, row)
    if draft is None:
        draft = ArticleVersion(article_id=row.id, version=0, status="draft", title="", body="")
        session.add(draft)
    draft.title, draft.body, draft.source_path = fields.title, fields.body, fields.source_url
    draft.created_at, draft.created_by = utcnow(), actor
    draft.meta = {"department": fields.department, "base_version": e.base.version if e.base else None}
    if row.status == "draft":  # never published: the row mirrors its draft
        row.title, row.body, row.source_path, row.department = (fields.title, fields.body, fields.source_url,
                                                                fields.department)
    session.flush()
    return draft


def publish(session: Session, municipality: Municipality, intent: str, lang: str, actor: str,
            fields: Fields | None = None, *, note: str = "") -> Article:
    """Publish ``fields`` (or the pending draft) as the next version of the override.

    Raises :class:`NotPublished` with every problem; then nothing residents see changes (the text
    stays the pending draft, so nothing is lost)."""
    e = entry(session, municipality, intent, lang)
    if fields is not None:
        draft = save_draft(session, municipality, intent, lang, fields, actor)
        e = entry(session, municipality, intent, lang)
    else:
        draft = e.draft
        if draft is None:
            raise NotFound(f"{intent}/{lang}: no draft")
    fields = Fields.of(draft)
    found = problems(municipality, intent, lang, fields)
    if found:
        raise NotPublished(found)
    row = e.override
    row.title, row.body, row.source_path, row.department = fields.title, fields.body, fields.source_url, fields.department
    row.version = _last_number(session, row) + 1
    row.status, row.updated_by, row.updated_at = "published", actor, utcnow()
    draft.version, draft.status, draft.created_at, draft.created_by = row.version, "published", utcnow(), actor
    draft.meta = {**(draft.meta or {}), "base_version": e.base.version if e.base else None,
                  **({"note": note} if note else {})}
    session.flush()
    return row


def _last_number(session: Session, row: Article) -> int:
    numbers = [v.version for v in history(session, row) if v.status == "published"]
    return max(numbers, default=0)


def create_override(session: Session, municipality: Municipality, intent: str, lang: str, actor: str) -> ArticleVersion:
    """Start a local override as a draft copy of the base article (empty if there is no base)."""
    e = entry(session, municipality, intent, lang)
    if e.draft is not None:
        return e.draft
    if e.override is not None and e.override.status == "published":
        fields = Fields.of(e.override)
    elif e.base is not None:
        fields = Fields.of(e.base)
    else:
        fields = Fields("", "", "", load_catalogue().department(intent))
    return save_draft(session, municipality, intent, lang, fields, actor)


def discard_draft(session: Session, municipality: Municipality, intent: str, lang: str) -> None:
    e = entry(session, municipality, intent, lang)
    if e.draft is None:
        raise NotFound(f"{intent}/{lang}: no draft")
    session.delete(e.draft)
    if e.override is not None and e.override.status == "draft":
        session.delete(e.override)  # never published: nothing else to keep
    session.flush()


def remove_override(session: Session, municipality: Municipality, intent: str, lang: str, actor: str) -> None:
    """Withdraw the override: residents get the base article again. The history is kept."""
    e = entry(session, municipality, intent, lang)
    if e.override is None:
        raise NotFound(f"{intent}/{lang}: no override")
    if e.draft is not None:
        session.delete(e.draft)
    if e.override.status == "draft":
        session.delete(e.override)
    else:
        e.override.status, e.override.updated_by, e.override.updated_at = "removed", actor, utcnow()
    session.flush()


def rollback(session: Session, municipality: Municipality, intent: str, lang: str, version_id: int,
             actor: str) -> Article:
    """Publish an earlier version again, as a new version (the history keeps every step)."""
    entry(session, municipality, intent, lang)  # NotFound for unknown topics
    local = _local(session, municipality.id, intent, lang)
    old = version_of(session, municipality, version_id)
    if local is None or old.article_id != local.id or old.status != "published":
        raise NotFound(str(version_id))
    return publish(session, municipality, intent, lang, actor, Fields.of(old), note=f"rollback:{old.version}")


# ------------------------------------------------------------------ comparing
def diff(old: str, new: str, context: int = 3) -> Diff:
    out = Diff()
    for line in difflib.unified_diff((old or "").splitlines(), (new or "").splitlines(), lineterm="", n=context):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            out.lines.append(("@", line))
        elif line.startswith("+"):
            out.lines.append(("+", line[1:]))
            out.added += 1
        elif line.startswith("-"):
            out.lines.append(("-", line[1:]))
            out.removed += 1
        else:
            out.lines.append((" ", line[1:]))
    return out


def previous_version(session: Session, version: ArticleVersion) -> ArticleVersion | None:
    return session.scalar(select(ArticleVersion).where(ArticleVersion.article_id == version.article_id,
                                                       ArticleVersion.status == "published",
                                                       ArticleVersion.id < version.id)
                          .order_by(ArticleVersion.id.desc()).limit(1))
