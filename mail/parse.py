"""Parse one delivered e-mail (RFC 5322 bytes) into what triage needs, redacted at once.

* headers (decoded encoded-words), the body as text: ``text/plain`` preferred, else HTML turned into
  text with scripts, styles and hidden elements dropped (nothing of the HTML is ever rendered);
* the sender's own words split from quoted replies, inline forwards and the signature (Nordic and
  English markers: "On … wrote:", "Den … skrev:", "-----Original Message-----", "Fra:/Från:/
  Lähettäjä:" header blocks, "Mvh", "Med vennlig hilsen", "Ystävällisin terveisin", "Sendt fra min
  iPhone", …);
* attachments listed (name, type, size), never stored; forwarded messages (message/rfc822) give
  their text as context;
* malformed MIME and unknown charsets never raise: the mail is read as well as possible and each
  problem is recorded in ``problems`` (and logged) with a reason;
* control characters (a NUL in a header or a body: Postgres refuses it, and the intake would fail on
  the same mail at every poll) are dropped from every text (tinget.text.clean) here, not only by the
  text columns' type (tinget.db): the texts go to the redactor, the NLU and the encrypted original, and
  problems, attachments and headers to JSON columns, which the type does not reach; a sender address
  with one is not used (a cleaned address may be someone else's: the mail goes to a person, unanswered).

:func:`read_mail` redacts subject, own text, quoted text and attachment names with the project's
redactor before returning; the unredacted own text is kept only in ``original`` (for the case's
encrypted original) and never logged.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from html.parser import HTMLParser

from tinget.text import clean, first_control

log = logging.getLogger(__name__)

MAX_TEXT_CHARS = 100_000  # body text kept per mail; the rest is cut (recorded as a problem)


@dataclass
class Attachment:
    name: str
    content_type: str
    size: int  # bytes after transfer decoding
    inline: bool = False

    def as_dict(self) -> dict:
        return {"name": self.name, "type": self.content_type, "size": self.size, "inline": self.inline}


@dataclass
class Mail:
    """One parsed mail. After :func:`read_mail` every text field is redacted."""

    message_id: str
    subject: str = ""
    from_addr: str = ""  # the sender's address (needed to reply; the caller stores it encrypted)
    reply_to: str = ""
    to: list[str] = field(default_factory=list)
    date: datetime | None = None
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # lower-case name -> value (the ones triage reads)
    content_type: str = "text/plain"
    report_type: str = ""
    text: str = ""  # the whole body as text
    own_text: str = ""  # the sender's own words (no quotes, forwards or signature)
    quoted: str = ""  # quoted replies and inline forwards (context only)
    forwarded: str = ""  # text of messages forwarded as attachments (context only)
    returned_ids: list[str] = field(default_factory=list)  # a delivery report: Message-IDs of the mail it returns
    forward_inline: bool = False  # ``quoted`` is a message forwarded inline (a forward separator), not a reply
    signature: str = ""
    html_only: bool = False
    had_script: bool = False
    attachments: list[Attachment] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    size: int = 0
    redactions: dict[str, int] = field(default_factory=dict)
    original: str = ""  # unredacted subject, own text, signature, forwards: for the encrypted case original only
    redacted: bool = False

    @property
    def sender_domain(self) -> str:
        return self.from_addr.rpartition("@")[2].lower()

    def forwarded_text(self) -> str:
        """What the sender forwarded: messages attached as such, else one forwarded inline. The sender's
        matter when their own words only pass it on ("see below")."""
        return self.forwarded or (self.quoted if self.forward_inline else "")

    def problems_block_auto_reply(self) -> bool:
        """A mail we could not read cleanly is never answered without a person looking at it."""
        return any(p.split(":")[0] in ("redaction_failed", "unknown_charset", "bad_bytes_for_charset", "malformed_mime",
                                       "malformed_multipart", "unparseable", "body_cut") for p in self.problems)

    def problem(self, reason: str) -> None:
        reason = clean(reason)
        if reason not in self.problems:
            self.problems.append(reason)
            log.info("mail %s: %s", self.message_id[:80], reason)


# ------------------------------------------------------------------------------ HTML -> text
_SKIP_TAGS = {"script", "style", "head", "title", "noscript", "template", "svg", "object", "iframe"}
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
               "section", "article", "header", "footer", "hr", "pre", "address", "dd", "dt"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"}
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip: list[str] = []  # open elements whose content is dropped
        self.quote_depth = 0
        self.had_script = False

    def handle_starttag(self, tag, attrs):
        attrs_d = {k: (v or "") for k, v in attrs}
        if tag == "script":
            self.had_script = True
        if self.skip:
            if tag == self.skip[-1] and tag not in _VOID:
                self.skip.append(tag)
            return
        if tag in _SKIP_TAGS or (tag not in _VOID and _HIDDEN.search(attrs_d.get("style", ""))) \
                or (tag not in _VOID and "hidden" in attrs_d):
            self.skip.append(tag)
            return
        if tag == "blockquote":
            self.quote_depth += 1
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag == "td":
            self.parts.append(" ")

    def handle_startendtag(self, tag, attrs):
        if not self.skip and tag in ("br", "hr"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
            return
        if tag == "blockquote":
            self.quote_depth = max(0, self.quote_depth - 1)
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.skip:
            return
        if self.quote_depth:
            data = "\n".join("> " + line if line.strip() else line for line in data.split("\n"))
        self.parts.append(data)


def html_to_text(html: str) -> tuple[str, bool]:
    """Visible text of an HTML body (scripts, styles, hidden elements dropped; blockquotes as '> ').
    Returns (text, had_script)."""
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # HTMLParser is lenient; keep what it read
        log.info("HTML body could not be read to the end")
    text = "".join(parser.parts).replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return text, parser.had_script


# ------------------------------------------------------------------------------ quotes, signatures
_ATTRIBUTION = [
    re.compile(r"^(on|am|le)\b.{0,300}\b(wrote|schrieb|a écrit)\s*:\s*$", re.I | re.S),
    re.compile(r"^.{0,300}\b(skrev|skreiv|kirjoitti)\b.{0,200}:\s*$", re.I | re.S),
]
_SEPARATOR = re.compile(
    r"^\s*[-_=*]{2,}\s*(original message|opprinnelig melding|opphavleg melding|ursprungligt meddelande|"
    r"ursprungligt mail|oprindelig meddelelse|alkuperäinen viesti|forwarded message|videresendt melding|"
    r"videresendt e-post|vidarebefordrat meddelande|videresendt meddelelse|videresendt besked|vidaresendt melding|välitetty viesti|"
    r"begin forwarded message)\b.*$", re.I)
_FORWARD_WORDS = re.compile(r"forward|videresend|vidarebefordr|välitetty", re.I)
_HEADER_FROM = re.compile(r"^\s*\*?(from|fra|från|frå|lähettäjä|von|de)\s*\*?\s*:\s*\S", re.I)
_HEADER_NEXT = re.compile(r"^\s*\*?(sent|date|sendt|skickat|datum|dato|lähetetty|päivämäärä|to|til|till|vastaanottaja|"
                          r"subject|emne|ämne|aihe|gesendet|cc)\s*\*?\s*:", re.I)
_UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")
_DEVICE = re.compile(
    r"^\s*(sent from my|sendt fra min|sendt fra mi|sendt frå min|skickat från min|lähetetty .{0,30}(iphone|android|"
    r"puhelimesta|laitteesta)|get outlook for|hent outlook for|skaff deg outlook for|få outlook för|"
    r"sendt fra outlook|skickat från outlook|sent from outlook|sent from mail for windows|"
    r"sendt fra e-post for windows|skickat från e-post för windows|lähetetty windowsin)\b.*$", re.I)
_CLOSING = re.compile(
    r"^\s*(mvh\.?|m\.?v\.?h\.?|med vennlig hilsen|med vennleg helsing|med venleg helsing|vennlig hilsen|venleg helsing|"
    r"beste hilsen|hilsen|helsing|helsingar|med hilsen|mvh/?|vh\.?|med vänliga hälsningar|med vänlig hälsning|vänliga hälsningar|"
    r"vänlig hälsning|hälsningar|mvh,|med venlig hilsen|venlig hilsen|venlige hilsner|kærlig hilsen|"
    r"de bedste hilsner|bedste hilsner|ystävällisin terveisin|ystävällisesti|terveisin|parhain terveisin|"
    r"kiittäen|best regards|kind regards|warm regards|regards|best wishes|sincerely|yours sincerely|"
    r"yours faithfully|cheers|br)\b[\s,.!]*(\S.{0,60})?$|"
    # English "Best," / "All the best" alone on its line ("When is it open? Best, <PERSON>" was one sentence)
    r"^\s*(all the )?best[\s,.!]*$", re.I)
_SIG_DASHES = re.compile(r"^-- ?$")
_NAME = re.compile(r"^[A-ZÆØÅÄÖÜ][\w'.-]+( [A-ZÆØÅÄÖÜ][\w'.-]+){0,3}$")
_CONTACT = re.compile(
    r"^(tlf|tel|telefon|phone|mob|mobil|mobile|gsm|puh|puhelin|p|m|t)\b\.?\s*:?\s*\+?\d|"  # a labelled number
    r"^\+?\d[\d ()./-]{6,}\d$|"  # a number alone on its line
    r"\S@\S+\.\w|"  # an e-mail address
    r"\b\d{4,5} [A-ZÆØÅÄÖÜ][\w-]+$|\b(SE-|DK-|FI-|N-)?\d{3} ?\d{2} [A-ZÅÄÖ][\w-]+$", re.I)


def _joined(lines: list[str], i: int) -> str:
    """Line i, joined with the next one or two (mail clients wrap long attribution lines)."""
    return " ".join(line.strip() for line in lines[i:i + 3] if line.strip())


def _is_attribution(lines: list[str], i: int) -> bool:
    line = lines[i].strip().lstrip("> ").strip()
    if not line or len(line) > 400:
        return False
    for n in (1, 2, 3):
        cand = " ".join(x.strip().lstrip("> ").strip() for x in lines[i:i + n])
        if not cand.endswith(":"):
            continue
        if any(p.match(cand) for p in _ATTRIBUTION):
            # "skrev" lines must look like an attribution: a date, time or address in them
            if re.search(r"\d|@|<", cand):
                return True
    return False


def _is_header_block(lines: list[str], i: int) -> bool:
    if not _HEADER_FROM.match(lines[i].lstrip("> ")):
        return False
    following = [x.lstrip("> ") for x in lines[i + 1:i + 5] if x.strip()]
    return sum(bool(_HEADER_NEXT.match(x)) for x in following) >= 1


def split_quoted(text: str) -> tuple[str, str, bool]:
    """(own text, quoted/forwarded text, is_forward). The first attribution line, original-message or
    forward separator, or Outlook header block ends the own text; '>' lines are quoted anywhere."""
    lines = text.split("\n")
    cut = None
    forward = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if _SEPARATOR.match(stripped):
            cut, forward = i, bool(_FORWARD_WORDS.search(stripped))
            break
        if _UNDERSCORES.match(stripped) and i + 1 < len(lines) and any(
                _is_header_block(lines, j) for j in range(i + 1, min(i + 3, len(lines)))):
            cut = i
            break
        if _is_header_block(lines, i) or _is_attribution(lines, i):
            cut = i
            break
    head, tail = (lines, []) if cut is None else (lines[:cut], lines[cut:])
    own, quoted = [], []
    for line in head:
        (quoted if line.lstrip().startswith(">") else own).append(line)
    quoted_text = "\n".join(q.lstrip()[1:].lstrip() if q.lstrip().startswith(">") else q for q in quoted + tail)
    return "\n".join(own).strip(), quoted_text.strip(), forward


def split_signature(text: str) -> tuple[str, str]:
    """(body, signature): cut at '-- ', device lines ("Sendt fra min iPhone") and a closing line
    ("Mvh", "Kind regards", …) followed by at most 8 short lines (name, title, phone)."""
    lines = text.split("\n")
    lines = [line for line in lines if not _DEVICE.match(line)]
    for i, line in enumerate(lines):
        if _SIG_DASHES.match(line.rstrip("\r")) and i > 0:
            return "\n".join(lines[:i]).strip(), "\n".join(lines[i:]).strip()
    for i, line in enumerate(lines):
        if i == 0 or not _CLOSING.match(line):
            continue
        rest = [x for x in lines[i + 1:] if x.strip()]
        if len(rest) <= 8 and all(len(x) <= 80 for x in rest):
            body = "\n".join(lines[:i]).strip()
            if body:
                return body, "\n".join(lines[i:]).strip()
    return _contact_block("\n".join(lines).strip())


def _contact_block(text: str) -> tuple[str, str]:
    """(body, signature) for a signature without a closing word: a last paragraph of short lines that
    starts with a name and gives a phone number, an e-mail address or a postcode and place (the sender's
    contact card). Its title or workplace ("Home nursing, south") is not the sender's question."""
    head, sep, last = text.rpartition("\n\n")
    if not sep or not head.strip():
        return text, ""
    lines = [x.strip() for x in last.split("\n") if x.strip()]
    if not 2 <= len(lines) <= 8 or any(len(x) > 80 or "?" in x for x in lines):
        return text, ""
    if not _NAME.match(lines[0]) or not any(_CONTACT.search(x) for x in lines[1:]):
        return text, ""
    return head.strip(), last.strip()


