"""A day's opening hours from the municipality's settings, for a question that names the day.

The municipality keeps the opening hours of some places per day in its settings ("hours": <prefix>_weekdays,
<prefix>_saturday, <prefix>_sunday, or <prefix>_weekend for both days; kb/content/demo/municipality.yml), the
same values the article shows through its {hours.…} placeholders; the service desk's weekday hours are its
"service_desk_hours" ({municipality.service_desk_hours}: hours_table). A question that names a day ("Når er
svømmehallen åpen på søndag?", "og på lørdag?" after the answer) gets that day's hours from them; the dialogue
(bot.dialogue) decides when, this module only reads the days and the hours. Pure functions, no database.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kb.places import fold

# The topics (intents) whose opening hours the settings keep per day, and the prefix of their keys.
DAY_HOURS = {"library": "library", "swimming_sports": "swimming_pool", "recycling_station": "recycling_station",
             "contact_opening_hours": "service_desk"}
# Opening hours the settings keep outside "hours", as the articles show them: the service desk's
# {municipality.service_desk_hours} are its weekday hours ("mandag–fredag 08:00–15:30").
_OUTSIDE_HOURS = {"service_desk_weekdays": "service_desk_hours"}
DAY_KINDS = ("weekdays", "saturday", "sunday")
DEFAULT_TIMEZONE = "Europe/Oslo"  # settings "timezone" (an IANA name) for a municipality elsewhere

# Day words in the six languages, on folded text (kb.places.fold: no diacritics, lower case). Whole words and
# their inflections only ("søndagen", "lørdagar", "lauantaina", "Saturdays"), no abbreviations ("sat" is a
# verb) and no stems that begin other words ("arki" begins "arkiv", "hverdags" begins "hverdagsrehabilitering"): a direct question is read for its day
# without a "og ..." before it.
_FI_CASES = r"(?:na|sin|ksi|sta|an|n)?"
_NAMES = {
    "sunday": rf"sondag\w*|sundag\w*|sunnuntai{_FI_CASES}|sundays?",
    "saturday": rf"lordag\w*|laurdag\w*|lauantai{_FI_CASES}|saturdays?",
    "weekend": r"helg(?!dag)\w*|weekend\w*|viikonlop\w*",  # not the Swedish "helgdagar" (public holidays)
    "weekdays": rf"hverdag(?:e|en|ene|er|ane|ar)?|kvardag(?:ar|ane|en)?|vardag(?:ar|arna|en)?|"
                rf"arkisin|arkipaiv\w*|weekdays?|mandag\w*|mondag\w*|tirsdag\w*|tysdag\w*|tisdag\w*|"
                rf"onsdag\w*|torsdag\w*|fredag\w*|manantai{_FI_CASES}|tiistai{_FI_CASES}|keskiviikko{_FI_CASES}|"
                rf"torstai{_FI_CASES}|perjantai{_FI_CASES}|mondays?|tuesdays?|wednesdays?|thursdays?|fridays?",
}
# Today and tomorrow, on folded text: nb/nn/da "i dag", "i morgen"; nn/sv "i morgon"; fi "tänään", "huomenna"
# (folded "tanan": fold also turns "aa" into "a", so "maanantai" is "manantai" above).
# ("i morgen" is never the morning in these languages: that is "om morgenen"/"på morgonen"/"aamulla".)
# Spoken and dialect forms typed on a phone: "i kveld", "i morra", "imorn", "i mårå" (folded "i mara").
_RELATIVE = {
    0: r"i ?dag|i ?kveld|tanan|today|tonight",
    1: r"i ?morgen|i ?morgon|i ?morra|i ?morn|i ?mara|huomenna|tomorrow",
}
# What may stand beside the day in a follow-up that asks only about the day ("og i morra?", "på lørdag da?",
# "what about tomorrow?"), on folded text.
_DAY_FILLER = re.compile(r"\b(?:og|and|hva med|kva med|ka med|what about|how about|men|but|sa|da|then|pa|om|on|at|"
                         r"in|er det|is it|open|apent|ope|apen|enn|ogsa|also)\b")


def days_named(text: str, today: date | None = None) -> list[str]:
    """The kinds of day (DAY_KINDS) that ``text`` names, in that order; the weekend is both days. "today" and
    "tomorrow" count only with ``today`` (the municipality's date: local_today)."""
    words = fold(text or "")
    found = {day for day, pattern in _NAMES.items() if re.search(rf"\b(?:{pattern})\b", words)}
    if "weekend" in found:
        found = (found - {"weekend"}) | {"saturday", "sunday"}
    if today is not None:
        for offset, pattern in _RELATIVE.items():
            if re.search(rf"\b(?:{pattern})\b", words):
                found.add(kind_of(today + timedelta(days=offset)))
    return [day for day in DAY_KINDS if day in found]


def day_only(text: str, today: date | None = None) -> bool:
    """Whether ``text`` names a day (days_named) and nothing else but a few linking words: "i morra?", "og på
    lørdag da?", "tomorrow?". A follow-up such as this asks the last answer's topic about that day, however the
    classifier reads it ("i morra?" after the library answer was a greeting, 0.64)."""
    if not days_named(text, today):
        return False
    rest = fold(text or "")
    for pattern in [*_NAMES.values(), *_RELATIVE.values()]:
        rest = re.sub(rf"\b(?:{pattern})\b", " ", rest)
    return not re.sub(r"[\W_]+", " ", _DAY_FILLER.sub(" ", rest)).strip()


def kind_of(day: date) -> str:
    """Which of DAY_KINDS a date is (holidays are not known here: the article tells of them)."""
    return {5: "saturday", 6: "sunday"}.get(day.weekday(), "weekdays")


def local_today(settings: dict, now: datetime | None = None) -> date:
    """The date at the municipality (settings "timezone", else DEFAULT_TIMEZONE; an unknown name falls back
    to the default too, and a machine without a time-zone database to UTC). ``now`` is an aware datetime,
    for tests."""
    zone: tzinfo = UTC
    for name in (str((settings or {}).get("timezone") or DEFAULT_TIMEZONE), DEFAULT_TIMEZONE):
        try:
            zone = ZoneInfo(name)
            break
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return (now.astimezone(zone) if now is not None else datetime.now(zone)).date()


def hours_on(intent: str, day: str, hours: dict) -> str:
    """The topic's opening hours on that kind of day from the settings' "hours", or "" (the topic keeps no
    hours per day, or none for that day: a day without a value is not said to be closed)."""
    prefix = DAY_HOURS.get(intent)
    if not prefix or day not in DAY_KINDS:
        return ""
    value = (hours or {}).get(f"{prefix}_{day}") or ""
    if not value and day in ("saturday", "sunday"):
        value = (hours or {}).get(f"{prefix}_weekend") or ""
    return str(value).strip()


def hours_table(settings: dict) -> dict:
    """The settings' opening hours per day for :func:`hours_on`: "hours", and the values kept elsewhere in the
    settings that the articles show as one kind of day's hours (_OUTSIDE_HOURS), unless "hours" has its own."""
    table = dict((settings or {}).get("hours") or {})
    for key, setting in _OUTSIDE_HOURS.items():
        if not table.get(key) and (settings or {}).get(setting):
            table[key] = settings[setting]
    return table
