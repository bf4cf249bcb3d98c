"""Triage of one (redacted) mail: answer, route or set aside, with department, intents, auto-reply and a
reason for the transparency log.

* set aside: :func:`mail.classify.set_aside` (auto-replies, bounces, newsletters, spam, empty mails);
* the sender's own text is cut into segments; each segment gets an intent from the trained model
  (:mod:`mail.nlu`, all segments of many mails in one batch);
* **route** if any segment needs a caseworker: the model says ``personal_case`` / ``human_handoff``,
  or the segment talks about the sender's own case (own application, decision, invoice, documents,
  an appeal — :data:`OWN_CASE`), or a substantive segment matches no catalogue topic (a municipal
  matter outside the catalogue), or the mail is a reply in an existing thread;
* **answer** when every substantive segment is a confident catalogue topic;
* department: the topic of the segment that needs a caseworker (the catalogue's default queue for
  that topic), else the service that segment names (:mod:`mail.vocabulary`), else the mail's best
  topic, else a service named anywhere in the mail, else ``service_desk``;
* auto-reply only for an answer on exactly one topic that the municipality enabled for auto-reply,
  at or above its confidence threshold, not in a thread, without attachments — and never to a mail
  system (loops are set aside before this).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from mail.classify import INDIRECT_QUESTION, is_question, segments, set_aside
from mail.parse import Mail, forward_body
from mail.vocabulary import topics_named
from tinget.catalog import DEFAULT_DEPARTMENT, load_catalogue

HANDOFF_INTENTS = {"personal_case", "human_handoff"}
IGNORED_INTENTS = {"greet", "goodbye", "thanks", "bot_challenge"}
TOPIC_MIN = 0.50  # a segment counts as a catalogue topic at this confidence (and not in fallback)
PERSONAL_MIN = 0.45
OWN_MATTER_MIN = 0.30  # a statement leaning to the sender's own case at this confidence: no automatic reply
STATEMENT_TOPIC_MIN = 0.70  # a statement (no question) needs more to count as a topic of its own
# ... and as much to be the sender's own case beside a question the catalogue answers: "Vi har nettopp
# flyttet til kommunen." (personal_case 0.64) before "Når er det påmeldingsfrist for barnehage?" is
# background to a general question, not a matter for a caseworker (it still stops the automatic reply)
STATEMENT_PERSONAL_MIN = STATEMENT_TOPIC_MIN
WHOLE_TOPIC_SHARE = 0.40  # no confident topic: the whole mail's nearest topic names the department if it
WHOLE_TOPIC_MARGIN = 2.0  # has this share among the topics or is this many times likelier than the next
DEPARTMENT_SHARE = 0.50  # else the department holding this share of the whole mail's topic probability

# The sender's own case, in the six languages. Deliberately about *their* matter (my/our + a case
# word, or a verb of having received/applied/appealed), not general "how do I apply" questions.
OWN_CASE = re.compile(
    r"\b(søknaden (min|vår|vores|vor)|søknad(en)? (til|om) .{0,40}(min|vår) |min søknad|vår søknad|"
    r"(jeg|eg|vi) (har )?(søkte|søkt|sökte|sökt|ansøgte|ansøgt|søkte om|søkt om)|"
    r"(har|hadde) (fått|fenge|fått et|fått ei|fått en) (avslag|vedtak|faktura|regning|purring|brev)|"
    r"(fikk|fekk|fick|fik) (avslag|vedtak|avslaget|beslut|afslag)|avslag på|avslaget|afslag på|"
    r"klag(er|ar|e) på vedtak|klagar på vedtak|klager på (avgjørelsen|beslutningen)|klage på vedtaket|"
    r"vedtaket (mitt|vårt|om)|mitt vedtak|har jeg mistet|(jeg|eg|vi) (vil|ville) klage|anke|"
    r"överklaga|överklagar|invändning mot|beslutet om|mitt beslut|min ansökan|vår ansökan|ansökan om .{0,30} för|"
    r"jag ansökte|vi ansökte|ansøgning(en)? (om|fra)|min ansøgning|vores ansøgning|klage over afgørelsen|"
    r"hakemukse(ni|mme)|hain |hakenut|haimme|päätöksestä|päätöksen|valitus|valitan|en ole saanut|"
    r"my application|our application|(i|we) applied|(i|we) (have )?(received|got) (a |the )?(decision|refusal|rejection|invoice|bill)|"
    r"(we|i) (were|was) (still )?(charged|billed)|refund|appeal|complain about the decision|"
    r"faktura(en)? (for|fra|på) .{0,40}(feil|står)|på fakturaen|fakturaen (min|vår)|regningen (min|vår)|"
    r"(min|vår|vores|mi) faktura|min regning|trukket (dobbelt|to ganger)|betalt to ganger|"
    # paid twice, money back ("Jeg har betalt eiendomsskatten to ganger. Kan dere betale tilbake ...")
    r"(betalt|betalat|maksoin|maksettu|paid) .{0,40}(to ganger|två gånger|to gange|2 ganger|kahdesti|kahteen kertaan|"
    r"twice)|betale tilbake|betal tilbake|tilbakebetal\w*|betala tillbaka|återbetal\w*|betale tilbage|"
    r"tilbagebetal\w*|palauttaa rahat|rahat takaisin|hyvitys\w*|pay (it |me |us )?back|"
    r"fakturan|min räkning|min faktura|lasku(ni|mme)|"
    r"vedlagt|vedlegg|vedhæftet|bifogat|bifogad|her er (signert|dokument|papir|lønnsslipp|kvittering|bilde)|"
    r"attached|liitteenä|ettersend|eftersend|har (ikke|ikkje) (fått|hørt|høyrt) (svar|noe|noko|bekreftelse)|"
    r"ikke (fått|mottatt) (svar|bekreftelse|vedtak)|ikkje (fått|høyrt)|inte fått (svar|beslut)|ikke hørt|"
    r"when will (i|we) (get|hear)|når får (jeg|vi) (svar|vedtak)|när får (jag|vi)|hvornår får (jeg|vi)|"
    r"kven har saka|hvem har saken|who (has|is handling) (my|our) case|saksnummer|sak(snr|snummer)? \d|"
    r"erstatning|ersättning|skadeerstatning|compensation|"
    r"ikke (blevet|blitt) hentet|ikke (blitt )?tømt|inte (blivit )?hämtat|er ikke hentet|ble ikke hentet|"
    # a road not cleared, like the bin not emptied: a fault on the sender's own road, not a question
    r"(ikke|ikkje) (blitt |vorte |blevet )?(brøytet|brøyta|ryddet|strødd|strøet)|inte (blivit )?(plogats?|sandats?)|"
    r"ei (ole )?(aurattu|hiekoitettu)|(not|n't) been (cleared|ploughed|plowed|gritted)|"
    r"ikke kommet|ingen (har )?kommet|har (ikke|ikkje) kommet|ikke fått plass|ikkje fått plass|"
    r"(jeg|eg|vi) ber om at|(vi|jeg) krever|slettes|må rettes|kan dere rette|rette (det|opp)|"
    r"stemmer ikke|er feil|är fel|er forkert|on väärin|is wrong|incorrect|"
    r"har time (hos|på|til)|timen (min|vår)|min time|my appointment|min tid hos|aikani|"
    r"har tid (hos|på)|har bestilt time)\b", re.I)
# "How do I …?" questions are general (answer) even when the sender mentions their own situation.
GENERAL_QUESTION = re.compile(
    r"^\W*(hvordan|korleis|korles|hur|how|miten|kuinka|hvad|hva|kva|vad|what|which|hvilken|hvilke|kva for|vilken|"
    r"vilka|hvor|kor|var|where|når|när|hvornår|when|kan man|kan ein|can i|can one|do i|does|finnes|fins|"
    r"finns|er det|is there|onko|mikä|mitä|missä|voiko)\b", re.I)
ATTACHMENT_WORDS = re.compile(r"\b(vedlagt|vedlagte|vedlegg(et)?|vedhæftet|vedhæftede|bifogat|bifogad|bifogade|"
                              r"attached|liitteenä|liitteessä)\b", re.I)
# own words shorter than this beside a forwarded message only pass it on: the forward is read as the matter
FORWARD_NOTE_WORDS = 20
THREAD_SUBJECT = re.compile(r"^\s*(re|sv|vs|aw)\s*:", re.I)


def thread_subject(mail: Mail) -> bool:
    """The subject marks a reply. "VS:" is a reply in Finnish (vastaus) but a forward in Norwegian and Danish
    (videresendt): with a forwarded message in the mail it is a forward ("VS: Søppel" with the neighbour's
    question below was routed as a reply in an existing thread). Finnish "VL:" (välitetty) is a forward."""
    m = THREAD_SUBJECT.match(mail.subject or "")
    if not m:
        return False
    return not (m.group(1).lower() == "vs" and mail.forwarded_text())
_WORD = re.compile(r"[^\W\d_]{2,}", re.U)


@dataclass
class MailSettings:
    """Per-municipality mail settings (``Municipality.settings["mail"]``)."""

    auto_reply_intents: list[str] = field(default_factory=list)
    auto_reply_min_confidence: float = 0.90
    set_aside_days: int = 30  # set-aside mails are kept this long for review, then deleted by retention

    @classmethod
    def from_settings(cls, settings: dict | None) -> MailSettings:
        data = (settings or {}).get("mail") or {}
        return cls(auto_reply_intents=list(data.get("auto_reply_intents") or []),
                   auto_reply_min_confidence=float(data.get("auto_reply_min_confidence", 0.90)),
                   set_aside_days=int(data.get("set_aside_days", 30)))


@dataclass
class SegmentResult:
    text: str
    intent: str
    confidence: float
    own_case: bool
    kind: str  # topic | handoff | ignored | unknown
    best_topic: str | None = None
    best_topic_p: float = 0.0


@dataclass
class Decision:
    action: str  # answer | route | set_aside
    department: str | None
    intents: list[str]
    auto_reply: bool
    reason: str
    confidence: float = 0.0
    set_aside_kind: str = ""
    lang: str = ""
    segments: list[SegmentResult] = field(default_factory=list)
    vector: object = None  # the mail's e5 vector (mean of segment vectors) for the suggester

    def prediction(self, mail_id: str) -> dict:
        return {"id": mail_id, "action": self.action, "department": self.department,
                "intents": self.intents, "auto_reply": self.auto_reply}


def _best_topic(ranking: Sequence[tuple[str, float]], topics: set[str]) -> tuple[str | None, float]:
    for name, p in ranking:
        if name in topics:
            return name, p
    return None, 0.0


def mail_texts(mail: Mail) -> list[str]:
    """The segments the NLU reads: the sender's own text; the subject if the text says little; the
    forwarded text if the sender only forwards."""
    segs = segments(mail.own_text)
    words = sum(len(_WORD.findall(s)) for s in segs)
    subject = re.sub(r"^\s*((re|sv|vs|aw|fw|fwd|vb|vl)\s*:\s*)+", "", mail.subject or "", flags=re.I).strip()
    forwarded = mail.forwarded_text()
    if words < FORWARD_NOTE_WORDS and forwarded:  # "see below, my neighbour asked me to send this on"
        segs += segments(forward_body(forwarded))[:4]
    elif words < 4 and mail.quoted and not segs and not thread_subject(mail):
        segs += segments(mail.quoted)[:4]  # an inline forward with nothing of one's own
    if words < 4 and len(_WORD.findall(subject)) >= 2 and not re.search(r"\d{3,}", subject):
        segs = [subject] + segs
    return segs


def context_text(mail: Mail) -> str:
    """Subject plus, for a reply in a thread, the start of the quoted message: context for the
    department, never for the action (the body decides)."""
    subject = re.sub(r"^\s*((re|sv|vs|aw|fw|fwd|vb|vl)\s*:\s*)+", "", mail.subject or "", flags=re.I).strip()
    parts = [subject] if len(_WORD.findall(subject)) >= 1 else []
    if mail.quoted and (mail.in_reply_to or thread_subject(mail)):
        parts.append(" ".join(mail.quoted.split())[:300])
    return "\n".join(parts)


def triage_many(mails: Sequence[Mail], nlu, settings: MailSettings, *, known_threads: Sequence[bool] | None = None,
                langs: Sequence[str] | None = None) -> list[Decision]:
    """Decisions for many mails; all their segments go through the encoder and the classifier in one
    batch, then one whole-mail parse per mail (mean vector, no second encoder pass)."""
    import numpy as np

    cat = load_catalogue()
    topics = set(cat.topics)
    known_threads = known_threads or [False] * len(mails)
    langs = langs or [""] * len(mails)
    decisions: list[Decision | None] = [None] * len(mails)
    batch: list[tuple[int, list[str], str]] = []
    for i, mail in enumerate(mails):
        aside = set_aside(mail, known_thread=known_threads[i])
        if aside is not None:
            decisions[i] = Decision("set_aside", None, [], False, f"set aside ({aside.kind}): {aside.reason}",
                                    1.0, aside.kind, langs[i])
            continue
        batch.append((i, mail_texts(mail), context_text(mail)))
    # Only the segments are encoded (one batch); the whole-mail parse reuses their mean vector and
    # adds the subject/thread context to the character and word features only.
    texts = [t for _, segs, _ctx in batch for t in segs]
    # a mail without segments is read by its subject/context alone: encoded in the same call
    bare = [ctx or " " for _, segs, ctx in batch if not segs]
    encoded = nlu.vectors(texts + bare) if texts or bare else np.zeros((0, 384), np.float32)
    vectors, bare_vecs = encoded[:len(texts)], iter(encoded[len(texts):])
    parses = nlu.parse_many(texts, vectors) if texts else []
    whole_texts, whole_vecs, spans = [], [], []
    pos = 0
    for _, segs, ctx in batch:
        spans.append((pos, len(segs)))
        if segs:
            vec = vectors[pos:pos + len(segs)].mean(axis=0)
            vec = vec / (float(np.linalg.norm(vec)) or 1.0)
        else:
            vec = next(bare_vecs)
        # own-case wording ("my application", "the decision") says that a person must look, not which
        # service it is about: left out of the whole-mail parse, which names the department
        whole_texts.append(OWN_CASE.sub(" ", "\n".join(segs + ([ctx] if ctx else []))) or " ")
        whole_vecs.append(vec)
        pos += len(segs)
    wholes = nlu.parse_many(whole_texts, np.vstack(whole_vecs)) if whole_texts else []
    for (i, segs, _ctx), (start, nseg), whole, vec in zip(batch, spans, wholes, whole_vecs, strict=True):
        d = decide(mails[i], segs, parses[start:start + nseg], whole, settings, topics, cat,
                   known_thread=known_threads[i])
        d.lang, d.vector = langs[i], vec
        decisions[i] = d
    return decisions  # type: ignore[return-value]


def _topic_share(ranking: Sequence[tuple[str, float]], topics: set[str]) -> tuple[str | None, float]:
    """The best catalogue topic in a ranking and its share among the topics listed."""
    tops = [(n, p) for n, p in ranking if n in topics]
    total = sum(p for _, p in tops)
    if not tops or total <= 0:
        return None, 0.0
    return tops[0][0], tops[0][1] / total


def general_question(text: str) -> bool:
    """A general question: opened by "how", "what", "when" ... ("Hvordan søker man ...?"), also asked
    indirectly ("lurer på hvordan man søker ...")."""
    if GENERAL_QUESTION.match(text):
        return True
    indirect = INDIRECT_QUESTION.search(text)
    return bool(indirect and GENERAL_QUESTION.match(text[indirect.start("word"):]))


# Harm, damage, loss or theft told beside a question ("Bilen min ble skadet av en gaffeltruck der forrige uke"
# after "Når er gjenvinningsstasjonen åpen?": personal_case 0.52, its nearest topic another service; the
# anaphoric "der" names the station to a reader, not to the model). Past forms in the six languages.
HARM = re.compile(
    r"\b(skadet|skadd|skadde|skada|skadad|skadades|skadede|ødelagt|ødelagd|øydelagd|øydelagt|förstörd|förstördes|"
    r"stjålet|stjålen|stjålne|stjolen|stulen|stulet|stulna|mistet|mista|tappade|tappat|förlorade|"
    r"skled|sklei|sklidde|gled|halkade|falt|datt|föll|faldt|slo seg|slo meg|slo ho|slo han|slog sig|slog mig|"
    r"kom til skade|kom till skada|injured|hurt|damaged|broken into|stolen|lost my|lost our|slipped|fell|"
    r"vahingoittu\w*|varastettiin|varastettu|rikkoutui|rikottiin|kadotin|katosi|liukastui|kaatui|loukkaantui|"
    r"loukkasi)\b", re.I)


# A "why" question about the sender's own thing ("Miksi kirjastokorttini on suljettu?", library 0.96, was
# answered automatically with the library article; "Hvorfor var biblioteket stengt da jeg kom dit?"): the
# question asks after what happened to them. First-person words, or a Finnish first-person possessive ending.
WHY_OWN = re.compile(
    r"^\W*(?:hvorfor|kvifor|korfor|varför|why|miksi|miksei)\b.*?(?:\b(?:jeg|eg|meg|min|mitt|mine|vi|oss|vår|vårt|"
    r"våre|jag|mig|mina|vores|mit|me|my|we|our|us|minä|minun|minulle|minulta|meidän|meille)\b|(?-i:\bI\b)|"
    r"\w{3,}(?:ini|ani|äni|eni|oni|uni|yni|öni|mme)\b)", re.I)


def told_of_own_matter(results: list[SegmentResult], intents: list[str], topics: set[str]) -> list[SegmentResult]:
    """Statements beside an answerable question that keep its answer from going out automatically.

    * a statement the model reads as a catalogue topic: as background (TOPIC_MIN) or confidently, beside a
      question (the card stolen and used, then "when is the library open?": library 0.98 and 1.00, and the
      statement counted as a second question on the same topic and got the opening hours automatically);
    * a statement leaning to the sender's own case (personal_case or human_handoff, OWN_MATTER_MIN) that
      is about the service the reply answers: it names a service (mail.vocabulary) or the model's nearest
      catalogue topic for it is a topic answered ("My daughter slipped in the shower at the pool" before
      a question on the pool's hours: personal_case 0.31, nearest topic swimming_sports);
    * a statement of harm, damage, loss or theft (HARM), whatever the model reads;
    * a "why" question about the sender's own thing (WHY_OWN).

    Background about the sender's life names no service and is nearest to some unrelated topic ("We have
    just moved to the municipality": personal_case 0.64, nearest contact_opening_hours): it stopped the
    automatic reply to "When is the library open?" at any personal_case reading of 0.30 or more. The rule
    asks whether the statement is about the answered service; no threshold was changed or added."""
    asked_question = any(r.kind == "topic" and is_question(r.text) for r in results)
    told = []
    for r in results:
        if r.kind == "context" and r.intent in topics and r.confidence >= TOPIC_MIN:
            told.append(r)
        elif r.kind == "topic" and asked_question and not is_question(r.text):
            told.append(r)
        elif r.kind == "context" and r.intent in HANDOFF_INTENTS and r.confidence >= OWN_MATTER_MIN and (
                r.best_topic in intents or topics_named(r.text)):
            told.append(r)
        elif r.kind == "context" and HARM.search(r.text):
            told.append(r)  # harm, damage, loss or theft: someone may have a claim, whatever the service
        elif r.kind == "topic" and WHY_OWN.search(r.text):
            told.append(r)  # "why is my library card blocked?": the article explains, a person should look
    return told


def decide(mail: Mail, segs: list[str], parses, whole, settings: MailSettings, topics: set[str], cat,
           *, known_thread: bool = False) -> Decision:
    results: list[SegmentResult] = []
    # A message forwarded as an attachment is the matter passed on, not the sender's documents: "se vedlagt
    # melding fra naboen" was own-case wording ("vedlagt") and the attachment itself routed the mail.
    documents = [a for a in mail.attachments if not a.inline and a.content_type != "message/rfc822"]
    only_forward_attached = bool(mail.forwarded) and not documents
    for text, p in zip(segs, parses, strict=True):
        question = is_question(text)
        general = question and general_question(text)
        own_text = ATTACHMENT_WORDS.sub(" ", text) if only_forward_attached else text
        # an account number given is money to or from the sender: their own matter
        own = bool(OWN_CASE.search(own_text) or "<BANK_ACCOUNT>" in text) and not general
        best, share = _topic_share(p.ranking, topics)
        if p.intent in IGNORED_INTENTS and not own and p.confidence >= TOPIC_MIN:
            kind = "ignored"
        elif p.intent in HANDOFF_INTENTS and not general and (
                (p.confidence >= PERSONAL_MIN and not p.fallback) or (question and p.confidence >= 0.30)):
            kind = "handoff"
        elif p.intent in topics and p.confidence >= TOPIC_MIN and not p.fallback and (
                question or p.confidence >= STATEMENT_TOPIC_MIN):
            kind = "topic"
        elif not question and not own:
            kind = "context"  # a statement the model cannot place: background to the question
        else:
            kind = "unknown"
        results.append(SegmentResult(text, p.intent, p.confidence, own, kind, best, share))
    if any(r.kind == "topic" and is_question(r.text) for r in results):
        for r in results:  # background beside an answerable question (STATEMENT_PERSONAL_MIN)
            if r.kind == "handoff" and r.intent == "personal_case" and not r.own_case \
                    and r.confidence < STATEMENT_PERSONAL_MIN and not is_question(r.text):
                r.kind = "context"

    substantive = [r for r in results if r.kind not in ("ignored", "context")]
    topic_segs = [r for r in substantive if r.kind == "topic"]
    intents: list[str] = []
    for r in sorted(topic_segs, key=lambda r: -r.confidence):
        if r.intent not in intents:
            intents.append(r.intent)
    needs_person = [r for r in substantive if r.kind == "handoff" or r.own_case]
    unknown = [r for r in substantive if r.kind == "unknown" and not r.own_case]
    attachments = documents
    in_thread = known_thread or bool(mail.in_reply_to) or thread_subject(mail)
    whole_topic, whole_share = _topic_share(whole.ranking, topics) if whole is not None else (None, 0.0)
    whole_tops = [p for n, p in (whole.ranking if whole is not None else []) if n in topics]
    by_dep: dict[str, float] = {}
    for n, p in (whole.ranking if whole is not None else []):
        if n in topics:
            by_dep[cat.department(n)] = by_dep.get(cat.department(n), 0.0) + p
    dep_best = max(by_dep, key=by_dep.get) if by_dep else None
    dep_share = by_dep[dep_best] / (sum(by_dep.values()) or 1.0) if dep_best else 0.0
    whole_margin = whole_tops[0] / max(whole_tops[1], 1e-6) if len(whole_tops) > 1 else (9.0 if whole_tops else 0.0)

    reasons: list[str] = []
    if needs_person:
        r = needs_person[0]
        # the transparency log holds labels and positions, never the resident's words
        reasons.append(f"needs a caseworker: {'own-case wording' if r.own_case else r.intent} "
                       f"({r.intent} {r.confidence:.2f}) in sentence {results.index(r) + 1} of {len(results)}")
    if attachments and not needs_person:
        reasons.append(f"{len(attachments)} attachment(s) from the sender")
    if in_thread and not needs_person:
        reasons.append("reply in an existing thread")
    if unknown and not needs_person:
        reasons.append(f"sentence {results.index(unknown[0]) + 1} of {len(results)} matches no topic "
                       f"({unknown[0].intent} {unknown[0].confidence:.2f})")
    if not intents and not reasons:
        reasons.append("no catalogue topic matched")
    weak = [r for r in topic_segs if r.confidence < STATEMENT_TOPIC_MIN]
    outside = [r for r in results if r.kind == "context" and r.intent == "out_of_scope"]
    if weak and outside and not reasons:
        reasons.append(f"a weak topic ({weak[0].intent} {weak[0].confidence:.2f}) beside a matter outside the catalogue")
        intents = []

    if reasons:
        # route: the department of the part that needs a person
        dep_topic, why = None, ""
        for r in needs_person:
            if r.kind == "topic":
                dep_topic, why = r.intent, "topic of the part that needs a caseworker"
                break
        if dep_topic is None:
            named = topics_named("\n".join(r.text for r in needs_person))
            if named:
                dep_topic, why = named[0], "service named in the part that needs a caseworker"
        if dep_topic is None and intents:
            dep_topic, why = intents[0], "the mail's topic"
        if dep_topic is None:
            named = topics_named("\n".join([*segs, context_text(mail)]))
            if named:
                dep_topic, why = named[0], "service named in the mail"
        department = cat.department(dep_topic) if dep_topic else None
        if dep_topic is None and whole_topic and (whole_share >= WHOLE_TOPIC_SHARE or whole_margin >= WHOLE_TOPIC_MARGIN):
            dep_topic, why = whole_topic, f"nearest topic of the whole mail ({whole_share:.2f})"
            department = cat.department(dep_topic)
        if department is None and dep_share >= DEPARTMENT_SHARE:
            department, why = dep_best, f"the whole mail's topics point to this department ({dep_share:.2f})"
        if department is None:
            department, why = DEFAULT_DEPARTMENT, "no clear topic: the service desk sorts it"
        route_intents = list(intents)
        if dep_topic and dep_topic not in route_intents:
            route_intents.append(dep_topic)
        conf = max((r.confidence for r in substantive), default=0.0)
        return Decision("route", department, route_intents, False,
                        f"route to {department} ({why}): " + "; ".join(reasons), conf, segments=results)

    conf = min(r.confidence for r in topic_segs)
    department = cat.department(intents[0])
    # A statement beside the question that tells of something that happened to the sender with the service
    # asked about ("my son lost his library card and someone may be using it. When is the library open?"):
    # the answer is drafted, a person sends it. See told_of_own_matter.
    told = told_of_own_matter(results, intents, topics)
    enabled = (len(intents) == 1 and intents[0] in settings.auto_reply_intents
               and conf >= settings.auto_reply_min_confidence and not attachments and not in_thread
               and len(topic_segs) <= 2 and not mail.problems_block_auto_reply())
    auto = enabled and not told
    reason = f"answer {', '.join(intents)} (confidence {conf:.2f})"
    if auto:
        reason += f"; sent automatically (enabled for auto-reply, ≥ {settings.auto_reply_min_confidence:.2f})"
    elif enabled:
        reason += (f"; waits for a click (sentence {results.index(told[0]) + 1} of {len(results)} tells of the "
                   f"sender's own matter: {told[0].intent} {told[0].confidence:.2f})")
    elif len(intents) == 1 and intents[0] in settings.auto_reply_intents:
        reason += "; waits for a click (below the auto-reply threshold)"
    return Decision("answer", department, intents, auto, reason, conf, segments=results)
