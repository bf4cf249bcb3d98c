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


# ------------------------------------------------------------------------------ evidence
# What a rule found, as a code with parameters. The stored reason is the English text of these templates
# ("set aside (newsletter): List-Unsubscribe/List-Id header": logs, the transparency record, analytics),
# and parse_evidence() reads the code and parameters back, so the console shows the evidence in the
# reader's language (web.labels.set_aside_evidence); a text no template produced is shown as stored.
EVIDENCE = {
    "auto_submitted": "Auto-Submitted: {value}",
    "autoreply_header": "{header} header",
    "precedence": "Precedence: {value}",
    "loop_header": "loop header",
    "absence_notice": "absence subject and absence notice",
    "absence_subject": "absence subject, no text",
    "absence_return_date": "absence notice with a return date",
    "delivery_report": "delivery report ({type})",
    "mail_system_sender": "sender is a mail system ({name})",
    "failed_recipients": "X-Failed-Recipients header",
    "empty_return_path": "empty return path and a delivery-failure subject",
    "list_header": "List-Unsubscribe/List-Id header",
    "campaign_header": "campaign header",
    "unsubscribe_link": "unsubscribe link in the text",
    "spam_cues": "spam/phishing cues: {cues}",
    "empty": "no text and no attachment",
}
CUES = {  # the spam/phishing cues, listed in "spam_cues"
    "spam_flag": "spam flag",
    "lure": "log-in or payment lure",
    "brand_other_domain": "names {brand} from another domain",
    "brand_with_link": "names {brand} with a link",
    "link": "link",
    "reply_to_other_domain": "Reply-To to another domain",
    "spam_words": "spam words",
    "automated_with_link": "automated notice with a link",
    "script": "script in HTML",
    "ip_link": "link to an IP address",
}


def evidence(code: str, **params: str) -> str:
    return EVIDENCE[code].format(**params)


def _pattern(template: str, value: str = r".+?") -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", template)  # literal, name, literal, ...
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>{value})" for i, p in enumerate(parts)) + "$")


# templates without parameters first: "loop header" is not the header called "loop" of "{header} header"
_EVIDENCE_RE = {code: _pattern(t) for code, t in sorted(EVIDENCE.items(), key=lambda kv: "{" in kv[1])}
_CUE_RE = {code: _pattern(t, r"[^,]+?") for code, t in sorted(CUES.items(), key=lambda kv: "{" in kv[1])}
_STORED = re.compile(r"^set aside \((\w+)\): ")


def parse_evidence(reason: str) -> tuple[str, dict] | None:
    """The code and parameters of a stored set-aside reason (``set aside (kind): ...`` or the evidence
    alone), or None for a text the templates did not produce (such as one cut at the column's length).
    ``spam_cues`` gives its cues as a list of (code, parameters)."""
    text = _STORED.sub("", reason or "", count=1)
    for code, pattern in _EVIDENCE_RE.items():
        match = pattern.match(text)
        if not match:
            continue
        params = match.groupdict()
        if code != "spam_cues":
            return code, params
        cues = []
        for part in params["cues"].split(", "):
            found = next(((c, m.groupdict()) for c, p in _CUE_RE.items() if (m := p.match(part))), None)
            if found is None:
                return None
            cues.append(found)
        return code, {"cues": cues}
    return None


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
        return evidence("auto_submitted", value=auto[:40])
    for name in ("x-autoreply", "x-autorespond"):
        if name in h:
            return evidence("autoreply_header", header=name)
    if h.get("precedence", "").lower() in ("auto_reply", "auto-reply"):
        return evidence("precedence", value="auto_reply")
    if h.get("x-tinget-loop") or h.get("x-loop"):
        return evidence("loop_header")
    subject = mail.subject or ""
    body = mail.own_text or mail.text
    if _OOO_SUBJECT.match(subject) and _OOO_BODY.search(body or "") and "?" not in (body or ""):
        return evidence("absence_notice")  # an absence notice asks nothing
    if _OOO_SUBJECT.match(subject) and not (body or "").strip():
        return evidence("absence_subject")
    # An absence notice without any header or subject marker: only short, question-free texts.
    words = _WORD.findall(body or "")
    if _OOO_BODY.search(body or "") and "?" not in (body or "") and len(words) <= 45 \
            and re.search(r"\b\d{1,2}[./]\s?\d{1,2}\b|\b\d{1,2}\.? (jan|feb|mar|apr|mai|maj|may|jun|jul|aug|sep|okt|oct|nov|des|dec)",
                          body, re.I):
        return evidence("absence_return_date")
    return None


