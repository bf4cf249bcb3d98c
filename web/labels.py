"""What the console and admin pages show for the codes stored on cases and drafts.

Cases keep stable codes (status ``assigned``, reason ``personal_case``, department ``planning``): the
database, the API, the CSV export and the transparency log use them. A caseworker reads them in the UI
language: the labels below, and the department's own name as the admin set it (Admin → Users and
departments). An unknown code (a new bot reason, a deleted department) is shown as it is stored.
"""

from __future__ import annotations

import re

from flask import Flask
from flask_babel import get_locale, gettext, pgettext
from flask_login import current_user
from markupsafe import Markup, escape

from privacy.types import LABELS


def case_status(code: str) -> str:
    return {"new": pgettext("case status", "New"), "assigned": pgettext("case status", "Assigned"),
            "answered": pgettext("case status", "Answered"),
            "closed": pgettext("case status", "Closed")}.get(code, code)


def handoff_reason(code: str) -> str:
    """Why the bot handed the conversation over (the bot's payload reason, or the app's own)."""
    return {
        "personal_case": gettext("About the resident's own case"),
        "human_handoff": gettext("The resident asked for a person"),
        "low_confidence": gettext("The bot was unsure what was meant"),
        "out_of_scope": gettext("Outside the bot's topics"),
        "no_article": gettext("No answer in the knowledge base"),
        "no_reply": gettext("The bot gave no answer"),
        "no_municipality": gettext("The bot did not know the municipality"),
        "bot_unavailable": gettext("The bot was unavailable"),
        "internal_error": gettext("An error in the app"),
        "redaction_failed": gettext("Personal data could not be removed"),
        "resident_follow_up": gettext("The resident wrote again"),
        "mail_answer": gettext("E-mail with a drafted answer"),
        "mail_route": gettext("E-mail routed to the department"),
        "mail_released": gettext("E-mail released from the set-aside list"),
    }.get(code, code)


# The intent catalogue's keys (tinget/intents.yml) by a name an admin reads; an unknown key as stored.
def _intent_names() -> dict[str, str]:
    return {
        "elder_care_visiting": pgettext("intent", "Visiting hours at nursing homes"),
        "elder_care_apply": pgettext("intent", "Applying for a nursing home place"),
        "home_care_services": pgettext("intent", "Home care"),
        "school_placement": pgettext("intent", "School placement"),
        "school_change": pgettext("intent", "Changing schools"),
        "school_transport": pgettext("intent", "School transport"),
        "after_school_care": pgettext("intent", "After-school care"),
        "kindergarten_apply": pgettext("intent", "Applying for kindergarten"),
        "kindergarten_fees": pgettext("intent", "Kindergarten fees"),
        "waste_collection": pgettext("intent", "Waste collection"),
        "recycling_station": pgettext("intent", "Recycling station"),
        "water_sewage_fees": pgettext("intent", "Water and sewage fees"),
        "property_tax": pgettext("intent", "Property tax"),
        "invoice_payment": pgettext("intent", "Invoices and payment"),
        "building_permit": pgettext("intent", "Building permits"),
        "parking_permit": pgettext("intent", "Parking permits"),
        "road_fault_report": pgettext("intent", "Reporting a road fault"),
        "snow_clearing": pgettext("intent", "Snow clearing"),
        "social_assistance": pgettext("intent", "Financial assistance"),
        "municipal_housing": pgettext("intent", "Municipal housing"),
        "gp_doctor": pgettext("intent", "Regular doctor (GP)"),
        "emergency_medical": pgettext("intent", "Emergency medical help"),
        "library": pgettext("intent", "Library"),
        "swimming_sports": pgettext("intent", "Swimming and sports"),
        "contact_opening_hours": pgettext("intent", "Contact and opening hours"),
        "job_vacancies": pgettext("intent", "Job vacancies"),
        "greet": pgettext("intent", "Greeting"),
        "goodbye": pgettext("intent", "Goodbye"),
        "thanks": pgettext("intent", "Thanks"),
        "bot_challenge": pgettext("intent", "Asks if it is a bot"),
        "human_handoff": pgettext("intent", "Asks for a person"),
        "personal_case": pgettext("intent", "Own case"),
        "out_of_scope": pgettext("intent", "Outside the topics"),
        "nlu_fallback": pgettext("intent", "Not understood"),
    }