# ------------------------------------------------------------------------------ MIME
_TRIAGE_HEADERS = ("auto-submitted", "x-autoreply", "x-autorespond", "x-auto-response-suppress", "precedence",
                   "list-id", "list-unsubscribe", "list-post", "x-mailer", "return-path", "x-spam-flag",
                   "x-spam-status", "x-campaign", "x-mailchimp-campaign", "feedback-id", "x-loop",
                   "x-failed-recipients", "reply-to", "content-type", "x-ms-exchange-generated-message-source",
                   "x-tinget-loop")
_CHARSET_FALLBACKS = ("utf-8", "cp1252")


def _decode_fallback(data: bytes, last: str = "") -> str:
    """``data`` read as the first of _CHARSET_FALLBACKS that fits; else as ``last`` (latin-1 reads any byte), or
    as UTF-8 with U+FFFD for the bytes that do not fit."""
    for charset in _CHARSET_FALLBACKS:
        try:
            return data.decode(charset)
        except UnicodeDecodeError:
            continue
    return data.decode(last) if last else data.decode("utf-8", errors="replace")


_SINGLE_BYTE = re.compile(r"^(iso[-_]?8859[-_]\d{1,2}|latin[-_]?\d|(windows|cp)[-_]?125\d)$")


def _header(msg: EmailMessage, name: str, mail: Mail, *, keep_controls: bool = False) -> str:
    try:
        value = msg.get(name)
    except Exception as exc:  # a header the parser cannot decode: keep its raw form
        mail.problem(f"malformed_header:{name}:{exc.__class__.__name__}")
        raw = msg.get_all(name, failobj=[], ) if hasattr(msg, "get_all") else []
        value = str(raw[0]) if raw else ""
    value = str(value or "")
    if "\ufffd" in value:  # raw 8-bit bytes in the header (no encoded-word): read them as UTF-8 or cp1252
        value = _raw_header(msg, name, mail) or value
    return " ".join((value if keep_controls else clean(value)).split())


