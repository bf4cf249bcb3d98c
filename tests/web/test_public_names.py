"""The municipality's own name is no one's name: "Når åpner Fjordvik bibliotek?" was stored (and shown to the
resident, the caseworker and the bot) as "Når åpner <PERSON> bibliotek?". Redaction keeps the
municipality's public names (web.services.public_values); a person's name stays redacted, also one that
is a place's name too. Real app on a temporary SQLite; Rasa is down, so each message is stored as a case."""

from __future__ import annotations

import pytest

from tests.conftest import Resident


@pytest.mark.parametrize("said, stored", [
    ("Når åpner Fjordvik bibliotek på lørdag?", "Når åpner Fjordvik bibliotek på lørdag?"),
    ("Hvor er rådhuset i Fjordvik kommune?", "Hvor er rådhuset i Fjordvik kommune?"),
    ("Jeg heter Kari Fjordvik og bor i Fjordvik", "Jeg heter <PERSON> og bor i Fjordvik"),
    ("Hilsen Lia", "Hilsen <PERSON>"),  # a nursing home is called Lia, but alone it is a person
    ("Ring meg på 412 34 567, ellers ring kommunen på +47 55 50 10 00",
     "Ring meg på <PHONE>, ellers ring kommunen på +47 55 50 10 00"),
])
def test_the_municipalitys_public_names_are_kept_and_persons_are_not(app, said, stored):
    resident = Resident(app.test_client())
    assert resident.say(said).status_code == 201
    mine = [m["text"] for m in resident.messages().get_json()["messages"] if m["sender"] == "resident"]
    assert mine == [stored]


def test_a_name_the_lexicon_knows_as_a_persons_is_not_kept_as_a_place():
    from privacy.names import not_personal

    assert not_personal(["Fjordvik", "Havbakken skule", "Kari", "Hansen"]) == ["Fjordvik", "Havbakken skule"]