def intent_name(code: str | None) -> str:
    """An intent by a name in the UI language ("library": "Bibliotek") where an admin reads it (the
    transparency log, analytics, teaching the bot); the key stays in links, forms and exports."""
    from web.services.analytics import NO_INTENT

    if code == NO_INTENT:
        return gettext("(no intent)")
    return _intent_names().get(code or "", code or "")


_PLACEHOLDER = re.compile("<(" + "|".join(LABELS) + ")>")


def removed_label(label: str) -> str:
    """What the redactor removed, in the UI language (the widget says the same: web/widget_strings.py)."""
    return {"PERSON": gettext("name removed"), "NATIONAL_ID": gettext("national ID number removed"),
            "PHONE": gettext("phone number removed"), "EMAIL": gettext("e-mail address removed"),
            "ADDRESS": gettext("address removed"), "BANK_ACCOUNT": gettext("account number removed"),
            "BIRTH_DATE": gettext("date of birth removed")}.get(label, label)


def entity_name(label: str) -> str:
    """A kind of personal data by its name in the UI language (the transparency log's counts)."""
    return {"PERSON": gettext("name"), "NATIONAL_ID": gettext("national ID number"),
            "PHONE": gettext("phone number"), "EMAIL": gettext("e-mail address"), "ADDRESS": gettext("address"),
            "BANK_ACCOUNT": gettext("account number"), "BIRTH_DATE": gettext("date of birth")}.get(label, label)


def redacted(text: str | None) -> Markup:
    """A redacted text with its placeholders ("<ADDRESS>") said in the UI language ("[adresse fjernet]")."""
    parts = _PLACEHOLDER.split(text or "")  # text, label, text, label, ..., text
    return Markup("").join(escape(p) if i % 2 == 0 else
                           Markup('<span class="redacted">[%s]</span>') % removed_label(p)
                           for i, p in enumerate(parts))


# The Nordic letters after z in the UI language's alphabetical order (æ ø å / å ä ö): by code point
# "Å" would come before "Æ" and right after "Z" in every language.
_AFTER_Z = {"nb": "æäøöå", "nn": "æäøöå", "da": "æäøöå", "sv": "åæäøö", "fi": "åæäøö"}


def sort_key(text: str) -> str:
    """``text`` as sorted alphabetically in the UI language (case-insensitive)."""
    order = _AFTER_Z.get(ui_lang(), "")
    low = text.casefold()
    return "".join(f"z{{{order.index(c)}" if c in order else c for c in low) if order else low


def intents_by_name(codes) -> list[str]:
    """Intent keys in the alphabetical order of their names in the UI language (a select's options)."""
    return sorted(codes, key=lambda c: (sort_key(intent_name(c)), c))


def intent_names(codes) -> str:
    return ", ".join(intent_name(c) for c in codes)


def route(code: str) -> str:
    """What the bot did with a resident message (a transparency record's route)."""
    return {"answer": pgettext("route", "Answered"), "chitchat": pgettext("route", "Small talk"),
            "clarify": pgettext("route", "Asked which was meant"), "handoff": pgettext("route", "Handed over"),
            "out_of_scope": pgettext("route", "Outside the topics"),
            "paused": pgettext("route", "Bot paused (a caseworker has it)"),
            "set_aside": pgettext("route", "Set aside")}.get(code, code)


def lang_source(code: str) -> str:
    """How a transparency record's language was chosen (tinget.language.Detection.source, or "button")."""
    return {"detected": pgettext("language source", "detected"),
            "conversation": pgettext("language source", "kept from the conversation"),
            "widget": pgettext("language source", "chosen in the widget"),
            "button": pgettext("language source", "a button was pressed")}.get(code, code)


def transparency_route(record) -> str:
    """A transparency record's route in the UI language. A mail triaged "answer" was answered only if its
    automatic reply went out (the stored reason says so): one answered by a draft waits for a caseworker.
    The stored route (and the export) keeps the triage's code."""
    if record.channel == "mail" and record.route == "answer":
        from web.services.transparency import parse_reason

        parsed = parse_reason("mail", record.reason)
        if parsed is not None and parsed[0] == "mail_answer" and not parsed[1]["auto"]:
            return pgettext("route", "Drafted for a caseworker")
    return route(record.route)


