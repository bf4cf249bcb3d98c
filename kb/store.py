"""Reading the KB: the article for an intent in a language (local override before national base,
then the language fallback chain), and system texts. Works with any SQLAlchemy session, so the Flask
app and the action server read the same live rows."""

from __future__ import annotations

import threading
import time
import weakref
from dataclasses import dataclass

from sqlalchemy import bindparam, event, func, or_, select
from sqlalchemy.orm import Session, object_session

from kb.models import Article, SystemText
from kb.placeholders import fill, placeholder_values
from kb.render import bot_markdown_to_html
from tinget import lexicon as lexicon_module
from tinget.db import select_columns
from tinget.models import Municipality

# Where an article is missing in the resident's language, show it in the next one (and say so).
LANGUAGE_FALLBACK: dict[str, tuple[str, ...]] = {
    "nb": ("nn", "en"),
    "nn": ("nb", "en"),
    "sv": ("nb", "en"),
    "da": ("nb", "en"),
    "fi": ("en", "nb"),
    "en": ("nb",),
}


@dataclass(frozen=True)
class Answer:
    intent: str
    lang: str  # language of the text shown
    requested_lang: str
    title: str
    body: str  # Markdown, placeholders filled
    html: str
    source_url: str
    department: str
    article_id: int
    version: int
    overridden: bool

    @property
    def is_fallback(self) -> bool:
        return self.lang != self.requested_lang


def language_chain(lang: str) -> tuple[str, ...]:
    return (lang, *LANGUAGE_FALLBACK.get(lang, ("nb", "en")))


def _published(session: Session, municipality_id: int, intent: str, lang: str) -> Article | None:
    rows = session.scalars(
        select(Article).where(
            Article.intent == intent,
            Article.lang == lang,
            Article.status == "published",
            or_(Article.municipality_id == municipality_id, Article.municipality_id.is_(None)),
        )
    ).all()
    local = [a for a in rows if a.municipality_id is not None]
    return (local or rows or [None])[0]


def source_url(municipality: Municipality, source_path: str, values: dict[str, str]) -> str:
    path = fill(source_path or "", values)
    if not path or path.startswith(("http://", "https://")):
        return path
    return municipality.website.rstrip("/") + "/" + path.lstrip("/")


def find_answer(session: Session, municipality: Municipality, intent: str, lang: str) -> Answer | None:
    for candidate in language_chain(lang):
        article = _published(session, municipality.id, intent, candidate)
        if article is None:
            continue
        values = placeholder_values(municipality, candidate)
        body = fill(article.body, values)
        return Answer(
            intent=intent,
            lang=candidate,
            requested_lang=lang,
            title=fill(article.title, values),
            body=body,
            html=bot_markdown_to_html(body),  # an article is the bot's own text: cached
            source_url=source_url(municipality, article.source_path, values),
            department=article.department,
            article_id=article.id,
            version=article.version,
            overridden=article.municipality_id is not None,
        )
    return None


class _ShortCache:
    """KB metadata read on every resident message (the KB version label, system texts), kept per process and
    per database for ``ttl`` seconds: another process's edit shows within that time, an edit made in this
    process at once (the cache is dropped when an article or system text is written and when that write
    is committed, below). Saves two queries on each message; the values are small."""

    def __init__(self, ttl: float = 2.0) -> None:
        self.ttl = ttl
        self._by_engine: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def get(self, session: Session, key: tuple, load):
        engine = session.get_bind()
        now = time.monotonic()
        with self._lock:
            entries = self._by_engine.setdefault(engine, {})
            hit = entries.get(key)
        if hit is not None and now - hit[0] < self.ttl:
            return hit[1]
        value = load()
        with self._lock:
            entries[key] = (now, value)
        return value

    def clear(self, *_args) -> None:
        with self._lock:
            self._by_engine.clear()


_cache = _ShortCache()
_KB_CHANGED = "tinget.kb_changed"
# The words of each municipality's KB (kb_lexicon): engine -> {municipality_id: (kb_version, Lexicon)}.
_lexicons: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_lexicons_lock = threading.Lock()


def _forget(*_args) -> None:
    """Drop the cached KB metadata and lexicons: the next read sees this process's own write at once
    (another process's write shows through the KB version, within the cache's two seconds)."""
    _cache.clear()
    with _lexicons_lock:
        _lexicons.clear()


