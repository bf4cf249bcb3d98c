"""What every action needs: the NLU result, the resident's language and municipality, and a
database session for the live KB (opened lazily; never at import time)."""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from rasa_sdk import Tracker
from sqlalchemy import select

from tinget.db import make_session_factory
from tinget.models import Municipality


@dataclass(frozen=True)
class Turn:
    intent: str
    confidence: float
    ranking: list[dict]
    lang: str
    municipality: str
    text: str
    entities: dict
    street: str

    @classmethod
    def from_tracker(cls, tracker: Tracker) -> Turn:
        latest = tracker.latest_message or {}
        meta = latest.get("metadata") or {}
        intent = latest.get("intent") or {}
        return cls(
            intent=intent.get("name") or "",
            confidence=float(intent.get("confidence") or 0.0),
            ranking=[{"name": r.get("name"), "confidence": round(float(r.get("confidence") or 0), 4)}
                     for r in (latest.get("intent_ranking") or [])[:5]],
            lang=meta.get("lang") or "nb",
            municipality=meta.get("municipality") or "",
            text=latest.get("text") or "",
            entities={e.get("entity"): str(e.get("value")) for e in (latest.get("entities") or [])
                      if e.get("entity")},
            street=str(meta.get("street") or ""),
        )

    def heard(self):
        from bot.dialogue import Heard

        return Heard(intent=self.intent, top_intent=self.top_intent, top_confidence=self.top_confidence,
                     ranking=self.ranking, lang=self.lang, text=self.text, entities=self.entities,
                     street=self.street)

    @property
    def top_intent(self) -> str:
        """The classifier's best guess, also when the FallbackClassifier replaced it."""
        if self.intent == "nlu_fallback":
            real = [r for r in self.ranking if r["name"] != "nlu_fallback"]
            return real[0]["name"] if real else ""
        return self.intent

    @property
    def top_confidence(self) -> float:
        if self.intent == "nlu_fallback":
            real = [r for r in self.ranking if r["name"] != "nlu_fallback"]
            return real[0]["confidence"] if real else 0.0
        return self.confidence

    def payload(self, **extra) -> dict:
        return {"tinget": {"intent": self.top_intent, "confidence": round(self.top_confidence, 4),
                           "ranking": self.ranking, "lang": self.lang, **extra}}


@lru_cache(maxsize=1)
def _session_factory():
    url = os.environ.get("DATABASE_URL") or "sqlite:///instance/tinget.db"
    return make_session_factory(url)


@contextmanager
def kb_session():
    session = _session_factory()()
    try:
        yield session
    finally:
        session.close()


def find_municipality(session, slug: str) -> Municipality | None:
    query = select(Municipality).where(Municipality.slug == slug) if slug else select(Municipality)
    return session.scalars(query.limit(1)).first()
