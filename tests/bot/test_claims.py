"""bot.claims: damage done by the municipality's work, or a claim for compensation (tables, no database); the
dialogue hands it to the topic's caseworkers (tests/bot/test_dialogue.py)."""

from __future__ import annotations

import pytest

from bot.claims import claims_damage


@pytest.mark.parametrize(("text", "claim"), [
    ("jeg ble overkjørt av brøytebilen sin plog og bilen min er ødelagt hvem betaler", True),
    ("søppelbilen knuste postkassa vår", True),
    ("brøytebilen rygget inn i bilen min i går", True),
    ("Kommunen ødela plenen min da de gravde", True),
    ("Kan eg få erstatning for hekken som brøytaren øydela?", True),
    ("bossbilen køyrde ned gjerdet, kven betaler?", True),
    ("the snowplough damaged our fence", True),
    ("Who pays compensation when the bin lorry hits my car?", True),
    # fault reports and topic questions the articles answer
    ("Gatelyset utenfor huset mitt er ødelagt.", False),
    ("The street light outside our house is broken", False),
    ("Når blir veien vår brøytet?", False),
    ("dunken min er ødelagt, kan jeg få ny?", False),
    ("the bin lorry did not empty my bin", False),
    ("hvem har ansvaret for brøyting av private veier", False),
])
def test_claims_for_damage(text, claim):
    assert claims_damage(text) is claim
