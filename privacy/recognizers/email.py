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