def is_bounce(mail: Mail) -> str | None:
    if mail.content_type == "multipart/report" or mail.report_type:
        return evidence("delivery_report", type=mail.report_type or mail.content_type)
    if _BOUNCE_FROM.match(mail.from_addr or ""):
        return evidence("mail_system_sender", name=mail.from_addr.split('@')[0])
    if mail.headers.get("x-failed-recipients"):
        return evidence("failed_recipients")
    if (mail.headers.get("return-path", "").strip() in ("<>", "")) and "return-path" in mail.headers \
            and _BOUNCE_SUBJECT.match(mail.subject or ""):
        return evidence("empty_return_path")
    return None


def is_newsletter(mail: Mail) -> str | None:
    h = mail.headers
    if h.get("list-unsubscribe") or h.get("list-id"):
        return evidence("list_header")
    if h.get("precedence", "").lower() in ("bulk", "list", "junk"):
        return evidence("precedence", value=h["precedence"].lower())
    if h.get("x-campaign") or h.get("x-mailchimp-campaign"):
        return evidence("campaign_header")
    text = mail.text or ""
    # Content alone (no list header): an unsubscribe word and a link. A person asking us something in
    # their own words ("How do I unsubscribe from the SMS warnings? The page https://… does not say")
    # uses the same two; their question is the evidence that it is not a mailing.
    if _UNSUBSCRIBE.search(text) and _URL.search(text) and not _asks_us(mail):
        return evidence("unsubscribe_link")
    return None


def _asks_us(mail: Mail) -> bool:
    """The sender's own text has a question of their own (a sentence of 4 or more words ending in '?')."""
    for sentence in re.split(r"(?<=[.!?])\s+|\n", mail.own_text or ""):
        if sentence.rstrip().endswith("?") and len(_WORD.findall(sentence)) >= 4:
            return True
    return False


def spam_score(mail: Mail) -> tuple[int, list[str]]:
    """Independent cues; 3 or more = spam/phishing."""
    text = "\n".join([mail.subject or "", mail.text or ""])
    cues: list[str] = []
    if mail.headers.get("x-spam-flag", "").lower().startswith("yes"):
        cues += [CUES["spam_flag"]] * 3
    sender = _domain(mail.sender_domain) if mail.from_addr else ""
    urls = {_domain(u) for u in _URL.findall(text)}
    foreign_urls = {u for u in urls if u != sender}
    if _LURE.search(text):
        cues.append(CUES["lure"])
    brand = _BRAND.search(text)
    if brand and sender and brand.group(1).lower().replace(" ", "") not in sender.replace("-", ""):
        cues.append(CUES["brand_other_domain"].format(brand=brand.group(1)))
    elif brand and urls:
        cues.append(CUES["brand_with_link"].format(brand=brand.group(1)))
    if urls:
        cues.append(CUES["link"])
    if mail.reply_to and _domain(mail.reply_to.rpartition("@")[2]) != sender:
        cues.append(CUES["reply_to_other_domain"])
    if _SPAM.search(text):
        cues += [CUES["spam_words"]] * 2
    if _AUTOMATED_NOTE.search(text) and foreign_urls:
        cues.append(CUES["automated_with_link"])
    if mail.had_script:
        cues.append(CUES["script"])
    if re.search(r"(?:\d{1,3}\.){3}\d{1,3}", " ".join(_URL.findall(text))):
        cues.append(CUES["ip_link"])
    return len(cues), cues


def _is_question_to_us(mail: Mail) -> bool:
    """A person's question in their own words (guards the content rules)."""
    text = mail.own_text or ""
    return is_question(text) and len(_WORD.findall(text)) >= 4 and not _URL.search(text)


# ------------------------------------------------------------------------------ questions
# Residents write questions without "?" (lower case, a phone keyboard, "lurer på når biblioteket åpner"):
# such a sentence was read as a statement, which needs more confidence to be a topic and is never a
# general question. A question without its mark is an indirect question ("lurer på når", "undrar hur",
# "vil gjerne vite hva", "kan dere si meg når", "I was wondering how", "haluaisin tietää milloin") or a
# question word or an inverted verb opening the sentence ("når åpner biblioteket", "kan man ...").
QUESTION_WORDS = (
    r"hvordan|korleis|korles|hur|how|miten|kuinka|hva|kva|vad|hvad|what|hvilken|hvilke|hvilket|vilken|"
    r"vilket|vilka|which|hvor|kor|var|where|når|när|hvornår|kva tid|when|hvorfor|kvifor|varför|why|hvem|"
    r"kven|vem|who|mikä|mitä|missä|mistä|mihin|milloin|miksi|kuka|paljonko|onko|voiko|saako|om|if|whether")
