"""What kind of mail this is before any NLU: auto-reply, bounce, newsletter, spam/phishing, empty — or a
person's mail. And the person's own text split into segments (sentences) for the NLU.

Set-aside must be precise (a resident's mail is never set aside), so each rule needs evidence that a
person writing to the municipality would not produce: a standard header (Auto-Submitted,
List-Unsubscribe, multipart/report), a sender that is a mail system, or several independent cues
together (an absence subject *and* an absence sentence; a log-in lure *and* a link *and* a brand
the sender's domain does not belong to). One cue alone is never enough for content rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mail.parse import Mail

# ------------------------------------------------------------------------------ set-aside rules
_REPLY_PREFIX = re.compile(r"^\s*((re|sv|vs|aw|vb|fw|fwd|vl|wg)\s*:\s*)+", re.I)
_OOO_SUBJECT = re.compile(
    r"^\s*(out of (the )?office|automatic reply|auto(matic)?[- ]?reply|autosvar|automatisk svar|auto-svar|"
    r"fraværende|fravær|fråverande|fråvær|frånvarande|frånvaro|ikke til stede|ikkje til stades|ej på plats|"
    r"poissa|poissaolo|lomalla|automaattinen vastaus|abwesend|abwesenheitsnotiz|på ferie|på semester|ferie)\b",
    re.I)
_OOO_BODY = re.compile(
    r"\b(i am|i'm) (currently )?(out of (the )?office|away|on (annual )?leave|on holiday|on vacation)|"
    r"\b(back|return(ing)?) (in the office )?on\b|\bwill (reply|respond|answer) .{0,30}(when i return|after)|"
    r"\b(jeg|eg|jag) (er|är) (på|i) (ferie|reise|semester|tjenestereise|kurs|permisjon|foreldrepermisjon|"
    r"semestern?|tjänsteresa|resa|ledig)|\b(jeg|eg) har ferie|\bjag har semester|"
    r"\b(er|är) tilbake|\bär tillbaka|\bsvar(ar|er)? på e-?post(en)? etter|\bsvarar (på e-?post )?etter|"
    r"\bsvarer når jeg|\bbesvar(ar|es)? (när|etter|efter)|\bi (perioden|tidsrommet)\b.{0,40}\b(ferie|fravær)|"
    r"\b(jeg|eg) er borte|\bhar fri\b|\bfraværende\b|\bfrånvarande\b|\bfråverande\b|\bikke tilgjengelig\b|"
    r"\bolen (lomalla|poissa|matkoilla|koulutuksessa)|\bpalaan\b|\bvastaan (viesteihin|sähköposteihin)|"
    r"\bvi har (stengt|lukket) for ferien|\bhar ferie til\b", re.I)
_BOUNCE_FROM = re.compile(r"^(mailer-daemon|postmaster|mail-daemon|mailerdaemon|bounce[s]?)([+-].*)?@", re.I)
_BOUNCE_SUBJECT = re.compile(
    r"^\s*(undeliver(ed|able)|delivery (status notification|has failed|failure|failed|incomplete)|"
    r"returned mail|mail delivery (failed|failure|system)|failure notice|non[- ]?delivery|"
    r"kan ikke leveres|ikke levert|leveringsfeil|uleverbar|olevererbar|levereringsfel|"
    r"kunne ikke leveres|toimitus epäonnistui|viestiä ei voitu toimittaa|unzustellbar)", re.I)
_UNSUBSCRIBE = re.compile(
    r"\b(unsubscribe|opt[- ]out|manage (your )?(preferences|subscription)|meld (deg|dig) av|avmeld|"
    r"avslutt abonnement|avregistrera|avsluta prenumeration|avanmäl|afmeld|frameld|"
    r"peruuta tilaus|lopeta tilaus|view (this|it) in (your|a) browser|vis i nettleser|visa i webbläsare)\b", re.I)
_URL = re.compile(r"https?://([^/\s>\"')]+)", re.I)
_LURE = re.compile(
    r"\b(password|passord|lösenord|adgangskode|salasana|verify your|confirm your (account|identity)|"
    r"bekreft (kontoen|identiteten|din)|verifiser|verifiera|bekräfta ditt|log ?in|logg inn|logga in|log ind|"
    r"kirjaudu|sign in|mailbox (is )?full|innboksen (din )?er full|account (will be )?(suspended|closed)|"
    r"kontoen (din )?(blir|vil bli) (stengt|sperret)|pakke(n)? (venter|kunne ikke)|your parcel|"
    r"tollgebyr|customs fee|invoice attached|betal(ing)? (nå|innen)|unpaid)\b", re.I)
_BRAND = re.compile(
    r"\b(microsoft|office ?365|m365|outlook|altinn|skatteetaten|nav|bankid|vipps|posten|bring|dhl|postnord|"
    r"helsenorge|digipost|skatteverket|försäkringskassan|mitid|nemid|e-boks|skat\.dk|kela|verohallinto|"
    r"apple|netflix|paypal|docusign|sharepoint|onedrive|dropbox)\b", re.I)
_SPAM = re.compile(
    r"\b(crypto|krypto\w*|bitcoin|forex|investment opportunity|investeringsmulighet|tjen(e)? [\d.]+ ?kr|tjener? penge|"
    r"tjäna [\d.]+|earn \$?[\d,.]+|passive income|passiv inntekt|lottery|lotteri|you (have )?won|du har vunnet|"
    r"du har vundet|du har vunnit|gratis iphone|viagra|casino|kasino|dating|hot singles|seo services|"
    r"guest post|backlinks?|100% (gratis|free|garanti)|risk[- ]free|risikofri|risikofrit|gevinst)\b", re.I)
_AUTOMATED_NOTE = re.compile(r"\b(dette er en automatisk (generert )?melding|this is an automated (message|email)|"
                             r"detta är ett automatiskt|ikke svar på denne|do not reply|svara inte|älä vastaa)\b", re.I)
_WORD = re.compile(r"[^\W\d_]{2,}", re.U)


@dataclass
class SetAside:
    kind: str  # auto_reply | bounce | newsletter | spam | empty
    reason: str


def _subject_core(subject: str) -> str:
    return _REPLY_PREFIX.sub("", subject or "").strip()


def _domain(host: str) -> str:
    parts = host.lower().strip(".").split(".")
    return ".".join(parts[-2:]) if len(parts) >= 2 else host.lower()


def is_auto_reply(mail: Mail) -> str | None:
    h = mail.headers
    auto = h.get("auto-submitted", "").lower()
    if auto and not auto.startswith("no"):
        return f"Auto-Submitted: {auto[:40]}"
    for name in ("x-autoreply", "x-autorespond"):
        if name in h:
            return f"{name} header"
    if h.get("precedence", "").lower() in ("auto_reply", "auto-reply"):
        return "Precedence: auto_reply"
    if h.get("x-tinget-loop") or h.get("x-loop"):
        return "loop header"
    subject = mail.subject or ""
    body = mail.own_text or mail.text
    if _OOO_SUBJECT.match(subject) and _OOO_BODY.search(body or "") and "?" not in (body or ""):
        return "absence subject and absence notice"  # an absence notice asks nothing
    if _OOO_SUBJECT.match(subject) and not (body or "").strip():
        return "absence subject, no text"
    # An absence notice without any header or subject marker: only short, question-free texts.
    words = _WORD.findall(body or "")
    if _OOO_BODY.search(body or "") and "?" not in (body or "") and len(words) <= 45 \
            and re.search(r"\b\d{1,2}[./]\s?\d{1,2}\b|\b\d{1,2}\.? (jan|feb|mar|apr|mai|maj|may|jun|jul|aug|sep|okt|oct|nov|des|dec)",
                          body, re.I):
        return "absence notice with a return date"
    return None


def is_bounce(mail: Mail) -> str | None:
    if mail.content_type == "multipart/report" or mail.report_type:
        return f"delivery report ({mail.report_type or mail.content_type})"
    if _BOUNCE_FROM.match(mail.from_addr or ""):
        return f"sender is a mail system ({mail.from_addr.split('@')[0]})"
    if mail.headers.get("x-failed-recipients"):
        return "X-Failed-Recipients header"
    if (mail.headers.get("return-path", "").strip() in ("<>", "")) and "return-path" in mail.headers \
            and _BOUNCE_SUBJECT.match(mail.subject or ""):
        return "empty return path and a delivery-failure subject"
    return None


def is_newsletter(mail: Mail) -> str | None:
    h = mail.headers
    if h.get("list-unsubscribe") or h.get("list-id"):
        return "List-Unsubscribe/List-Id header"
    if h.get("precedence", "").lower() in ("bulk", "list", "junk"):
        return f"Precedence: {h['precedence'].lower()}"
    if h.get("x-campaign") or h.get("x-mailchimp-campaign"):
        return "campaign header"
    text = mail.text or ""
    if _UNSUBSCRIBE.search(text) and _URL.search(text):
        return "unsubscribe link in the text"
    return None


def spam_score(mail: Mail) -> tuple[int, list[str]]:
    """Independent cues; 3 or more = spam/phishing."""
    text = "\n".join([mail.subject or "", mail.text or ""])
    cues: list[str] = []
    if mail.headers.get("x-spam-flag", "").lower().startswith("yes"):
        cues += ["spam flag", "spam flag", "spam flag"]
    sender = _domain(mail.sender_domain) if mail.from_addr else ""
    urls = {_domain(u) for u in _URL.findall(text)}
    foreign_urls = {u for u in urls if u != sender}
    if _LURE.search(text):
        cues.append("log-in or payment lure")
    brand = _BRAND.search(text)
    if brand and sender and brand.group(1).lower().replace(" ", "") not in sender.replace("-", ""):
        cues.append(f"names {brand.group(1)} from another domain")
    elif brand and urls:
        cues.append(f"names {brand.group(1)} with a link")
    if urls:
        cues.append("link")
    if mail.reply_to and _domain(mail.reply_to.rpartition("@")[2]) != sender:
        cues.append("Reply-To to another domain")
    if _SPAM.search(text):
        cues += ["spam words", "spam words"]
    if _AUTOMATED_NOTE.search(text) and foreign_urls:
        cues.append("automated notice with a link")
    if mail.had_script:
        cues.append("script in HTML")
    if re.search(r"(?:\d{1,3}\.){3}\d{1,3}", " ".join(_URL.findall(text))):
        cues.append("link to an IP address")
    return len(cues), cues


def _is_question_to_us(mail: Mail) -> bool:
    """A person's question in their own words (guards the content rules)."""
    text = mail.own_text or ""
    return "?" in text and len(_WORD.findall(text)) >= 4 and not _URL.search(text)


