"""Reply drafts: greeting + answer (from a KB passage or an earlier accepted reply) + source
links + signature. The texts around the answer are in the answer's language: a nynorsk or Danish
answer in a bokmål greeting and signature is a draft in two languages, which no caseworker can send
as it is (the draft's ``lang`` and ``translation_needed`` say when it is not the resident's language)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from suggester.documents import Document, sentences
from suggester.provenance import KbText, trace

GREETINGS = {"nb": "Hei,", "nn": "Hei,", "sv": "Hej,", "da": "Hej,", "fi": "Hei,", "en": "Hello,"}
SIGNATURES = {
    "nb": "Med vennlig hilsen", "nn": "Med venleg helsing", "sv": "Med vänlig hälsning",
    "da": "Med venlig hilsen", "fi": "Ystävällisin terveisin", "en": "Kind regards",
}
READ_MORE = {"nb": "Les mer", "nn": "Les meir", "sv": "Läs mer", "da": "Læs mere", "fi": "Lue lisää",
             "en": "Read more"}
MAX_ANSWER_CHARS = 1500

_GREETING_LINE = re.compile(
    r"^\s*(hei|hej|hallo|hello|hi|dear|kjære|kære|god\s?dag|goddag|hei\s+og\s+takk|tervehdys|moi|terve)\b[^\n]{0,60}[,!.:]?\s*$",
    re.IGNORECASE)
_SIGNOFF = re.compile(
    r"^\s*(med\s+(vennlig|venleg|venlig|vänlig|vänliga)\s+(hilsen|helsing|hälsning|hälsningar)|mvh|vh|"
    r"kind\s+regards|best\s+regards|regards|ystävällisin\s+terveisin|terveisin|venlig\s+hilsen|hilsen|"
    r"vänliga\s+hälsningar|hälsningar)\b", re.IGNORECASE)


@dataclass
class Source:
    id: str
    title: str
    url: str
    kind: str


@dataclass
class Draft:
    """One suggested reply. ``score`` in [0, 1] is the calibrated confidence."""

    text: str
    score: float
    sources: list[dict[str, str]]
    lang: str
    answer: str = ""
    source_id: str = ""
    translation_needed: bool = False
    # the lines (stripped, as in ``text``) of an earlier reply that are not from the KB: written for that
    # resident's case (suggester.provenance), for the caseworker to check
    to_check: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Suggestions:
    """Result of :meth:`SuggesterService.suggest`.

    ``drafts`` holds up to ``k`` drafts (best first). ``no_good_draft`` is True when even the best
    is below the calibrated threshold; ``nearest`` then lists the closest KB articles (sources) so
    the caseworker can look for themselves. ``notice`` explains anything unusual in plain words
    (empty index, index being rebuilt, empty question).
    """

    drafts: list[Draft] = field(default_factory=list)
    no_good_draft: bool = True
    nearest: list[dict[str, Any]] = field(default_factory=list)
    notice: str = ""
    needs_rebuild: bool = False
    latency_ms: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def strip_salutations(text: str) -> str:
    """Remove a leading greeting line and a trailing sign-off block from a sent reply.

    Accepted replies are stored as answers; their greeting and the caseworker's signature are
    added fresh to each new draft.
    """
    lines = text.strip().splitlines()
    if lines and _GREETING_LINE.match(lines[0]) and len(lines) > 1:
        lines = lines[1:]
    for i in range(len(lines) - 1, max(-1, len(lines) - 8), -1):
        if _SIGNOFF.match(lines[i]):
            lines = lines[:i]
            break
    return "\n".join(lines).strip() or text.strip()


def answer_text(doc: Document, best_chunk: str | None = None, limit: int = MAX_ANSWER_CHARS) -> str:
    """The answer a draft quotes: the whole article/reply if short, else the best passage in context."""
    text = doc.answer.strip()
    if len(text) <= limit:
        return text
    if best_chunk:
        sents = sentences(text)
        first = best_chunk.split(". ")[0][:60]
        start = next((i for i, s in enumerate(sents) if first and first in s), 0)
        out: list[str] = []
        for s in sents[start:]:
            if sum(len(x) + 1 for x in out) + len(s) > limit:
                break
            out.append(s)
        if out:
            return " ".join(out) + (" …" if start + len(out) < len(sents) else "")
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit].rstrip() + " …"


def compose(doc: Document, lang: str, score: float, greeting: str | Mapping[str, str] | None = None,
            signature: str | Mapping[str, str] | None = None, best_chunk: str | None = None,
            kb: KbText | None = None) -> Draft:
    """A full draft for ``doc`` answering a resident who wrote in ``lang``.

    Greeting, "Read more" and signature are in ``doc``'s language. ``greeting`` and ``signature`` are
    the caseworker's texts: a string is in the resident's language (``lang``) and used when the answer
    is too; a mapping gives them per language. Where none is given for the answer's language, the
    built-in ones (GREETINGS, SIGNATURES) are used. ``kb``: the municipality's articles, to tell an earlier
    reply's lines from the KB from those written for that resident (``Draft.to_check``)."""
    body_lang = (doc.lang or lang or "").lower()
    base = body_lang if body_lang in GREETINGS else "en"
    hello = _own_text(greeting, body_lang, lang)
    sign = _own_text(signature, body_lang, lang)
    hello = GREETINGS[base] if hello is None else hello.strip()
    sign = SIGNATURES[base] if sign is None else sign.strip()
    answer = answer_text(doc, best_chunk)
    to_check: list[str] = []
    if doc.kind == "reply":
        answer, to_check = trace(answer, kb, READ_MORE[base])
    parts = [hello] if hello else []
    parts.append(answer)
    if doc.url and doc.url not in answer:  # an earlier reply made from a draft has its "Read more" line already
        parts.append(f"{READ_MORE[base]}: {doc.url}")
    if sign:
        parts.append(sign)
    source = {"id": doc.id, "title": doc.title or _short(doc.question or doc.answer), "url": doc.url,
              "kind": doc.kind}
    if doc.kind == "reply" and doc.question:
        # the (redacted) question the earlier reply answered: the caseworker sees at once whether this
        # case is the same one, or only a neighbour whose wording happens to be close
        source["question"] = _short(doc.question, 200)
    return Draft(text="\n\n".join(parts), score=round(float(score), 4), sources=[source], lang=doc.lang,
                 answer=answer, source_id=doc.id, translation_needed=_family(doc.lang) != _family(lang),
                 to_check=to_check)


def _own_text(text: str | Mapping[str, str] | None, body_lang: str, lang: str) -> str | None:
    """The caller's greeting or signature for an answer in ``body_lang`` (None: use the built-in one)."""
    if isinstance(text, Mapping):
        return text.get(body_lang)
    return text if body_lang == (lang or "").lower() else None


def _short(text: str, n: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _family(lang: str) -> str:
    return "no" if lang in ("nb", "nn", "no") else lang
