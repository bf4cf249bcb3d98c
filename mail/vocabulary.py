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
trained model handles everything else. Council housing ("almen bolig", "kommunal hyreslägenhet") and
water/sewage fees ("vattenfaktura", "VA-avgift") are here because a routed mail about them went to
another queue when its other sentences ("Jag vill prata med någon") led the whole-mail topic astray.
"""

from __future__ import annotations

import re
import unicodedata

# Finnish and the Scandinavian compounds inflect at the end: stems are followed by \w*.
# Bullying, in the six languages ("mobbet", "mobba", "mobbning", "mobning", "kiusataan", "bullied").
_BULLYING = (r"\w*mobb(a|e|i|n)\w*|\w*mobning\w*|"  # mobba(d/t/s), mobbe(t/s/r), mobbing(a), mobbning; nettmobbing
             r"koulukiusa\w*|kiusa(taan|ttu|ttiin|aminen|amis|avat|a)\w*|"
             r"bull(ied|ying|ies)\b")
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
    # Council housing: the municipality's own rented dwellings and its housing allocation, not housing
    # in general ("bolig", "lejlighed" alone name no service).
    "municipal_housing": re.compile(
        r"\b("
        # nb / nn
        r"kommunale? (utleie)?bolig\w*|kommunal(e)? (utleige)?bustad\w*|kommunale? leilighet\w*|"
        r"kommunal(e)? husvære|startlån\w*|bostøtte\w*|bustøtte\w*|"
        # da
        r"almen(e|t)? ?bolig\w*|almenbolig\w*|almennyttig\w* bolig\w*|kommunal(e)? bolig\w*|"
        r"boliganvisning\w*|boligstøtte\w*|"
        # sv
        r"kommunal(a)? (hyres)?(bostad|bostäder|lägenhet)\w*|allmännytt\w*|bostadsförmedling\w*|"
        r"social(a|t)? kontrakt\w*|andrahandskontrakt via kommunen|bostadsbidrag\w*|"
        # fi
        r"(kunnan|kaupungin) (vuokra-?)?asun\w*|kunnallis\w* (vuokra-?)?asun\w*|ara-asun\w*|asumistu\w*|"
        # en
        r"council (housing|house|houses|flat|flats|home|homes|tenancy|tenant)|municipal (housing|flat|flats|"
        r"rental|apartment\w*|dwelling\w*)|social housing|public housing|housing allowance"
        r")", re.I),
    # Water and sewage fees: the invoice or fee for the water supply and the sewer, not water or pipes
    # as such (a burst main is a fault report, a sewer connection a building matter).
    "water_sewage_fees": re.compile(
        r"\b("
        # nb / nn / da
        r"va-?(gebyr|avgift|afgift|faktura|regning)\w*|vann- og avløps(gebyr|avgift|faktura|regning)\w*|"
        r"vass- og avløps(gebyr|avgift|faktura|rekning)\w*|vatn- og avløps(gebyr|avgift)\w*|"
        r"vann(avgift|gebyr|faktura|regning|måler)\w*|vass(avgift|gebyr|faktura|rekning|målar)\w*|"
        r"avløps(gebyr|avgift)\w*|kloakk(gebyr|avgift)\w*|"
        r"(gebyr|avgift|faktura|regning|rekning)(en|a|et)? (for|på|til) vann og avløp|"
        # the invoice for water alone names the fee too ("en faktura för vatten som är fel")
        r"(faktura|regning|rekning|räkning|afgift|avgift)(en|a|et|n|an)? (for|för|på|til) (vann|vatn|vatten|vand)\b|"
        r"vand(afgift|regning|måler|bidrag)\w*|spildevands?(afgift|bidrag|regning)\w*|vandafledning\w*|"
        r"(afgift|regning|faktura)(en)? (for|på|til) vand og (kloak|spildevand)|"
        # sv
        r"va-taxa\w*|vatten(faktura|avgift|räkning|taxa|mätare)\w*|vattenfakturan|avlopps(avgift|taxa)\w*|"
        r"(faktura|avgift|räkning|taxa)(n|an)? (för|på) vatten och avlopp|"
        # fi
        r"vesilasku\w*|vesimaksu\w*|jätevesimaksu\w*|vesi- ja jätevesimaksu\w*|perusmaksu\w* vede\w*|"
        r"vesimittari\w*|"
        # en
        r"water (bill|bills|charge|charges|rates|fee|fees|meter|invoice)|sewer(age)? (charge|fee|bill)\w*|"
        r"sewage (charge|fee|bill)\w*"
        r")", re.I),
    # The school day itself (bullying, the pupil's teacher or head): the school is the municipality's
    # education department, whichever school topic the words fall under. A school as a place ("the street
    # light by the school") names no service, so "skole"/"school" alone is not here.
    "school_placement": re.compile(
        r"\b("
        + _BULLYING + "|"
        # nb / nn / da
        r"kontaktlær(er|ar)\w*|klasselær(er|ar)\w*|rektor(en)?\b|"
        # sv
        r"klasslärar\w*|rektorn\b|"
        # fi
        r"rehtori\w*|luokanopetta\w*|luokanvalvoja\w*|"
        # en
        r"head ?teacher\w*|class teacher\w*|form teacher\w*"
        r")", re.I),
}

# Matters a resident reports that only a person can take up, by the topic whose department takes them. The KB
# has no answer to a report of bullying ("Min søn bliver mobbet i skolen, hvad gør I ved det?" got the article
# on changing schools, school_change 0.45), so the chat hands it to the school's caseworkers whatever topic the
# model reads (bot.dialogue.respond).
REPORTED_MATTERS: dict[str, re.Pattern[str]] = {
    "school_placement": re.compile(r"\b(" + _BULLYING + r")", re.I),
}


def _prepare(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").lower()


def topics_named(text: str) -> list[str]:
    """Catalogue topics whose service the text names, in table order."""
    text = _prepare(text)
    return [topic for topic, pattern in TOPIC_TERMS.items() if pattern.search(text)]


def matters_reported(text: str) -> list[str]:
    """Topics whose department takes a matter the text reports (REPORTED_MATTERS), in table order."""
    text = _prepare(text)
    return [topic for topic, pattern in REPORTED_MATTERS.items() if pattern.search(text)]
