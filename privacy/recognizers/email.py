"""EMAIL: private e-mail addresses (no network, no suffix list: a TLD of 2-24 letters).

Role addresses of public bodies (postmottak@, kirjaamo@, ...@kommune.no, the municipality's
office mail named right before) are public contact data and kept."""

from __future__ import annotations

import re
from collections.abc import Iterator

from privacy.context import is_public_or_nonpersonal
from privacy.recognizers.base import NordicRecognizer

EMAIL = re.compile(
    r"(?<![\w.+\-])[\w.+\-']{1,64}@(?:[A-Za-z0-9ÆØÅæøåÄÖäöÜü](?:[A-Za-z0-9\-ÆØÅæøåÄÖäöÜü]{0,61}"
    r"[A-Za-z0-9ÆØÅæøåÄÖäöÜü])?\.)+[A-Za-z]{2,24}(?![^\W\d_]|@)")  # "….no123": digits may follow

# An address spelled out so that it is not a link ("kari punktum nordmann snabel-a epost punktum no", "john dot
# smith at mail dot com", "ola(at)firma.no"): it stayed in the redacted mail. The spelled "@" and at least one
# spelled or written dot before a listed top-level domain are required.
_DOT = r"(?:\s*\.\s*|\s+(?:punktum|prikk|dot|punkt|piste)\s+|\s*[(\[](?:dot|punktum|prikk|punkt|piste)[)\]]\s*)"
_AT = r"(?:\s*@\s*|\s+(?:snabel-?a|krøllalfa|alfakrøll|kanelbulle|ät|at|miukumauku)\s+|\s*[(\[](?:at|ät|snabel-?a)[)\]]\s*)"
SPELLED_EMAIL = re.compile(
    rf"(?<![\w.@])([\w\-+]+(?:{_DOT}[\w\-+]+){{0,3}}{_AT}[\w\-]+(?:{_DOT}[\w\-]+){{0,3}}{_DOT}"
    rf"(?:no|se|dk|fi|is|com|net|org|nu|eu|uk|de|info|io|me))(?![\w@.])", re.IGNORECASE)

_SPELLED_HINT = re.compile(r"snabel|krøllalfa|alfakrøll|kanelbulle|miukumauku|[(\[](?:at|ät|snabel)|"
                           r"\s(?:punktum|prikk|dot|punkt|piste)\s", re.IGNORECASE)

PUBLIC_LOCAL = re.compile(
    r"^(?:postmottak|post|postkasse|servicetorget|servicetorg|servicesenter|sentralbord|kundeservice|"
    r"kundservice|kommun|kommune|kirjaamo|kirjaamo\.\w+|registratur|registrator|borgerservice|"
    r"info|kontakt|contact|office|support|noreply|no-reply|raadhus|radhus|kunta|kaupunki|"
    r"ekspedisjon|arkiv|dokumentsenter|helpdesk|hello|firmapost)$", re.IGNORECASE)
PUBLIC_DOMAIN = re.compile(
    r"(?:^|\.)(?:[\w\-]*kommune|[\w\-]*kommun|[\w\-]*kunta|[\w\-]*kaupunki|[\w\-]*\.gov\.\w+|"
    r"hel|espoo|vantaa|tampere|turku|oulu|[\w\-]*fylkeskommune|nav|skatteetaten|regeringen|"
    r"gov|[\w\-]*region|[\w\-]*amt)\.(?:no|se|dk|fi|uk|com|org|gov)$", re.IGNORECASE)


class NordicEmailRecognizer(NordicRecognizer):
    ENTITY = "EMAIL"
    CONTEXT = ("e-post", "epost", "mail", "email", "mejl", "sähköposti", "adresse")

    def find(self, text: str, artifacts) -> Iterator[tuple]:
        for match in EMAIL.finditer(text):
            start, end = match.span()
            value = match.group(0).strip(".'")
            end = start + len(match.group(0).rstrip(".'"))
            local, _, domain = value.partition("@")
            if PUBLIC_LOCAL.match(local) or PUBLIC_DOMAIN.search(domain):
                continue
            if is_public_or_nonpersonal(text, start, 30) and not re.search(r"\d", local):
                continue
            yield (start, end, 1.0)
        if not _SPELLED_HINT.search(text):  # most texts: no spelled "@" or dot, the slower pattern is not run
            return
        for match in SPELLED_EMAIL.finditer(text):
            value = match.group(1)
            if "@" in value and EMAIL.fullmatch(value):
                continue  # a written address: found above
            if re.search(r"\s(?:at|ät)\s", value, re.IGNORECASE) and not re.search(
                    r"\s(?:punktum|prikk|dot|punkt|piste)\s|[(\[]", value, re.IGNORECASE):
                continue  # "bought it at Amazon.com": a bare "at" needs a spelled dot too
            parts = re.split(_AT, value, maxsplit=1, flags=re.IGNORECASE)
            local = re.sub(_DOT, ".", parts[0], flags=re.IGNORECASE)
            domain = re.sub(_DOT, ".", parts[1], flags=re.IGNORECASE) if len(parts) > 1 else ""
            if PUBLIC_LOCAL.match(local) or PUBLIC_DOMAIN.search(domain):
                continue
            yield (match.start(1), match.end(1), 0.9)
