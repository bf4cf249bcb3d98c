"""Where the lines of a draft made from an earlier reply come from: the knowledge base, or the earlier case.

An accepted reply is a KB article's text (public, the same for every resident) plus what the caseworker
wrote for that one resident: "Søknaden din fra 3. mars er mottatt", an amount, a decision, "we will call you
on <PHONE> tomorrow". Offered as a draft to another resident, those lines say something untrue about the new
resident's matter, and nothing in the draft told them apart. A line is from the KB when each of its sentences
is, word for word, in one of the municipality's indexed articles (or is a "Read more: <article's URL>" line);
every other line of the earlier reply is the earlier case's (the caller marks it for the caseworker to check).

Replies learned before the public values were kept (Dec 2026) had the municipality's own phone numbers and
e-mail addresses redacted too ("Questions: Finance, <PHONE>, <EMAIL>."): such a line is put back as the article
has it when the article has exactly that line with a value where each placeholder is. Only public text is put
back, never a guessed value; a placeholder no article line explains stays (it was the earlier resident's).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from suggester.documents import Document, sentences

PLACEHOLDER = re.compile(r"<(PERSON|NATIONAL_ID|PHONE|EMAIL|ADDRESS|BANK_ACCOUNT|BIRTH_DATE)>")
_LIST_MARK = re.compile(r"^\s*(?:[-*•–]|\d+[.)])\s+")
_MIN_LITERAL = 12  # a line with placeholders is put back only when this much of it is fixed text
_MAX_PLACEHOLDERS = 2  # and has at most this many (a department's phone and e-mail), each value at most 60 characters
_ELLIPSIS = re.compile(r"\s*…$")


def _norm(text: str) -> str:
    return " ".join((text or "").split())


class KbText:
    """The municipality's article texts, to tell a line copied from them from a line written for one case."""

    def __init__(self, articles: Iterable[Document], read_more: Iterable[str] = ()) -> None:
        words = list(read_more)
        parts = []
        for doc in articles:
            if doc.kind != "article":
                continue
            parts.append(_norm(doc.title))
            parts += [_norm(line) for line in doc.text.splitlines() if line.strip()]
            if doc.url:
                parts += [f"{w}: {doc.url}" for w in words]
        self.lines = [p for p in parts if p]
        self.blob = "\n".join(self.lines)

    def has(self, line: str) -> bool:
        """Every sentence of ``line`` is in an article (list marks and a cut's "…" aside)."""
        text = _ELLIPSIS.sub("", _LIST_MARK.sub("", _norm(line)))
        parts = [_ELLIPSIS.sub("", s) for s in sentences(text)] or [text]
        return bool(text) and all(p and p in self.blob for p in parts)

    def restore(self, line: str) -> str | None:
        """``line`` with its placeholders as the one article line that has it with values there, or None."""
        text = _norm(line)
        pieces = PLACEHOLDER.split(text)  # literal, label, literal, ...
        literal = pieces[0::2]
        if not 3 <= len(pieces) <= 2 * _MAX_PLACEHOLDERS + 1 or sum(len(p.strip()) for p in literal) < _MIN_LITERAL:
            return None
        # the whole line of an article (a learned reply copies the draft's lines as they were), looked for only
        # in the lines that have its longest fixed part: the pattern is never run over the whole KB
        longest = max(literal, key=len)
        pattern = re.compile("[^<>]{1,60}?".join(re.escape(p) for p in literal))
        found = {kb_line for kb_line in self.lines if longest in kb_line and pattern.fullmatch(kb_line)}
        return found.pop() if len(found) == 1 else None


_READ_MORE_LINE = re.compile(r"^\s*<[A-Z_]+>: (https?://\S+)\s*$")


def trace(answer: str, kb: KbText | None, read_more: str = "") -> tuple[str, list[str]]:
    """``answer`` (an earlier reply's text) with the placeholders put back that the KB explains, and the lines
    of it (as in the returned text, stripped) that are not from the KB: the earlier case's. ``read_more``: the
    "Read more" of the reply's language ("Lue lisää: <url>" was redacted as a name: "<PERSON>: <url>")."""
    if kb is None:
        return answer, []
    out, case_lines = [], []
    for line in answer.split("\n"):
        more = _READ_MORE_LINE.match(line) if read_more else None
        if more and f": {more.group(1)}" in kb.blob:
            line = f"{read_more}: {more.group(1)}"
        elif PLACEHOLDER.search(line):
            line = kb.restore(line) or line
        if line.strip() and not kb.has(line):
            case_lines.append(line.strip())
        out.append(line)
    return "\n".join(out), case_lines
