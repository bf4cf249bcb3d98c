"""Reading a transparency record's stored reason back as a code with parameters, for the admin's log page.

The stored reason stays as written (the CSV/JSON export is a stable record): a chat handover's code
(``low_confidence``), or English text, written by web.services.inquiry (``intent X (0.93)``,
``clarify: a / b``, ``case 12``) and by mail.triage (``answer X (confidence 0.91); sent automatically
...``, ``route to <department> (why): ...``, ``set aside (<kind>): <evidence>``). parse_reason() reads
them back, so web.labels.transparency_reason shows them in the reader's language; a text none of these
wrote (a cut one, a new bot reason) is shown as stored.
"""

from __future__ import annotations

import re

# the chat's reasons other than a handover code, as web.services.inquiry writes them (chat_reason)
CHAT_REASONS = {"intent": "intent {intent} ({confidence:.2f})", "clarify": "clarify: {options}", "case": "case {case}",
                "intent_also": "intent {intent} ({confidence:.2f}); also offered: {offered}"}
_CHAT = {
    "intent": re.compile(r"intent (?P<intent>\S*) \((?P<confidence>\d+(?:\.\d+)?)\)\Z"),
    # the answer ended with buttons for other topics the message asked about (web.services.also_asked)
    "intent_also": re.compile(r"intent (?P<intent>\S*) \((?P<confidence>\d+(?:\.\d+)?)\); also offered: "
                              r"(?P<offered>.*)\Z", re.S),
    "clarify": re.compile(r"clarify: (?P<options>.*)\Z", re.S),
    "case": re.compile(r"case (?P<case>\d+)\Z"),
    "code": re.compile(r"(?P<code>[a-z][a-z0-9_]*)\Z"),
}
_MAIL = {
    "mail_answer": re.compile(r"answer (?P<intents>[^()]+?) \(confidence (?P<confidence>\d+(?:\.\d+)?)\)"
                              r"(?P<rest>.*)\Z", re.S),
    "mail_route": re.compile(r"route to (?P<department>[^\s()]+) \(", re.S),
    "mail_set_aside": re.compile(r"set aside \((?P<kind>\w+)\): ", re.S),
}
NOT_SENT = " — not sent: "  # web.services.mail._store: an automatic reply that did not go out


def chat_reason(code: str, **params) -> str:
    """The stored reason of a chat turn: ``intent`` (intent, confidence), ``intent_also`` (intent, confidence,
    offered: the other topics offered under the answer, a list), ``clarify`` (options, a list), ``case``
    (case, its id)."""
    if code == "clarify":
        params["options"] = " / ".join(params["options"])
    if code == "intent_also":
        params["offered"] = " / ".join(params["offered"])
    return CHAT_REASONS[code].format(**params)


def parse_reason(channel: str, reason: str) -> tuple[str, dict] | None:
    """(code, parameters) of a stored reason, or None for a text none of the writers produced."""
    reason = reason or ""
    if channel == "mail":
        for code, pattern in _MAIL.items():
            match = pattern.match(reason)
            if match:
                params = match.groupdict()
                if code == "mail_answer":
                    rest = params.pop("rest")
                    params["intents"] = params["intents"].split(", ")
                    params["not_sent"] = rest.split(NOT_SENT, 1)[1] if NOT_SENT in rest else None
                    params["auto"] = "; sent automatically" in rest and params["not_sent"] is None
                    params["waits"] = "; waits for a click" in rest
                return code, params
        return None
    for code, pattern in _CHAT.items():
        match = pattern.match(reason)
        if match:
            params = match.groupdict()
            if code == "clarify":
                params["options"] = [o for o in params["options"].split(" / ") if o]
            if code == "intent_also":
                params["offered"] = [o for o in params["offered"].split(" / ") if o]
            return code, params
    return None