def transparency_reason(record) -> str:
    """A transparency record's reason in the UI language (web.services.transparency.parse_reason); a
    mail's triage sentence as its action (the page offers the stored sentence beside it)."""
    from flask_babel import format_decimal

    from mail.classify import parse_evidence
    from web.services.transparency import parse_reason

    parsed = parse_reason(record.channel, record.reason)
    if parsed is None:
        return record.reason
    code, p = parsed

    def score(value: str) -> str:
        return format_decimal(float(value), format="0.00")

    if code == "mail_answer":
        topics = intent_names(p["intents"])
        if p["not_sent"] is not None:
            return gettext("Answer drafted (%(topics)s); the automatic reply was not sent: %(why)s",
                           topics=topics, why=mail_failure(p["not_sent"]))
        if p["auto"]:
            return gettext("Answered automatically (%(topics)s)", topics=topics)
        return gettext("Answer drafted for a caseworker (%(topics)s)", topics=topics)
    if code == "mail_set_aside":
        kind = set_aside_kind(p["kind"])
        if parse_evidence(record.reason) is None:
            return gettext("Set aside (%(kind)s)", kind=kind)
        return gettext("Set aside (%(kind)s): %(evidence)s", kind=kind, evidence=set_aside_evidence(record.reason))
    return {
        "mail_route": lambda: gettext("Routed to %(department)s", department=department_name(p["department"])),
        "intent": lambda: gettext("Intent %(intent)s, confidence %(score)s", intent=intent_name(p["intent"]),
                                  score=score(p["confidence"])),
        "intent_also": lambda: gettext("Intent %(intent)s, confidence %(score)s; also offered: %(topics)s",
                                       intent=intent_name(p["intent"]), score=score(p["confidence"]),
                                       topics=" / ".join(intent_name(o) for o in p["offered"])),
        "clarify": lambda: gettext("Offered: %(options)s", options=" / ".join(intent_name(o) for o in p["options"])),
        "case": lambda: gettext("Added to case %(case)s", case=p["case"]),
        "code": lambda: handoff_reason(p["code"]),
    }[code]()


def password_refusal(code: str) -> str:
    """Why a new password was refused (web.services.users.password_refusal), in the UI language."""
    from flask import current_app

    from web.services.users import PASSWORD_MIN_DISTINCT

    return {
        "short": gettext("The password must have at least %(n)s characters.",
                         n=current_app.config["PASSWORD_MIN_LENGTH"]),
        "blank": gettext("The password cannot be only spaces."),
        "repeated": gettext("The password cannot be one character or piece repeated, and needs at least "
                            "%(n)s different characters.", n=PASSWORD_MIN_DISTINCT),
        "sequence": gettext("The password cannot be a run of digits, letters or keys, such as 123456789012 "
                            "or qwertyuiopås."),
        "email": gettext("The password cannot be the account's e-mail address or the name in it."),
    }.get(code, code)


def set_aside_evidence(reason: str) -> str:
    """What the triage rule found on a set-aside mail (the stored reason, see mail.classify.EVIDENCE), in
    the UI language; header names, header values and brand names stay as found. A reason the templates
    did not produce is shown as stored."""
    from mail.classify import parse_evidence

    parsed = parse_evidence(reason)
    if parsed is None:
        return reason
    code, p = parsed
    if code == "spam_cues":
        return gettext("Signs of spam or phishing: %(cues)s",
                       cues=", ".join(_spam_cue(cue, params) for cue, params in p["cues"]))
    text = {
        "auto_submitted": lambda: gettext("Auto-Submitted header: %(value)s", value=p["value"]),
        "autoreply_header": lambda: gettext("%(header)s header", header=p["header"]),
        "precedence": lambda: gettext("Precedence header: %(value)s", value=p["value"]),
        "loop_header": lambda: gettext("A header marking a mail loop"),
        "absence_notice": lambda: gettext("An absence subject and an absence notice in the text"),
        "absence_subject": lambda: gettext("An absence subject and no text"),
        "absence_return_date": lambda: gettext("An absence notice with a return date"),
        "delivery_report": lambda: gettext("A delivery report (%(type)s)", type=p["type"]),
        "mail_system_sender": lambda: gettext("The sender is a mail system (%(name)s)", name=p["name"]),
        "failed_recipients": lambda: gettext("X-Failed-Recipients header"),
        "empty_return_path": lambda: gettext("An empty return path and a subject saying delivery failed"),
        "list_header": lambda: gettext("List-Unsubscribe or List-Id header (a mailing list)"),
        "campaign_header": lambda: gettext("A marketing campaign header"),
        "unsubscribe_link": lambda: gettext("An unsubscribe link in the text"),
        "empty": lambda: gettext("No text and no attachment"),
    }.get(code)
    return text() if text else reason


