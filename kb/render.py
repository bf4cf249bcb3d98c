"""Markdown to safe HTML for answers shown in the widget and console."""

from __future__ import annotations

from functools import lru_cache

import bleach
import markdown as md

ALLOWED_TAGS = ["p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "h4", "blockquote", "code"]
ALLOWED_ATTRS = {"a": ["href", "title", "rel", "target"]}


def markdown_to_html(text: str) -> str:
    html = md.markdown(text or "", extensions=["sane_lists"], output_format="html")
    clean = bleach.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRS,
                         protocols=["http", "https", "mailto", "tel"], strip=True)
    return bleach.linkify(clean, callbacks=[_external], parse_email=False)


@lru_cache(maxsize=2048)
def bot_markdown_to_html(text: str) -> str:
    """:func:`markdown_to_html` cached, for the bot's own texts only (KB answers, system texts, domain
    responses): the same few hundred texts are rendered for every resident who gets them, and rendering
    plus sanitising was ~15 ms of each answered message. Never for residents' or caseworkers' words
    (they must not linger in a process-wide cache after a conversation is deleted)."""
    return markdown_to_html(text)


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
