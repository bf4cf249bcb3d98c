"""Personal data inside links.

A link hides what it carries from the recognizers: ``?navn=Kari+Nordmann``, ``?email=kari%40example.org``,
``/person/kari-nordmann/`` or ``tel:91234567`` are written URL-encoded, glued to ``=`` and ``&``, and in
lower case. ``link_values`` finds the links of a message (a scheme, ``www.``, a domain with a path, or
``mailto:``/``tel:``/``sms:``) and cuts each into the values a person could have put there: the
address of a ``mailto:``/``tel:``/``sms:`` link, every query value, every path segment and the fragment.
``probe`` writes each decoded value as a line of text ("key: value", the key being the query
parameter's name, which is a context cue like "navn:" or "tlf:") for the ordinary recognizers; a finding on a line redacts the whole ENCODED value in the original (``?navn=<PERSON>``), and the
scheme, host, path and parameter names stay readable. The host is never a value (it is the site's,
not the resident's), and a link's words are no context for the text around it (privacy.context).

A link has no spaces, so inside a value a change between letters and digits separates words
("kontakt41234567": a number typed against a link), and a value that ends a link in digits is read
with the digit groups written right after the link ("…/kontakt/412 34 567"). A path slug names a
person when it is made of listed names only ("kari-nordmann") or holds a first name followed by a
surname ("brev-til-kari-hansen"); one name word in a longer slug is a page's title."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, unquote_plus

# A link as written in a message (ends at whitespace): a web address (WEB_LINK, which the address recognizer
# also uses to leave links alone), or a contact link (mailto:, tel: …).
_START = r"(?i)(?<![\w@.\-])"
_WEB = r"(?:https?://|www\.|(?:[a-z0-9\-]+\.)+[a-z]{2,}/)"
_REST = r"[^\s<>\"'’]*"
WEB_LINK = re.compile(_START + _WEB + _REST)
LINK = re.compile(_START + r"(?:" + _WEB + r"|(?:mailto|tel|sms|callto):)" + _REST)
_CONTACT = re.compile(r"(?i)(?:mailto|tel|sms|callto):")
_TRAILING = ".,;:!?)]}»"
# A value made only of these characters carries nothing to read ("", "-", "1").
_EMPTY = re.compile(r"^[\W_]*$")
_WORD_JOIN = re.compile(r"(?<=[^\W\d_])[-_+]+|[-_+]+(?=[^\W\d_])")
_SLUG = re.compile(r"^[^\W\d_]+(?:[-_+][^\W\d_]+){1,3}$")
_FILE_EXT = re.compile(r"(?i)\.(?:html?|php|aspx?|jsp|pdf)$")


# Letters and digits written together, maybe with punctuation between: two words in a link, which has no
# spaces ("kontakt41234567", "kontakt,41234567" when a number is typed right after a link).
_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])[^\w\s]*(?=\d)|(?<=\d)[^\w\s]*(?=[^\W\d_])")
# The text right after a link that ends in a digit: digit groups that go on past the link's end
# ("https://fjordvik.example/kontakt/412 34 567": the number began inside the link).
_TAIL = re.compile(r"[ \t\xa0]\d[\d \t\xa0.\-]{0,16}")


@dataclass(frozen=True)
class LinkValue:
    start: int  # span of the ENCODED value in the original text
    end: int
    key: str  # decoded parameter name ("" for path segments), a context cue for the recognizers
    text: str  # decoded value as the recognizers read it
    tail: str = ""  # for a link's last value: the digits written right after the link (see _TAIL)


def _has_link(text: str) -> bool:
    low = text.lower()
    return "/" in low or "www." in low or "mailto:" in low or "tel:" in low or "sms:" in low or "callto:" in low


def link_values(text: str) -> list[LinkValue]:
    """Every value inside every link of ``text`` (offsets into ``text``)."""
    if not _has_link(text):
        return []
    out: list[LinkValue] = []
    for match in LINK.finditer(text):
        start, end = match.span()
        while end > start and text[end - 1] in _TRAILING:
            end -= 1
        link = text[start:end]
        contact = _CONTACT.match(link)
        if contact:
            body_end = link.find("?")
            body_end = len(link) if body_end < 0 else body_end
            _add(out, start + contact.end(), start + body_end, contact.group(0).rstrip(":").lower(),
                 unquote(link[contact.end():body_end]))
            if body_end < len(link):
                _query(out, link, start, body_end + 1, len(link))
            continue
        scheme = re.match(r"(?i)https?://", link)
        pos = scheme.end() if scheme else 0
        host_end = re.search(r"[/?#]|$", link[pos:]).start() + pos  # the host is not a value
        query_at = link.find("?", host_end)
        frag_at = link.find("#", host_end)
        path_end = min(i for i in (query_at, frag_at, len(link)) if i >= 0)
        seg_start = host_end
        for segment in link[host_end:path_end].split("/"):
            if segment:
                decoded = _FILE_EXT.sub("", unquote(segment))
                _add_segment(out, start + seg_start, start + seg_start + len(segment), decoded)
            seg_start += len(segment) + 1
        if query_at >= 0 and (frag_at < 0 or query_at < frag_at):
            _query(out, link, start, query_at + 1, frag_at if frag_at > query_at else len(link))
        if frag_at >= 0:
            _add_segment(out, start + frag_at + 1, start + len(link), unquote(link[frag_at + 1:]))
    return _with_tails(text, out)


def _with_tails(text: str, values: list[LinkValue]) -> list[LinkValue]:
    """A value that ends a link in a digit is read together with the digit groups right after the link:
    a number typed against a link ("…/kontakt/412 34 567") begins inside it and ends outside."""
    out = []
    for v in values:
        tail = _TAIL.match(text, v.end) if v.end < len(text) and text[v.end - 1].isdigit() else None
        out.append(LinkValue(v.start, v.end, v.key, v.text, tail.group(0).rstrip(" .-\t\xa0")) if tail else v)
    return out


def _query(out: list[LinkValue], link: str, offset: int, begin: int, end: int) -> None:
    pos = begin
    for part in re.split(r"[&;]", link[begin:end]):
        key, eq, value = part.partition("=")
        if eq:
            vstart = pos + len(key) + 1
            _add(out, offset + vstart, offset + vstart + len(value), unquote_plus(key), unquote_plus(value))
        else:
            _add(out, offset + pos, offset + pos + len(part), "", unquote_plus(part))
        pos += len(part) + 1


def _add_segment(out: list[LinkValue], start: int, end: int, decoded: str) -> None:
    """A path segment or fragment (the redactor takes a PERSON in it only when the name is the whole
    value read: a longer slug is a page's title). A slug is written in lower case ("kari-nordmann"), which the person
    recognizer takes for a name only after a cue; a slug made only of listed names (first names and
    surnames) is read a second time capitalised ("Kari Nordmann"), and so is a first name and a surname
    side by side in a longer slug (``_name_pair``); the recognizer still decides (a place or a word that
    is also a name stays a place or a word)."""
    words = _WORD_JOIN.sub(" ", decoded)  # "kari-nordmann", not the date "2024-05-12"
    words = _LETTER_DIGIT.sub(" ", words)  # "kontakt41234567"
    _add(out, start, end, "", words)
    if _SLUG.match(decoded):
        from privacy.names import lexicon

        names = lexicon().any_name
        if all(w in names for w in words.split()):
            _add(out, start, end, "", words.title())
            return
    pair = _name_pair(words)
    if pair:
        _add(out, start, end, "", pair)


def _name_pair(words: str) -> str:
    """A listed first name followed by a listed surname inside a longer slug ("ola-nordmann-klage-2024",
    "brev-til-kari-hansen"), capitalised ("Ola Nordmann") for the recognizers, or "". One name word in a
    long slug is a page's title ("sallad-med-bockling-och-oliver"), but a first name and a surname side by
    side name a person. Words that are also ordinary words or places ("hans", "mai", "lund") do not count,
    nor two names that are both also words ("sol-strand"), and the person recognizer still decides."""
    from privacy.names import lexicon

    lex = lexicon()
    tokens = words.lower().split()
    if len(tokens) < 3:  # a two-word slug of names is read above
        return ""
    for first, last in zip(tokens, tokens[1:], strict=False):
        if (first in lex.first or first in lex.ambiguous) and last in lex.surnames \
                and not (first in lex.ambiguous and last in lex.ambiguous) \
                and not {first, last} & (lex.not_names | lex.places):
            return f"{first.title()} {last.title()}"
    return ""


def _add(out: list[LinkValue], start: int, end: int, key: str, value: str) -> None:
    value = " ".join(value.split())
    if end > start and not _EMPTY.match(value):
        key = re.sub(r"[-_+.\[\]]+", " ", " ".join(key.split())).strip()
        out.append(LinkValue(start, end, key, value))


def probe(value: LinkValue) -> tuple[str, int, int]:
    """The text the recognizers read for one value ("key: value", or the value alone) and the value's
    span in it. Each value is read on its own: one value's key must not be context of another ("case"
    before "email=..." would read as a case number)."""
    # The key is a cue right before a value ("tlf: 91234567", "navn: kari nordmann"), but a capitalised
    # value after it would be a capitalised word inside a sentence, which in nb, nn, sv and da reads as
    # a name ("subject: Bygglov"): such a value opens a sentence of its own.
    head = (f"{value.key}. " if value.text[:1].isupper() else f"{value.key}: ") if value.key else ""
    return head + value.text + value.tail, len(head), len(head) + len(value.text)