def _spam_cue(code: str, p: dict) -> str:
    return {
        "spam_flag": lambda: gettext("marked as spam by a mail filter"),
        "lure": lambda: gettext("asks to log in or to pay"),
        "brand_other_domain": lambda: gettext("names %(brand)s but comes from another domain", brand=p["brand"]),
        "brand_with_link": lambda: gettext("names %(brand)s and has a link", brand=p["brand"]),
        "link": lambda: gettext("a link"),
        "reply_to_other_domain": lambda: gettext("replies go to another domain"),
        "spam_words": lambda: gettext("typical spam words"),
        "automated_with_link": lambda: gettext("an automated notice with a link"),
        "script": lambda: gettext("a script in the HTML"),
        "ip_link": lambda: gettext("a link to an IP address"),
    }[code]()


def set_aside_kind(code: str) -> str:
    """The kind of a set-aside mail (mail.classify.SetAside.kind), as the set-aside page names it."""
    return {"auto_reply": gettext("Automatic reply"), "bounce": gettext("Bounce"),
            "newsletter": gettext("Newsletter"), "spam": gettext("Spam or phishing"),
            "empty": gettext("Empty")}.get(code, code)


def mail_failure(why: str) -> str:
    """Why an e-mail was not sent (web.services.mail._send's reason), in the UI language."""
    from web.services.mail import NO_ADDRESS, NO_SMTP

    if why == NO_SMTP:
        return gettext("no mail server is set up")
    if why == NO_ADDRESS:
        return gettext("the resident's e-mail address is not known")
    if why == "SMTP: AddressRefused":  # mail.netguard: the municipality's own server is at a refused address
        return gettext("the municipality's own mail server is at an address this installation may not connect to "
                       "(Admin → Mail settings)")
    if why.startswith("SMTP: "):
        return gettext("the mail server did not accept it (%(error)s)", error=why.removeprefix("SMTP: "))
    return why


def case_note(note) -> str:
    """A case note in the UI language: the notes the app writes (web.services.cases.NOTES) are read back
    from their stored English, department keys shown by their names; a caseworker's own note as written."""
    from web.services.cases import parse_note

    parsed = parse_note(note.kind, note.text)
    if parsed is None:
        return note.text
    code, p = parsed
    return {
        "closed": lambda: gettext("Case closed."),
        "reopened_by_resident": lambda: gettext("Reopened: the resident wrote again."),
        "reopened_by_reply": lambda: gettext("Reopened by a reply."),
        "reopened": lambda: gettext("Case reopened."),
        "mail_not_sent": lambda: gettext("The e-mail was not sent (%(why)s); the reply is kept on the case. "
                                         "It is not sent later by itself.", why=mail_failure(p["why"])),
        "mail_sent_later": lambda: gettext("The e-mail of an earlier reply was sent on another try."),
        "mail_returned": lambda: gettext("The resident's mail server returned the e-mail of a reply: it did not "
                                         "arrive. Reach the resident another way, or send it again."),
        "restored": lambda: gettext("Restored from the set-aside mail (%(kind)s): %(evidence)s",
                                    kind=set_aside_kind(p["kind"]), evidence=set_aside_evidence(p["reason"])),
        "released": lambda: gettext("Back in the department's queue: the caseworker's account was deactivated."),
        "reassigned": lambda: gettext("Moved from %(old)s to %(new)s: %(reason)s", old=department_name(p["old"]),
                                      new=department_name(p["new"]), reason=p["reason"]),
        "no_department": lambda: gettext("Routed to %(old)s, a department this municipality does not have; sent "
                                         "to %(new)s.", old=department_name(p["old"]), new=department_name(p["new"])),
    }[code]()


