"""Markdown to safe HTML for answers shown in the widget and console."""

from __future__ import annotations

import re
from functools import lru_cache

import bleach
import markdown as md
from bleach.linkifier import TLDS, Linker, build_url_re

ALLOWED_TAGS = ["p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "h4", "blockquote", "code"]
ALLOWED_ATTRS = {"a": ["href", "title", "rel", "target"]}
# Names reserved for documentation and private networks (RFC 2606 "example", "test"; ICANN's "internal"):
# bleach links only the public top-level domains, so the demo municipality's https://fjordvik.example/...
# and an intranet's https://sak.kommune.internal/... stayed plain text in the widget and the console.
RESERVED_TLDS = ("example", "test", "internal")


def markdown_to_html(text: str) -> str:
    return _safe(md.markdown(text or "", extensions=["sane_lists"], output_format="html"))


def _safe(html: str) -> str:
    clean = bleach.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRS,
                         protocols=["http", "https", "mailto", "tel"], strip=True)
    # a Linker per call, as bleach.linkify makes one: its parser keeps state and is not shared between threads
    return Linker(url_re=_url_re(), callbacks=[_external], parse_email=False).linkify(clean)


@lru_cache(maxsize=1)
def _url_re() -> re.Pattern:
    tlds = sorted(set(TLDS) | set(RESERVED_TLDS), reverse=True)  # bleach's order: the longer name first
    return build_url_re(tlds=tlds)


@lru_cache(maxsize=2048)
def bot_markdown_to_html(text: str) -> str:
    """:func:`markdown_to_html` cached, for the bot's own texts only (KB answers, system texts, domain
    responses): the same few hundred texts are rendered for every resident who gets them, and rendering
    plus sanitising was ~15 ms of each answered message. Never for residents' or caseworkers' words
    (they must not linger in a process-wide cache after a conversation is deleted)."""
    return markdown_to_html(text)


_BULLET = re.compile(r"^ {0,3}[-*+] +\S")
_NUMBERED = re.compile(r"^( {0,3})(\d{1,9})([.)]) +\S")


def reply_markdown_to_html(text: str) -> str:
    """A caseworker's reply (or a draft of one) as safe HTML that keeps what the caseworker typed: every line
    break (greeting, signature lines) and lists started right under a line ("lisäksi:\n- kohta 1"), which
    plain Markdown joins into one paragraph. A line that starts with a number other than 1 and follows no
    list item ("17. mai ...") stays text (Markdown made it a list, shown numbered from 1)."""
    lines, listed = [], False
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        numbered = _NUMBERED.match(line)
        if numbered and not listed and numbered.group(2) != "1":
            line = f"{numbered.group(1)}{numbered.group(2)}\\{line[numbered.end(2):]}"
            numbered = None
        item = bool(numbered or _BULLET.match(line))
        indented = line.startswith((" ", "\t"))
        if line.strip() and lines and lines[-1].strip() and (item and not listed or listed and not item and not indented):
            lines.append("")  # Markdown starts a list only after a blank line, and ends one only at one
        if line.strip():
            listed = item or (listed and indented)
        lines.append(line)
    return _safe(md.markdown("\n".join(lines), extensions=["sane_lists", "nl2br"], output_format="html"))


def _external(attrs, new=False):
    attrs[(None, "rel")] = "noopener noreferrer"
    attrs[(None, "target")] = "_blank"
    return attrs


def markdown_to_text(text: str) -> str:
    """Plain text (links kept as 'text (url)') for e-mail and console drafts."""
    import re

    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1 (\2)", text or "")
    text = re.sub(r"\*\*([^*]+)\*\*", r"\1", text)
    return text.strip()
