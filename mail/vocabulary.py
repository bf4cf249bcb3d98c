"""Service vocabulary: words that name one municipal service unambiguously, in the six languages.

The intent model reads a sentence such as "I have had home help every other week, and nobody has come
since the summer" as the sender's *own case* (``personal_case``) — rightly: a person must look. But
the case's department then depends on the rest of the mail, and a mail that names its service only
in a statement can end at the service desk. The words here are names of the service itself
("praktisk bistand", "hemtjänst", "kotihoito", "home care"), which residents use exactly when they
write about it, so a routed sentence that names one gives the case its department. The chat's handoff
chooses its department the same way (``bot.dialogue._handoff``).

Each entry is a catalogue topic and a pattern over lower-cased text. Only terms that name one
service in every context belong here; words that need a context to mean the service ("practical
help", "praktisk hjälp") carry that context in the pattern. The table is deliberately small: the
trained model handles everything else.
"""

from __future__ import annotations

import re
import unicodedata

# Finnish and the Scandinavian compounds inflect at the end: stems are followed by \w*.
TOPIC_TERMS: dict[str, re.Pattern[str]] = {
    "home_care_services": re.compile(
        r"\b("
        # nb / nn / da: home help, home services, home nursing, practical assistance at home
        r"praktisk(e)? bistand\w*|hjemmehjelp\w*|heimehjelp\w*|hjemmetjenest\w*|heimetenest\w*|"
        r"hjemmesykepleie\w*|heimesjukepleie\w*|hjemmebaserte tjenester|heimebaserte tenester|"
        r"brukerstyrt personlig assistanse|brukarstyrt personleg assistanse|trygghetsalarm\w*|tryggleiksalarm\w*|"
        r"hjemmehjælp\w*|hjemmehjaelp\w*|hjemmepleje\w*|hjemmesygepleje\w*|praktisk hjælp|"
        # sv
        r"hemtjänst\w*|hemtjanst\w*|hemhjälp\w*|hemhjalp\w*|hemsjukvård\w*|praktisk hjälp (i|till) hemmet|"
        # fi
        r"kotiho(it|id)\w*|kotia(pu|vu)\w*|kotipalvelu\w*|kotisairaanho(it|id)\w*|"
        # en
        r"home[- ]help\w*|home[- ]care\b|home[- ]carers?|home nursing|"
        r"practical (help|assistance|support) (at|in the) home"
        r")", re.I),
}


def _prepare(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").lower()


def topics_named(text: str) -> list[str]:
    """Catalogue topics whose service the text names, in table order."""
    text = _prepare(text)
    return [topic for topic, pattern in TOPIC_TERMS.items() if pattern.search(text)]