def _raw_header(msg: EmailMessage, name: str, mail: Mail) -> str:
    """A header sent as raw 8-bit bytes (old clients send Latin-1 so; RFC 6532 allows UTF-8): the parser
    keeps such bytes as surrogates and the header value shows U+FFFD for each ("Sp\ufffdrsm\ufffdl")."""
    try:
        raw = next((str(v) for k, v in msg.raw_items() if k.lower() == name), "")
        data = raw.encode("ascii", "surrogateescape")
    except (UnicodeEncodeError, AttributeError):
        return ""
    if not data or max(data) < 0x80:
        return ""
    mail.problem(f"8bit_header:{name}")
    return _decode_fallback(data, last="latin-1")


def _address(msg: EmailMessage, name: str, mail: Mail) -> str:
    addr = parseaddr(_header(msg, name, mail, keep_controls=True))[1].strip().lower()
    if first_control(addr):
        mail.problem(f"control_character_in_address:{name}")
        return ""
    return addr


def _msgids(value: str) -> list[str]:
    return re.findall(r"<([^<>\s]+)>", value or "") or [v for v in (value or "").split() if "@" in v]


def _decode_part(part: EmailMessage, mail: Mail) -> str:
    """Text of a leaf part; unknown or wrong charsets are read as UTF-8 or cp1252 (recorded)."""
    try:
        payload = part.get_payload(decode=True)
    except Exception as exc:
        mail.problem(f"undecodable_part:{exc.__class__.__name__}")
        payload = None
    if payload is None:
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    charset = (part.get_content_charset() or "").strip().lower() or "us-ascii"
    if _SINGLE_BYTE.match(charset) and any(b >= 0x80 for b in payload):
        # UTF-8 sent under a Latin charset label (a webmail or a form that labels everything so): read
        # as labelled, every "ø" became "Ã¸". Latin text is almost never valid UTF-8 with such bytes.
        try:
            text = payload.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            mail.problem(f"utf8_labelled_as:{charset[:40]}")
            return text
    try:
        return payload.decode(charset)
    except LookupError:
        mail.problem(f"unknown_charset:{charset[:40]}")
    except UnicodeDecodeError:
        mail.problem(f"bad_bytes_for_charset:{charset[:40]}")
    return _decode_fallback(payload)