def set_aside(mail: Mail, *, known_thread: bool = False) -> SetAside | None:
    """The reason to set this mail aside, or None for a person's mail. ``known_thread``: the mail
    answers one of our own messages (a resident replying in a case thread is never set aside for its
    content, only for a mail-system header)."""
    reason = is_bounce(mail)
    if reason:
        return SetAside("bounce", reason)
    reason = is_auto_reply(mail)
    if reason:
        return SetAside("auto_reply", reason)
    if known_thread:
        return None
    reason = is_newsletter(mail)
    if reason:
        return SetAside("newsletter", reason)
    score, cues = spam_score(mail)
    if score >= 3 and not (_is_question_to_us(mail) and not _SPAM.search(mail.text or "")):
        return SetAside("spam", "spam/phishing cues: " + ", ".join(dict.fromkeys(cues)))
    if not _WORD.findall(" ".join([mail.own_text, mail.subject, mail.forwarded, mail.quoted])) and not [
            a for a in mail.attachments if not a.inline]:
        return SetAside("empty", "no text and no attachment")
    return None


# ------------------------------------------------------------------------------ segments
_SENT_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-ZÆØÅÄÖÜ0-9<])")
_LIST_ITEM = re.compile(r"^\s*(\d{1,2}[.)]|[-*•–])\s+")
_GREETING = re.compile(
    r"^\s*(hei|hej|hallo|hello|hi|dear|god (morgen|dag|kveld)|goddag|morn|moi|terve|hyvä|kære|bästa|hei hei|"
    r"til (den det gjelder|rette vedkommende)|to whom it may concern|hei\s+\S+)\b[\s\S]{0,25}$", re.I)
