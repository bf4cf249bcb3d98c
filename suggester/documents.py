"""What the suggester indexes: documents (KB articles, accepted replies) and their passages."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Kind = Literal["article", "reply"]
KINDS = ("article", "reply")
LANGS = ("nb", "nn", "sv", "da", "fi", "en")
REPLY_SEPARATOR = "\n\n"

MAX_TEXT_CHARS = 100_000
_SENT = re.compile(r"(?<=[.!?:;])\s+(?=[\"'«(\[]?[A-ZÆØÅÄÖÜ0-9\-–•*])|\n\s*\n+|\n(?=\s*[-–•*]\s)")


class DocumentError(ValueError):
    """A document is not usable (empty id or text, unknown kind, duplicate id...)."""


@dataclass
class Document:
    """One indexable source.

    ``kind="article"``: a KB article (``title`` + body ``text``); split into passages that keep
    the article id as their source. ``kind="reply"``: an accepted earlier reply; ``text`` is the
    redacted resident question, a blank line, then the reply (see :meth:`reply`).
    """

    id: str
    text: str
    lang: str
    kind: Kind = "article"
    title: str = ""
    url: str = ""
    department: str = ""
    intent: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def reply(cls, id: str, question: str, reply: str, lang: str, **kw: Any) -> Document:
        """An accepted reply: the (redacted) question and the reply text that was sent."""
        meta = dict(kw.pop("meta", {}) or {})
        meta.update(question=question.strip(), reply=reply.strip())
        return cls(id=id, text=question.strip() + REPLY_SEPARATOR + reply.strip(), lang=lang,
                   kind="reply", **kw, meta=meta)

    def validate(self) -> Document:
        """Check and normalise fields; raise :class:`DocumentError` with a clear message."""
        if not isinstance(self.id, str) or not self.id.strip():
            raise DocumentError(f"document id must be a non-empty string, got {self.id!r}")
        self.id = self.id.strip()
        if self.kind not in KINDS:
            raise DocumentError(f"document {self.id}: kind must be one of {KINDS}, got {self.kind!r}")
        if not isinstance(self.text, str) or not self.text.strip():
            raise DocumentError(f"document {self.id}: text is empty")
        if len(self.text) > MAX_TEXT_CHARS:
            raise DocumentError(f"document {self.id}: text has {len(self.text)} characters "
                                f"(limit {MAX_TEXT_CHARS}); split it into several articles")
        self.lang = (self.lang or "").strip().lower() or "nb"
        for name in ("title", "url", "department", "intent"):
            value = getattr(self, name)
            setattr(self, name, "" if value is None else str(value))
        self.meta = dict(self.meta or {})
        return self

    @property
    def question(self) -> str:
        """For a reply: the resident's question (empty for articles)."""
        if self.kind != "reply":
            return ""
        if self.meta.get("question"):
            return str(self.meta["question"])
        head, _, _ = self.text.partition(REPLY_SEPARATOR)
        return head.strip()

    @property
    def answer(self) -> str:
        """The text a draft quotes: the article body, or the reply without the question."""
        if self.kind != "reply":
            return self.text.strip()
        if self.meta.get("reply"):
            return str(self.meta["reply"])
        head, sep, tail = self.text.partition(REPLY_SEPARATOR)
        return (tail if sep else head).strip()

    def full_text(self) -> str:
        """Everything the document says, as one passage (title/question first)."""
        if self.kind == "reply":
            return self.text.strip()
        return f"{self.title.strip()}\n{self.text.strip()}" if self.title.strip() else self.text.strip()

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Document:
        known = {k: data[k] for k in ("id", "text", "lang", "kind", "title", "url", "department",
                                      "intent", "meta") if k in data}
        return cls(**known)


def sentences(text: str) -> list[str]:
    """Split text into sentences/list items (rough, punctuation-based, language-neutral)."""
    parts = [p.strip() for p in _SENT.split(text or "")]
    return [p for p in parts if p]


def windows(text: str, size: int = 2, max_chars: int = 600) -> list[str]:
    """Overlapping windows of ``size`` sentences (stride 1), each at most ``max_chars`` long.

    A text of ``size`` sentences or fewer yields no windows: the whole text is already one passage.
    """
    sents = []
    for s in sentences(text):  # break over-long sentences at word boundaries
        while len(s) > max_chars:
            cut = s.rfind(" ", 0, max_chars)
            cut = cut if cut > max_chars // 2 else max_chars
            sents.append(s[:cut].strip())
            s = s[cut:].strip()
        if s:
            sents.append(s)
    if len(sents) <= size:
        return []
    out = []
    for i in range(len(sents) - size + 1):
        w = " ".join(sents[i:i + size])
        out.append(w[: max_chars * size])
    return out