def _filename(part: EmailMessage) -> str:
    try:
        return part.get_filename() or ""
    except Exception:
        return ""


def _walk(msg: EmailMessage, mail: Mail, bodies: dict[str, list[str]], depth: int = 0) -> None:
    if depth > 20:
        mail.problem("mime_too_deep")
        return
    ctype = msg.get_content_type()
    if msg.is_multipart() and not ctype.startswith("message/"):
        parts = msg.get_payload()
        if not isinstance(parts, list):
            mail.problem("malformed_multipart")
            bodies["plain"].append(_decode_part(msg, mail))
            return
        for sub in parts:
            if isinstance(sub, EmailMessage) or hasattr(sub, "get_content_type"):
                _walk(sub, mail, bodies, depth + 1)
        return
    if ctype.startswith("multipart/"):  # a multipart without its parts (no boundary found): read as text
        mail.problem("malformed_multipart")
        raw = msg.get_payload()
        bodies["plain"].append(raw if isinstance(raw, str) else _decode_part(msg, mail))
        return
    disposition = (msg.get_content_disposition() or "").lower()
    name = _filename(msg)
    if ctype == "message/rfc822" or (ctype.startswith("message/") and ctype != "message/delivery-status"):
        inner = msg.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        size = len(inner.as_bytes()) if hasattr(inner, "as_bytes") else 0
        subject = ""
        if hasattr(inner, "get"):
            subject = " ".join(str(inner.get("subject", "") or "").split())
            if mail.report_type or mail.content_type == "multipart/report":
                mail.returned_ids += _msgids(str(inner.get("message-id", "") or ""))
            sub_bodies: dict[str, list[str]] = {"plain": [], "html": []}
            _walk(inner, mail, sub_bodies, depth + 1)
            text = "\n".join(sub_bodies["plain"]) or "\n".join(html_to_text(h)[0] for h in sub_bodies["html"])
            bodies["forwarded"].append(text)
        mail.attachments.append(Attachment(name or (subject or "message") + ".eml", "message/rfc822", size))
        return
    if ctype == "message/delivery-status":
        mail.report_type = mail.report_type or "delivery-status"
        return
    if ctype == "text/rfc822-headers":  # a delivery report's copy of the returned mail's headers
        mail.returned_ids += _msgids(" ".join(re.findall(r"(?im)^message-id:\s*(.+)$", _decode_part(msg, mail))))
    if disposition == "attachment" or (name and ctype not in ("text/plain", "text/html")) or (
            not ctype.startswith("text/") and ctype != "application/pgp-signature"):
        try:
            payload = msg.get_payload(decode=True) or b""
        except Exception:
            payload = b""
        inline = disposition == "inline" or bool(msg.get("content-id"))
        mail.attachments.append(Attachment(name or f"({ctype})", ctype, len(payload), inline and disposition != "attachment"))
        return
    text = _decode_part(msg, mail)
    if ctype == "text/html":
        bodies["html"].append(text)
    elif ctype == "text/plain" or ctype.startswith("text/"):
        bodies["plain"].append(text)


