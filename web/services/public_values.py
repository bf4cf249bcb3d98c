"""What redaction keeps for a municipality: its public phone numbers, and its own and its public places'
names, which the person recognizer took for names ("Når åpner <PERSON> bibliotek?" for Fjordvik)."""

from __future__ import annotations

from privacy.names import not_personal


class PublicValues:
    """The municipality's public values as redaction's allow-list, read only if the redactor found an entity
    to check against them (most messages have none: no department query for them)."""

    def __init__(self, municipality) -> None:
        self.municipality = municipality

    def __iter__(self):
        yield from self.municipality.public_phones
        yield from not_personal(self.municipality.public_names)
