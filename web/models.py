"""App rows: users, conversations, messages, cases, drafts, audit and transparency records.

Text columns hold redacted text only. The resident's original words live solely in
:class:`CaseOriginal`, encrypted, and are deleted with the case or by retention.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Column, ForeignKey, Index, LargeBinary, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tinget.db import Base, CleanJSON, CleanString, CleanText, utcnow
from tinget.models import Municipality

user_departments = Table(
    "user_department",
    Base.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("department_id", ForeignKey("department.id", ondelete="CASCADE"), primary_key=True),
)


def new_public_id() -> str:
    return uuid.uuid4().hex


class User(UserMixin, Base):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(CleanString(200), unique=True)
    name: Mapped[str] = mapped_column(CleanString(200))
    password_hash: Mapped[str] = mapped_column(CleanString(300), default="")
    role: Mapped[str] = mapped_column(CleanString(16), default="caseworker")  # caseworker | admin
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    lang: Mapped[str] = mapped_column(CleanString(5), default="nb")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    municipality: Mapped[Municipality] = relationship()
    departments = relationship("Department", secondary=user_departments)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def get_id(self) -> str:  # Flask-Login: the session ends everywhere when the password changes
        import hashlib

        return f"{self.id}.{hashlib.sha256((self.password_hash or '').encode()).hexdigest()[:16]}"

    def department_keys(self) -> set[str]:
        if self.is_admin:
            return {d.key for d in self.municipality.departments}
        return {d.key for d in self.departments}


class Conversation(Base):
    __tablename__ = "conversation"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(CleanString(32), unique=True, default=new_public_id)
    # Secret the widget keeps to read and delete its own conversation.
    token: Mapped[str] = mapped_column(CleanString(64), default=lambda: uuid.uuid4().hex + uuid.uuid4().hex)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    lang: Mapped[str] = mapped_column(CleanString(5), default="nb")
    lang_fixed: Mapped[bool] = mapped_column(Boolean, default=False)
    channel: Mapped[str] = mapped_column(CleanString(16), default="chat")  # chat | mail
    state: Mapped[str] = mapped_column(CleanString(16), default="bot")  # bot | handoff | closed
    # Dialogue state the web layer owns (e.g. awaiting an address, topic of the last answer).
    context: Mapped[dict] = mapped_column(CleanJSON, default=dict)
    resident_email: Mapped[str] = mapped_column(CleanString(300), default="")  # encrypted at rest (privacy.crypto)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_activity: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    municipality: Mapped[Municipality] = relationship()
    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", cascade="all, delete-orphan", order_by="Message.id")
    cases: Mapped[list[Case]] = relationship(back_populates="conversation", cascade="all, delete-orphan")

    @property
    def open_case(self) -> Case | None:
        return next((c for c in self.cases if c.status != "closed"), None)

    @property
    def latest_case(self) -> Case | None:
        return self.cases[-1] if self.cases else None


class Message(Base):
    __tablename__ = "message"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id", ondelete="CASCADE"), index=True)
    sender: Mapped[str] = mapped_column(CleanString(16))  # resident | bot | caseworker | system
    text: Mapped[str] = mapped_column(CleanText())  # redacted (resident) or authored text
    html: Mapped[str] = mapped_column(CleanText(), default="")  # rendered, sanitised answer (bot)
    lang: Mapped[str] = mapped_column(CleanString(5), default="")
    intent: Mapped[str] = mapped_column(CleanString(64), default="")
    confidence: Mapped[float] = mapped_column(default=0.0)
    route: Mapped[str] = mapped_column(CleanString(16), default="")
    meta: Mapped[dict] = mapped_column(CleanJSON, default=dict)  # source_url, buttons, author, ...
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")


class Case(Base):
    __tablename__ = "case"
    __table_args__ = (Index("ix_case_queue", "municipality_id", "department", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id", ondelete="CASCADE"), index=True)
    department: Mapped[str] = mapped_column(CleanString(64))
    status: Mapped[str] = mapped_column(CleanString(16), default="new")  # new | assigned | answered | closed
    reason: Mapped[str] = mapped_column(CleanString(64), default="")  # personal_case | out_of_scope | ...
    intent: Mapped[str] = mapped_column(CleanString(64), default="")
    confidence: Mapped[float] = mapped_column(default=0.0)
    lang: Mapped[str] = mapped_column(CleanString(5), default="nb")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    unread: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    first_reply_at: Mapped[datetime | None] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column()

    conversation: Mapped[Conversation] = relationship(back_populates="cases")
    assignee: Mapped[User | None] = relationship()
    originals: Mapped[list[CaseOriginal]] = relationship(cascade="all, delete-orphan")
    drafts: Mapped[list[Draft]] = relationship(cascade="all, delete-orphan", order_by="Draft.rank")
    notes: Mapped[list[CaseNote]] = relationship(cascade="all, delete-orphan", order_by="CaseNote.id")


class CaseOriginal(Base):
    """The resident's unredacted words for one message of a case, encrypted with the app's key."""

    __tablename__ = "case_original"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id", ondelete="CASCADE"))
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)

    message: Mapped[Message] = relationship()


class CaseNote(Base):
    __tablename__ = "case_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(CleanString(16), default="note")  # note | reassign | status
    text: Mapped[str] = mapped_column(CleanText())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()


class Draft(Base):
    __tablename__ = "draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    rank: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(CleanText())
    score: Mapped[float] = mapped_column(default=0.0)
    sources: Mapped[list] = mapped_column(CleanJSON, default=list)
    lang: Mapped[str] = mapped_column(CleanString(5), default="")
    status: Mapped[str] = mapped_column(CleanString(16), default="proposed")  # proposed | accepted | edited | rejected
    reject_reason: Mapped[str] = mapped_column(CleanString(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class HeldReply(Base):
    """A caseworker's reply that was not sent (the resident or a colleague wrote while the page was open, a
    placeholder or a line to check was left in it, it was too long), kept for the case page they are sent
    back to: the page is reached by a redirect, so reloading it sends nothing again, and the text is not
    lost. One per caseworker and case, encrypted like the originals (it may name the resident); gone when
    the caseworker sends a reply on the case or discards it, and after web.services.held.KEEP_HOURS."""

    __tablename__ = "held_reply"
    __table_args__ = (Index("uq_held_reply_case_user", "case_id", "user_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    draft_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class AcceptedReply(Base):
    """A caseworker's sent reply with the (redacted) question: the suggester's memory."""

    __tablename__ = "accepted_reply"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="SET NULL"))
    question: Mapped[str] = mapped_column(CleanText())
    reply: Mapped[str] = mapped_column(CleanText())
    lang: Mapped[str] = mapped_column(CleanString(5), default="nb")
    department: Mapped[str] = mapped_column(CleanString(64), default="")
    intent: Mapped[str] = mapped_column(CleanString(64), default="")
    draft_source: Mapped[str] = mapped_column(CleanString(100), default="")
    action: Mapped[str] = mapped_column(CleanString(16), default="accept")  # accept | edit | manual
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TransparencyRecord(Base):
    """What the assistant did with one resident message. Labels and counts only, never values."""

    __tablename__ = "transparency_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversation.id", ondelete="SET NULL"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("message.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    channel: Mapped[str] = mapped_column(CleanString(16), default="chat")
    redactions: Mapped[dict] = mapped_column(CleanJSON, default=dict)  # label -> count
    lang: Mapped[str] = mapped_column(CleanString(5), default="")
    lang_source: Mapped[str] = mapped_column(CleanString(16), default="")  # detected | widget | conversation
    intent: Mapped[str] = mapped_column(CleanString(64), default="")
    confidence: Mapped[float] = mapped_column(default=0.0)
    route: Mapped[str] = mapped_column(CleanString(16), default="")  # answer | chitchat | handoff | out_of_scope | paused
    reason: Mapped[str] = mapped_column(CleanString(200), default="")
    model_version: Mapped[str] = mapped_column(CleanString(100), default="")
    kb_version: Mapped[str] = mapped_column(CleanString(100), default="")
    article_id: Mapped[int | None] = mapped_column()

    conversation: Mapped[Conversation | None] = relationship()
    message: Mapped[Message | None] = relationship()


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(CleanString(200))
    action: Mapped[str] = mapped_column(CleanString(64))
    target: Mapped[str] = mapped_column(CleanString(200), default="")
    details: Mapped[dict] = mapped_column(CleanJSON, default=dict)
from web.mail_models import MailItem  # noqa: E402,F401  (the e-mail channel's table)