def parse_bytes(raw: bytes) -> Mail:
    """Parse without redacting (internal: use :func:`read_mail`). Never raises for bytes input."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", errors="replace")
    mail = Mail(message_id="", size=len(raw))
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception as exc:  # pragma: no cover - the parser is lenient; be safe anyway
        mail.problem(f"unparseable:{exc.__class__.__name__}")
        mail.message_id = "sha256:" + hashlib.sha256(raw).hexdigest()[:40]
        mail.text = mail.own_text = clean(raw.decode("utf-8", errors="replace")[:MAX_TEXT_CHARS])
        return mail
    for defect in msg.defects:
        mail.problem(f"malformed_mime:{defect.__class__.__name__}")
    mail.subject = _header(msg, "subject", mail)
    mail.from_addr = _address(msg, "from", mail)
    mail.reply_to = _address(msg, "reply-to", mail)
    mail.to = [a.lower() for _, a in getaddresses([_header(msg, "to", mail), _header(msg, "cc", mail)]) if a]
    try:
        date = _header(msg, "date", mail)
        mail.date = parsedate_to_datetime(date) if date else None
    except (TypeError, ValueError, IndexError):
        mail.problem("bad_date")
    for h in _TRIAGE_HEADERS:
        value = _header(msg, h, mail)
        if value:
            mail.headers[h] = value[:500]
    ids = _msgids(_header(msg, "message-id", mail))
    mail.in_reply_to = (_msgids(_header(msg, "in-reply-to", mail)) or [""])[0]
    mail.references = _msgids(_header(msg, "references", mail))[-20:]
    try:
        mail.content_type = msg.get_content_type()
        mail.report_type = (msg.get_param("report-type") or "") if mail.content_type == "multipart/report" else ""
    except Exception:
        mail.problem("bad_content_type")
    bodies: dict[str, list[str]] = {"plain": [], "html": [], "forwarded": []}
    try:
        _walk(msg, mail, bodies)
    except Exception as exc:
        mail.problem(f"malformed_mime:{exc.__class__.__name__}")
        log.info("MIME walk failed", exc_info=True)
    plain = "\n\n".join(t for t in bodies["plain"] if t and t.strip())
    html = "\n".join(bodies["html"])
    if not plain.strip() and html.strip():
        plain, mail.had_script = html_to_text(html)
        mail.html_only = True
    elif html:
        mail.had_script = "<script" in html.lower()
    plain = clean(plain).replace("\r\n", "\n").replace("\r", "\n")
    if len(plain) > MAX_TEXT_CHARS:
        mail.problem("body_cut")
        plain = plain[:MAX_TEXT_CHARS]
    mail.text = plain.strip()
    own, quoted, forward = split_quoted(mail.text)
    own, signature = split_signature(own)
    mail.own_text, mail.quoted, mail.signature, mail.forward_inline = own, quoted, signature, forward
    mail.forwarded = clean("\n\n".join(t.strip() for t in bodies["forwarded"] if t.strip())[:MAX_TEXT_CHARS])
    for a in mail.attachments:
        a.name, a.content_type = clean(a.name), clean(a.content_type)
    if ids:
        mail.message_id = ids[0][:300]
    else:
        mail.problem("no_message_id")
        basis = "\x1f".join([mail.from_addr, _header(msg, "date", mail), mail.subject, mail.text])
        mail.message_id = "sha256:" + hashlib.sha256(basis.encode("utf-8", "replace")).hexdigest()[:40]
    return mail


def forward_body(text: str) -> str:
    """A forwarded message without its forward separator and header lines (From:, Date:, Subject:, To:):
    what its author wrote."""
    lines = (text or "").split("\n")
    i = 0
    while i < len(lines) and (not lines[i].strip() or _SEPARATOR.match(lines[i].strip())
                              or _HEADER_FROM.match(lines[i]) or _HEADER_NEXT.match(lines[i])):
        i += 1
    return "\n".join(lines[i:]).strip()


FORWARD_CHARS = 20_000  # of a forwarded message, shown on the case


def with_forwarded(subject: str, own_text: str, forwarded: str) -> str:
    """The text a case shows for a mail: subject, the sender's own words and what they forwarded (quoted
    with '> ' as mail clients do; a forward is often the whole matter, with "see below" of one's own)."""
    parts = [subject, own_text]
    if forwarded.strip():
        parts.append("\n".join("> " + line if line.strip() else ">" for line in forwarded[:FORWARD_CHARS].strip().split("\n")))
    return "\n\n".join(p for p in parts if p and p.strip()).strip()