INDIRECT_QUESTION = re.compile(
    rf"(?:\b(?:lurer|lurar|lurte|undrer|undrar|undrede|undres|wonder|wondering|wondered|ihmettelen|mietin)"
    rf"(?:\s+(?:på|over|om))?|"
    rf"\b(?:vite|veta|vide|to know|not know|find out|tietää|selvittää)|n't know|\bdont know|"
    # "I don't know how to apply", "jeg vet ikke hvordan man søker", "en tiedä miten haetaan"
    rf"\b(?:vet|veit|ved|visste|vidste|vet)\s+(?:ikke|ikkje|inte|ikk)|\b(?:en|emme|ette|eivät|ei)\s+tiedä|"
    rf"\b(?:si|seie|fortelle|fortelje|berätta|säga|sige|fortælle|tell|explain|forklare|förklara|kertoa)"
    # Finnish sets a comma before the question word ("Haluaisin tietää, milloin ..."), others may
    rf"\s+(?:meg|mig|me|oss|os|us|meille|minulle)),?\s+(?P<word>{QUESTION_WORDS}|kvar)\b", re.I)  # nn "kvar" (where) only here: also "each"
_SUBJECT_WORDS = (r"jeg|eg|jag|vi|me|du|dere|de|dei|han|hun|ho|man|ein|en|det|den|ni|hon|i|we|you|he|she|"
                  r"they|it|the|a|an|ei|et|ett|min|mitt|mi|my|our|vår|vårt")
DIRECT_QUESTION = re.compile(
    rf"^\W*(?:(?:hei|hej|hi|hello|hallo|moi|terve)\b\W*)?(?:"
    rf"(?:{QUESTION_WORDS.replace('|om|if|whether', '')})\s+(?!(?:{_SUBJECT_WORDS})\b)[^\W\d_]|"
    rf"(?:kan|kunne|kunde|er|är|finnes|fins|finns|findes|har|skal|ska|må|får|gjelder|gäller|can|could|is|are|"
    rf"do|does|will|may)\s+(?:man|jeg|eg|jag|vi|me|du|dere|ni|i|you|we|there|det|der|one|han|hun|ho|hon|de|dei|"
    rf"he|she|they)\b)", re.I)


# "I don't know what to do" / "Jeg vet ikke hva jeg skal gjøre": helplessness, not a question about the
# catalogue; "I don't know how to apply" is one.
_HELPLESS = re.compile(
    r"(?:hva|kva|vad|hvad|what)\s+(?:(?:jeg|eg|jag|vi|me|i|we)\s+(?:skal|skall|ska|should|shall|må|bør|kan|can)\s+|"
    r"to\s+|å\s+|att\s+|at\s+)?(?:gjøre|gjere|göra|gøre|do)\b", re.I)
# A sentence that opens with a when-clause ("Når barnehagen stenger i juli, ...", "When the pool closes,
# ...", "Kun päiväkoti sulkee, ...") is a question if its main clause is one: "... hvor kan barna være"
# is, "... henter jeg selv" is not. The opening word alone decided before (a question word before a noun
# read as "når åpner biblioteket"). The clause is subordinate when its first word is its subject: a
# pronoun, an English word that is not an auxiliary, a Scandinavian word not ending in the present
# tense's -r ("barnehagen", "skolen"), or any word after Finnish "kun". "Når åpner biblioteket, ..." and
# "When is the pool open, ..." are inverted questions and keep their reading. The mail is redacted before
# it is read, so a name as the subject is a placeholder ("Når <PERSON> kommer hjem fra sykehuset, hvem ...":
# the opening word alone read nothing after "når" and the question was a statement), and family words end
# in -r like a verb ("Når mor kommer hjem, reiser vi bort" was an inverted question): both are subjects.
_WHEN_CLAUSE = re.compile(
    r"^\W*(?:(?:hei|hej|hi|hello|hallo|moi|terve)\b\W*)?(?P<when>når|när|when|kun)\s+(?P<first><[A-Z_]+>|[^\W\d_]+)"
    r"[^,;:?.!]*,\s*(?P<rest>\S.*)$", re.I | re.S)
_EN_AUX = {"is", "are", "was", "were", "do", "does", "did", "will", "would", "can", "could", "should", "shall",
           "may", "might", "must", "has", "have", "had"}
# nb/nn/da/sv family words ending in -r, the present tense's ending: subjects after "når"/"när"
_KIN_R = frozenset("mor far bror søster syster datter dotter mormor morfar farmor farfar bestemor bestefar "
                   "besteforeldrer oldemor oldefar svigermor svigerfar svärmor svärfar stemor stefar "
                   "styvfar styvmor plejemor plejefar fostermor fosterfar".split())
