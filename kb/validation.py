"""Checks an article must pass before it is published (editor, import).

Markdown itself accepts almost anything, so "invalid" means what would show up broken in the widget:
a placeholder the municipality has no value for, a malformed placeholder, raw HTML (stripped by the
sanitiser in the body; shown as literal text in the title, which is plain text), an unclosed link or emphasis, a link to an unsafe scheme, a source URL that is neither a
path nor an http(s) address, an empty title or body. Each problem names the article, the field and
the line, with a stable ``code`` so the web layer can show it in the admin's language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from kb.placeholders import PLACEHOLDER

MAX_TITLE = 300
MAX_BODY = 20_000
MAX_SOURCE = 500

_BRACED = re.compile(r"\{([^{}\n]*)\}")
_HTML_TAG = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)\b(?![:@.])[^>]*>")  # not <https://…>, <a@b.example>
_LINK_START = re.compile(r"\[([^\]\n]*)\]\(")
_LINK = re.compile(r"\[([^\]\n]*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:")


@dataclass(frozen=True)
class Problem:
    code: str  # empty | too_long | missing_placeholder | malformed_placeholder | raw_html | broken_link | unsafe_link | unbalanced_emphasis | bad_source_url
    article: str  # "intent/lang"
    field: str  # title | body | source_url | department
    line: int = 0  # 1-based line within the field (0: the field as a whole)
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:  # English, for the CLI and logs; the web layer translates by code
        where = f"{self.article}, {self.field}" + (f" line {self.line}" if self.line else "")
        detail = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"{where}: {self.code}" + (f" ({detail})" if detail else "")


def check_article(intent: str, lang: str, title: str, body: str, source_url: str,
                  values: Mapping[str, str], *, departments: set[str] | None = None,
                  department: str = "") -> list[Problem]:
    """All problems of one article (empty list: it can be published)."""
    name = f"{intent}/{lang}"
    problems: list[Problem] = []
    for fname, text, limit in (("title", title, MAX_TITLE), ("body", body, MAX_BODY)):
        if not (text or "").strip():
            problems.append(Problem("empty", name, fname))
        elif len(text) > limit:
            problems.append(Problem("too_long", name, fname, params={"limit": limit}))
    for fname, text in (("title", title or ""), ("body", body or ""), ("source_url", source_url or "")):
        problems += _placeholders(name, fname, text, values)
    problems += _title_html(name, title or "")
    problems += _markdown(name, body or "")
    problems += _source(name, source_url or "")
    if departments is not None and department and department not in departments:
        problems.append(Problem("unknown_department", name, "department", params={"department": department}))
    return problems


def _placeholders(name: str, fname: str, text: str, values: Mapping[str, str]) -> list[Problem]:
    out: list[Problem] = []
    for lineno, line in enumerate(text.splitlines() or [text], 1):
        for match in _BRACED.finditer(line):
            inner = match.group(1)
            if PLACEHOLDER.fullmatch(match.group(0)):
                if inner not in values:
                    out.append(Problem("missing_placeholder", name, fname, lineno, {"placeholder": "{" + inner + "}"}))
            else:
                out.append(Problem("malformed_placeholder", name, fname, lineno, {"placeholder": match.group(0)}))
        stripped = _BRACED.sub("", line)
        if "{" in stripped:  # opened, never closed on this line
            out.append(Problem("malformed_placeholder", name, fname, lineno,
                               {"placeholder": stripped[stripped.find("{"):].split()[0][:40]}))
        elif "}" in stripped:
            out.append(Problem("malformed_placeholder", name, fname, lineno, {"placeholder": "}"}))
    return out


def _tags(line: str) -> list[str]:
    """The HTML tags of a line, each once: <b>…</b> is one <b>."""
    return list(dict.fromkeys("<" + t.group(1).lower() + ">" for t in _HTML_TAG.finditer(line)))


def _title_html(name: str, title: str) -> list[Problem]:
    """The title is plain text everywhere (widget, editor list, e-mail): "<b>Bibliotek</b>" showed as such."""
    return [Problem("raw_html", name, "title", params={"tag": tag}) for tag in _tags(title)]


def _markdown(name: str, body: str) -> list[Problem]:
    out: list[Problem] = []
    in_code = False
    paragraph: list[tuple[int, str]] = []

    def close_paragraph():
        text = " ".join(t for _, t in paragraph)
        if paragraph and text.count("**") % 2:
            out.append(Problem("unbalanced_emphasis", name, "body", paragraph[0][0], {"marker": "**"}))
        paragraph.clear()

    for lineno, line in enumerate(body.splitlines(), 1):
        if line.strip().startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            continue
        if not line.strip():
            close_paragraph()
            continue
        paragraph.append((lineno, line))
        for tag in _tags(line):
            out.append(Problem("raw_html", name, "body", lineno, {"tag": tag}))  # <b>…</b>: once, not twice
        starts = len(_LINK_START.findall(line))
        links = _LINK.findall(line)
        if starts > len(links):
            out.append(Problem("broken_link", name, "body", lineno, {"text": line.strip()[:60]}))
        for _text, target in links:
            if target and not target.startswith(("/", "#")) and not target.lower().startswith(SAFE_SCHEMES):
                out.append(Problem("unsafe_link", name, "body", lineno, {"url": target[:80]}))
    close_paragraph()
    if in_code:
        out.append(Problem("unclosed_code", name, "body", len(body.splitlines()), {"marker": "```"}))
    return out


def _source(name: str, url: str) -> list[Problem]:
    url = url.strip()
    if not url:
        return []
    if len(url) > MAX_SOURCE or any(c.isspace() for c in url) or not (
            url.startswith("/") or re.match(r"https?://[^/\s]+", url)):
        return [Problem("bad_source_url", name, "source_url", params={"url": url[:80]})]
    return []