def draft_status(code: str) -> str:
    return {"accepted": pgettext("draft status", "accepted"), "edited": pgettext("draft status", "edited"),
            "rejected": pgettext("draft status", "rejected")}.get(code, code)


def language_name(code: str) -> str:
    """A resident's language by its own name ("Suomi"), the same names the widget's selector shows."""
    from web.widget_strings import LANGUAGE_NAMES

    return LANGUAGE_NAMES.get(code, code)


def nearest_articles(sources) -> list[dict]:
    """The nearest articles of a 'no good draft' row, one entry per article: the suggester lists each
    language version of an article ("article:<intent>:<lang>") on its own, and a caseworker saw the same
    title three times with nothing telling the versions apart. Best score first; ``versions`` holds each
    language version (lang, url) best first, shown by language name when there are several."""
    groups: dict[str, dict] = {}
    for s in sorted(sources or [], key=lambda s: -(s.get("score") or 0)):
        key, lang = str(s.get("id") or s.get("title") or ""), s.get("lang") or ""
        if key.startswith("article:") and key.count(":") >= 2:
            key, lang = key.rsplit(":", 1)
        entry = groups.setdefault(key, {"title": s.get("title") or s.get("id") or "", "score": s.get("score") or 0,
                                        "lang": lang, "url": s.get("url") or "", "versions": []})
        if all(v["lang"] != lang for v in entry["versions"]):
            entry["versions"].append({"lang": lang, "url": s.get("url") or ""})
    return list(groups.values())


def reply_html(text: str) -> Markup:
    """A caseworker's reply (or a draft of one) as the resident will see it (sanitised HTML)."""
    from kb.render import reply_markdown_to_html

    return Markup(reply_markdown_to_html(text))  # noqa: S704  # nosec B704 - sanitised by kb.render (bleach, allow-listed tags)


def draft_html(text: str) -> Markup:
    """A draft as :func:`reply_html`, its placeholders said ("[phone number removed]"): a draft made from an
    earlier reply has the personal data of that case redacted, and "<PHONE>" was shown as nothing at all."""
    return reply_html(_PLACEHOLDER.sub(lambda m: f"[{removed_label(m.group(1))}]", text or ""))


def placeholders(text: str | None) -> list[str]:
    """The redaction placeholders in ``text`` ("<PHONE>"), in order, each once."""
    return list(dict.fromkeys(m.group(0) for m in _PLACEHOLDER.finditer(text or "")))


def ui_lang() -> str:
    """The language the page is shown in (web.i18n.select_locale: ?lang=, the session, the user's own)."""
    return str(get_locale())


def department_name(key: str) -> str:
    """The department's name in the UI language (its key if the signed-in user's municipality has none)."""
    municipality = getattr(current_user, "municipality", None)
    department = municipality.department(key) if municipality is not None else None
    return department.name(ui_lang()) if department is not None else key


def department_choices(departments) -> list[tuple[str, str]]:
    """(key, name in the UI language) for a department select."""
    return [(d.key, d.name(ui_lang())) for d in departments]


def init_app(app: Flask) -> None:
    from web.services.cases import preview, summary

    app.jinja_env.filters.update(case_status=case_status, handoff_reason=handoff_reason, draft_status=draft_status,
                                 department_name=department_name, language_name=language_name,
                                 set_aside_evidence=set_aside_evidence, case_note=case_note,
                                 nearest_articles=nearest_articles, reply_html=reply_html, draft_html=draft_html, route=route,
                                 lang_source=lang_source, transparency_reason=transparency_reason,
                                 transparency_route=transparency_route, intent_name=intent_name, redacted=redacted,
                                 entity_name=entity_name)
    app.jinja_env.globals["case_summary"] = summary
    app.jinja_env.globals["case_preview"] = preview


def shared_model_refusal() -> str:
    """Why an admin may not add training examples or retrain (web.services.shared_model)."""
    from web.services import shared_model

    team = ", ".join(shared_model.team_names())
    if team:
        return gettext("The bot is shared by the municipalities of this installation. Training examples and "
                       "retraining are for the region's bot team (%(team)s): request an article, or send them "
                       "the questions.", team=team)
    return gettext("The bot is shared by the municipalities of this installation. Training examples and retraining "
                   "are for the operator (tinget bot train) until a bot team is named (TINGET_BOT_TEAM): request "
                   "an article instead.")