def read_mail(raw: bytes, *, allow=(), lang: str | None = None) -> Mail:
    """Parse ``raw`` and redact every text field at once (``allow``: public values to keep, e.g. the
    municipality's own phone numbers). If redaction fails, the texts are withheld, never kept."""
    from privacy import redact

    mail = parse_bytes(raw)
    # the caseworker's "Show original" holds the signature too: how the resident signed and the phone or
    # address they gave to be reached at (the redacted case text leaves the signature out)
    own = "\n\n".join(t for t in (mail.own_text, mail.signature) if t and t.strip())
    mail.original = with_forwarded(mail.subject, own, mail.forwarded_text())
    counts: dict[str, int] = {}

    def red(text: str, count: bool = True) -> str:
        if not text:
            return ""
        result = redact(text, lang, allow)
        for label, n in (result.counts.items() if count else ()):
            counts[label] = counts.get(label, 0) + n
        return result.text

    try:
        mail.subject = red(mail.subject)
        mail.own_text = red(mail.own_text)
        mail.quoted = red(mail.quoted)
        mail.forwarded = red(mail.forwarded)
        mail.signature = red(mail.signature)
        # the whole text is the same words again: rebuilt from the redacted parts, not redacted twice
        mail.text = "\n\n".join(t for t in (mail.own_text, mail.signature, mail.quoted) if t)
        for a in mail.attachments:
            a.name = red(a.name)[:200]
    except Exception:
        log.exception("redaction failed; the mail's texts are withheld")
        mail.problem("redaction_failed")
        mail.subject = mail.own_text = mail.text = "[withheld: redaction failed]"
        mail.quoted = mail.forwarded = mail.signature = ""
        for a in mail.attachments:
            a.name = "[withheld]"
        counts = {"FAILED": 1}
    mail.redactions = counts
    mail.redacted = True
    return mail
