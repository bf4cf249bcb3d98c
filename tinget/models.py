"""Tenants: municipalities and their departments (queues). Every other row belongs to one municipality."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tinget.db import Base, CleanJSON, CleanString, utcnow


class Municipality(Base):
    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(CleanString(64), unique=True)
    name: Mapped[str] = mapped_column(CleanString(200))
    default_lang: Mapped[str] = mapped_column(CleanString(5), default="nb")
    website: Mapped[str] = mapped_column(CleanString(500), default="")
    privacy_policy_url: Mapped[str] = mapped_column(CleanString(500), default="")
    widget_key: Mapped[str] = mapped_column(CleanString(64), unique=True, default=lambda: secrets.token_urlsafe(16))
    # Free-form settings used by KB placeholders and dialogues: phone, email, fees, hours,
    # nursing_homes, school_districts, ...
    settings: Mapped[dict] = mapped_column(CleanJSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    departments: Mapped[list[Department]] = relationship(back_populates="municipality", cascade="all, delete-orphan")

    @property
    def public_phones(self) -> list[str]:
        """The municipality's own public numbers: never redacted."""
        phones = [self.settings.get("phone", "")]
        phones += [d.phone for d in self.departments]
        phones += [h.get("phone", "") for h in self.settings.get("nursing_homes", [])]
        return [p for p in phones if p]

    @property
    def public_names(self) -> list[str]:
        """The names of the municipality and its public places as its settings hold them: its own name,
        whole and each capitalised word ("Fjordvik kommune", "Fjordvik"), and its nursing homes' and
        schools' names, whole ("Havbakken omsorgssenter"; not "Lia" alone: "Hilsen Lia" is a person).
        Candidates for redaction's allow-list (privacy.names.not_personal keeps those that are no one's name)."""
        names = [self.name] + [w for w in self.name.split() if w[:1].isupper()]
        names += [h.get("name", "") for h in self.settings.get("nursing_homes", []) if isinstance(h, dict)]
        names += [d.get("school", "") for d in self.settings.get("school_districts", []) if isinstance(d, dict)]
        return list(dict.fromkeys(n for n in (str(n).strip() for n in names) if n))

    def department(self, key: str) -> Department | None:
        return next((d for d in self.departments if d.key == key), None)


class Department(Base):
    __tablename__ = "department"
    __table_args__ = (UniqueConstraint("municipality_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(CleanString(64))
    names: Mapped[dict] = mapped_column(CleanJSON, default=dict)  # lang -> name
    phone: Mapped[str] = mapped_column(CleanString(64), default="")
    email: Mapped[str] = mapped_column(CleanString(200), default="")
    signatures: Mapped[dict] = mapped_column(CleanJSON, default=dict)  # lang -> signature

    municipality: Mapped[Municipality] = relationship(back_populates="departments")

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names.get("nb") or self.names.get("en") or self.key

    def signature(self, lang: str) -> str:
        return self.signatures.get(lang) or self.signatures.get("nb") or ""
