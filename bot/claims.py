"""A report that the municipality's work damaged the resident's property, or a claim for compensation: a matter
only a caseworker can take up, however much the message reads like the topic's question.

"jeg ble overkjørt av brøytebilen sin plog og bilen min er ødelagt, hvem betaler" was read as snow_clearing
(0.86) and got the article on the ploughing order. A claim needs its facts looked at and a decision, which no
article gives. Narrow on purpose: a word for compensation, or a municipal vehicle, crew or the municipality
itself next to a verb of damage in the same sentence ("søppelbilen knuste postkassa vår", "the snowplough
damaged our fence"). A street light or road that is broken ("Gatelyset utenfor huset mitt er ødelagt") is a
fault report the article answers, and names no such actor. bokmål, nynorsk and English; on folded text
(kb.places.fold: lower case, no diacritics). Pure functions.
"""

from __future__ import annotations

import re

from kb.places import fold

_COMPENSATION = r"\b(?:erstatning\w*|skadeerstatning\w*|kompensasjon\w*|skadeoppgjer\w*|skadeoppgjor\w*|compensation|compensate\w*)\b"
_ACTOR = (r"\b(?:\w*broytebil\w*|\w*broyteplog\w*|plogen|ploget|broytemannskap\w*|broytaren|broyteren|snoplog\w*|"
          r"soppelbil\w*|renovasjonsbil\w*|bossbil\w*|avfallsbil\w*|kommunens bil\w*|kommunen|kommunal\w* (?:bil|arbeid|"
          r"folk|ansatte|mannskap)\w*|gravemaskin\w*|vegvesen\w*|snow ?plou?gh\w*|plough|plow|gritter|garbage truck|"
          r"bin lorry|refuse (?:truck|lorry)|the council|the municipality|council workers?)\b")
_DAMAGE = (r"\b(?:odela\w*|odelag\w*|oydela\w*|oydelag\w*|skadet|skada|skadde|knuste|knust|kjorte (?:pa|ned|inn i)|"
           r"rygga (?:pa|inn i)|rygget (?:pa|inn i)|overkjort|kjorde pa|koyrde (?:pa|ned|inn i)|koyrt (?:pa|ned)|damag\w*|broke|broken|destroyed|smashed|"
           r"ran over|ran into|hit|crashed into|scratched)\b")
CLAIM = re.compile(rf"{_COMPENSATION}|{_ACTOR}[^.!?\n]{{0,80}}{_DAMAGE}|{_DAMAGE}[^.!?\n]{{0,80}}{_ACTOR}")


def claims_damage(text: str) -> bool:
    """Whether ``text`` reports damage done by the municipality's work or claims compensation (CLAIM)."""
    return bool(CLAIM.search(fold(text or "")))