_THANKS = re.compile(r"^\s*(takk|tack|tak|kiitos|thanks|thank you|tusen takk|takk på forhånd|tack på förhand|"
                     r"på forhånd takk|kiitos etukäteen|thanks in advance)\b[^?]{0,40}$", re.I)
_NAME_LINE = re.compile(r"^\s*(<PERSON>[\s,]*)+$|^\s*[A-ZÆØÅÄÖ][\w'-]+( (og|och|and|&) [A-ZÆØÅÄÖ][\w'-]+)?"
                        r"( [A-ZÆØÅÄÖ][\w'-]+){0,2}\s*$")
MAX_SEGMENTS = 6
MAX_SEGMENT_CHARS = 300


def segments(text: str) -> list[str]:
    """Sentences of the sender's own text, without greetings, thanks and name lines; short pieces
    joined to their neighbour. At most MAX_SEGMENTS (the rest joined into the last one)."""
    paragraphs = re.split(r"\n\s*\n", (text or "").strip())
    pieces: list[str] = []
    for para in paragraphs:
        lines = [line.strip() for line in para.split("\n") if line.strip()]
        # join soft-wrapped lines; list items start a new piece
        buf: list[str] = []
        for line in lines:
            if _LIST_ITEM.match(line) and buf:
                pieces.append(" ".join(buf))
                buf = []
            buf.append(_LIST_ITEM.sub("", line))
        if buf:
            pieces.append(" ".join(buf))
    out: list[str] = []
    for piece in pieces:
        for sent in _SENT_END.split(piece):
            sent = sent.strip()
            if not sent or _GREETING.match(sent) or _THANKS.match(sent) or (
                    _NAME_LINE.match(sent) and len(sent) < 40 and "?" not in sent):
                continue
            if out and (len(_WORD.findall(sent)) < 3 or len(_WORD.findall(out[-1])) < 3) \
                    and len(out[-1]) + len(sent) < MAX_SEGMENT_CHARS:
                out[-1] = out[-1] + " " + sent
            else:
                out.append(sent[:MAX_SEGMENT_CHARS])
    if len(out) > MAX_SEGMENTS:
        out = out[:MAX_SEGMENTS - 1] + [" ".join(out[MAX_SEGMENTS - 1:])[:MAX_SEGMENT_CHARS]]
    return out