_CONJUNCTION = re.compile(r"(?:og|and|och|ja|eller|or|men|but|mutta|please|takk|tack|tak|kiitos|thanks)\b", re.I)


def _main_clause_after_when(text: str) -> str | None:
    """The main clause after a subordinate when-clause and its comma, or None (see _WHEN_CLAUSE)."""
    m = _WHEN_CLAUSE.match(text)
    if not m:
        return None
    when, first = m["when"].lower(), m["first"].lower()
    if when == "when":
        subordinate = first not in _EN_AUX
    elif when == "kun" or first.startswith("<"):
        subordinate = True
    else:
        subordinate = bool(re.fullmatch(_SUBJECT_WORDS, first)) or first in _KIN_R or not first.endswith("r") \
            or first.endswith(("ene", "erne", "arna", "orna", "erna"))
    if not subordinate or _CONJUNCTION.match(m["rest"]):
        return None
    return m["rest"]


def is_question(text: str) -> bool:
    """A question, with or without its question mark (see INDIRECT_QUESTION, _WHEN_CLAUSE)."""
    text = text or ""
    if "?" in text:
        return True
    if any(not _HELPLESS.match(text, m.start("word")) for m in INDIRECT_QUESTION.finditer(text)):
        return True
    main = _main_clause_after_when(text)
    if main is not None:
        return is_question(main)
    return bool(DIRECT_QUESTION.match(text))


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
        return SetAside("spam", evidence("spam_cues", cues=", ".join(dict.fromkeys(cues))))
    if not _WORD.findall(" ".join([mail.own_text, mail.subject, mail.forwarded, mail.quoted])) and not [
            a for a in mail.attachments if not a.inline]:
        return SetAside("empty", evidence("empty"))
    return None


# ------------------------------------------------------------------------------ segments
# A sentence ends at . ! ? before a capital, a digit or a placeholder; residents writing in lower case
# ("vi har to barn. hva koster sfo") end it before a lower-case word too, after ! or ?, or after a full stop
# that closes a word of four or more letters (not "f.eks.", "ca.", "kl.", "bl.a." nor the longer
# abbreviations listed).
# Short abbreviations before a number, a name or a placeholder end no sentence: "Min far, <PERSON> (f. <BIRTH_DATE>),
# bor alene ..." was cut after "f." into "Min far, <PERSON> (f." (personal_case 0.78, routed) and the rest.
_ABBREVIATION_BEFORE = "".join(
    rf"(?<!\b{a}\.)" for a in ("f", "ca", "kl", "nr", "tlf", "tel", "jf", "jfr", "evt", "ref", "pkt", "dvs", "bl.a",
                               "t.ex", "f.eks", "esim", "puh", "nro", "n", "dr", "mr", "mrs", "ms", "tfn"))
_SENT_END = re.compile(
    rf"(?<=[.!?]){_ABBREVIATION_BEFORE}\s+(?=[\"'(\[]?[A-ZÆØÅÄÖÜ0-9<])|"
    r"(?:(?<=[!?])|(?<=[^\W\d_]{4}\.)(?<!\binkl\.)(?<!ekskl\.)(?<!\bvedr\.)(?<!\biflg\.)(?<!\bincl\.)"
    r"(?<!\bexcl\.)(?<!pprox\.)(?<!\bresp\.)(?<!\bspec\.)(?<!\bjfr\.)(?<!\bmotsv\.)(?<!\bmods\.)"
    r"(?<!\bevent\.)(?<!\bsåk\.)(?<!\bforts\.)(?<!\bkontr\.)(?<!\bavd\.)(?<!\bdept\.))"
    r"\s+(?=[a-zæøåäöüéè])")
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
            if len(buf) == 1 and _GREETING.match(line) and len(_WORD.findall(line)) <= 3:
                # a greeting on its own line is no part of the next line: "Hei\nNår blir Bakkeveien brøytet?"
                # was joined into one piece and dropped as a greeting with the question
                pieces.append(buf[0])
                buf = []
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
        # A long mail tells its story first and asks last: its questions are kept whole (up to the cap),
        # then the first sentences; what is left is joined into the last segment (cut).
        keep = {i for i, sent in enumerate(out) if is_question(sent)}
        keep = set(sorted(keep)[:MAX_SEGMENTS - 1])
        for i in range(len(out)):
            if len(keep) >= MAX_SEGMENTS - 1:
                break
            keep.add(i)
        rest = " ".join(sent for i, sent in enumerate(out) if i not in keep)
        out = [out[i] for i in sorted(keep)] + [rest[:MAX_SEGMENT_CHARS]]
    return out
