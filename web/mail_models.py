"""Rows of the e-mail channel: one :class:`MailItem` per delivered (or sent) mail.

The triage decision is stored as made (action, department, intents, auto-reply, reason), so analytics
can compare it with what caseworkers did later (a reassigned case, a set-aside mail released into a
case). Texts are redacted; the sender's address is encrypted (it is needed to reply) and looked up by
a keyed hash only.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, LargeBinary, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tinget.db import Base, CleanJSON, CleanString, CleanText, utcnow


class MailItem(Base):
    __tablename__ = "mail_item"
    __table_args__ = (UniqueConstraint("municipality_id", "direction", "message_id"),
                      Index("ix_mail_item_sender", "municipality_id", "sender_hash"))

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(CleanString(8), default="in")  # in | out
    message_id: Mapped[str] = mapped_column(CleanString(300))
    in_reply_to: Mapped[str] = mapped_column(CleanString(300), default="")
    references: Mapped[list] = mapped_column(CleanJSON, default=list)
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversation.id", ondelete="SET NULL"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="SET NULL"), index=True)
    sender: Mapped[bytes] = mapped_column(LargeBinary, default=b"")  # encrypted address (privacy.crypto)
    sender_hash: Mapped[str] = mapped_column(CleanString(64), default="")
    subject: Mapped[str] = mapped_column(CleanText(), default="")  # redacted
    text: Mapped[str] = mapped_column(CleanText(), default="")  # redacted own text (kept for set-aside review)
    lang: Mapped[str] = mapped_column(CleanString(5), default="")
    attachments: Mapped[list] = mapped_column(CleanJSON, default=list)  # [{name (redacted), type, size, inline}]
    problems: Mapped[list] = mapped_column(CleanJSON, default=list)  # parse problems, each a reason
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # the triage decision, as made
    action: Mapped[str] = mapped_column(CleanString(16), default="")  # answer | route | set_aside | sent
    department: Mapped[str | None] = mapped_column(CleanString(64))
    intents: Mapped[list] = mapped_column(CleanJSON, default=list)
    auto_reply: Mapped[bool] = mapped_column(Boolean, default=False)
    confidence: Mapped[float] = mapped_column(default=0.0)
    reason: Mapped[str] = mapped_column(CleanString(300), default="")
    set_aside_kind: Mapped[str] = mapped_column(CleanString(16), default="")
    keep_until: Mapped[datetime | None] = mapped_column()  # set-aside mails: reviewed, then deleted by retention
    released_at: Mapped[datetime | None] = mapped_column()  # a set-aside mail a caseworker moved into a case
    deliveries: Mapped[int] = mapped_column(default=1)  # the same Message-ID delivered again counts here

    case = relationship("Case")
    conversation = relationship("Conversation")
