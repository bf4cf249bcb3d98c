"""KB rows. ``municipality_id`` NULL marks a national base article; a row with a municipality
overrides the base article of the same intent and language for that municipality."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from tinget.db import Base, CleanJSON, CleanString, CleanText, utcnow


class Article(Base):
    __tablename__ = "kb_article"
    __table_args__ = (Index("ix_kb_article_lookup", "intent", "lang", "municipality_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    intent: Mapped[str] = mapped_column(CleanString(64))
    lang: Mapped[str] = mapped_column(CleanString(5))
    title: Mapped[str] = mapped_column(CleanString(300))
    body: Mapped[str] = mapped_column(CleanText())  # Markdown with {placeholders}
    source_path: Mapped[str] = mapped_column(CleanString(500), default="")  # path on the municipality's site, or full URL
    department: Mapped[str] = mapped_column(CleanString(64), default="")
    status: Mapped[str] = mapped_column(CleanString(16), default="published")  # draft | published
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(CleanString(200), default="")


class ArticleVersion(Base):
    __tablename__ = "kb_article_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_article.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(CleanString(300))
    body: Mapped[str] = mapped_column(CleanText())
    source_path: Mapped[str] = mapped_column(CleanString(500), default="")
    status: Mapped[str] = mapped_column(CleanString(16), default="published")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(CleanString(200), default="")
    meta: Mapped[dict] = mapped_column(CleanJSON, default=dict)


class SystemText(Base):
    """Conversation and system texts (greeting, handoff notice, ...) per language; editable by admins."""

    __tablename__ = "kb_system_text"
    __table_args__ = (Index("ix_kb_system_text_lookup", "key", "lang", "municipality_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(CleanString(64))
    lang: Mapped[str] = mapped_column(CleanString(5))
    text: Mapped[str] = mapped_column(CleanText())