def _kb_row_written(_mapper, _connection, target) -> None:
    """Drop the cache when a KB row is flushed (this thread's next read sees it) and again when that
    session commits (a read by another thread between the flush and the commit saw the old row)."""
    _forget()
    session = object_session(target)
    if session is not None:
        session.info[_KB_CHANGED] = True


def _after_commit(session: Session) -> None:
    if session.info.pop(_KB_CHANGED, False):
        _forget()


for _model in (Article, SystemText):
    for _name in ("after_insert", "after_update", "after_delete"):
        event.listen(_model, _name, _kb_row_written)
event.listen(Session, "after_commit", _after_commit)

_SYSTEM_TEXT_ROWS = select(SystemText.municipality_id, SystemText.lang, SystemText.text).where(
    SystemText.key == bindparam("key"),
    or_(SystemText.municipality_id == bindparam("municipality_id"), SystemText.municipality_id.is_(None)),
)


def _system_text_rows(session: Session, municipality_id: int, key: str) -> dict:
    """{lang: text} of a system text, the municipality's own rows over the national ones."""

    def load() -> dict:
        rows = select_columns(session, SystemText, _SYSTEM_TEXT_ROWS,
                              {"key": key, "municipality_id": municipality_id})
        by_lang = {}
        for row in sorted(rows.all(), key=lambda r: r.municipality_id is not None):
            by_lang[row.lang] = row.text  # local rows sorted last win
        return by_lang

    return _cache.get(session, ("system_text", municipality_id, key), load)


def system_text(session: Session, municipality: Municipality, key: str, lang: str, **runtime: str) -> str:
    """A system text in the resident's language (fallback chain), placeholders and runtime values filled."""
    by_lang = _system_text_rows(session, municipality.id, key)
    for candidate in language_chain(lang):
        if candidate in by_lang:
            text = by_lang[candidate]
            for name, value in runtime.items():
                text = text.replace("{" + name + "}", str(value))
            if "{" not in text:  # no placeholder left: the values (and the departments they read) are not needed
                return text
            values = placeholder_values(municipality, candidate)
            values.update({k: str(v) for k, v in runtime.items()})
            return fill(text, values)
    return ""


_KB_VERSION = select(func.count(Article.id), func.max(Article.updated_at)).where(
    or_(Article.municipality_id == bindparam("municipality_id"), Article.municipality_id.is_(None)))


def kb_version(session: Session, municipality_id: int) -> str:
    """A short version label for the transparency log: article count and last change (read at most every
    two seconds per process; see :class:`_ShortCache`)."""

    def load() -> str:
        count, latest = select_columns(session, Article, _KB_VERSION, {"municipality_id": municipality_id}).one()
        return f"{count}@{latest:%Y%m%d%H%M%S}" if latest else "empty"

    return _cache.get(session, ("kb_version", municipality_id), load)


_PUBLISHED_TEXTS = select(Article.lang, Article.title, Article.body).where(
    Article.status == "published",
    or_(Article.municipality_id == bindparam("municipality_id"), Article.municipality_id.is_(None)))


def kb_lexicon(session: Session, municipality_id: int) -> lexicon_module.Lexicon:
    """The words of the municipality's published KB articles (its own and the national ones in the
    database) per language, for the language switch (tinget.language.detect's ``local``): a resident who
    writes only the words of a local article ("Jokiniemen kirpputori") is answered in that article's
    language. Built once per KB version (:func:`kb_version`, which each resident message reads anyway,
    at most every two seconds per process) and kept per process and database: no query of its own on a
    message while the KB is unchanged, one query of the published titles and bodies after a change."""
    version = kb_version(session, municipality_id)
    engine = session.get_bind()
    with _lexicons_lock:
        hit = _lexicons.setdefault(engine, {}).get(municipality_id)
    if hit is not None and hit[0] == version:
        return hit[1]
    rows = select_columns(session, Article, _PUBLISHED_TEXTS, {"municipality_id": municipality_id}).all()
    built = lexicon_module.from_texts((row.lang, f"{row.title}\n{row.body}") for row in rows)
    with _lexicons_lock:
        _lexicons.setdefault(engine, {})[municipality_id] = (version, built)
    return built
