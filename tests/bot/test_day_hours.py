"""bot.day_hours: which days a question names and the hours the settings keep for them (tables, no database).
The dialogue's use of them: tests/bot/test_dialogue.py; through the real stack: test_direct_day_hours_rasa.py."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.day_hours import days_named, hours_on, hours_table, kind_of, local_today

MONDAY, FRIDAY, SATURDAY = date(2026, 12, 7), date(2026, 12, 11), date(2026, 12, 12)


@pytest.mark.parametrize(("text", "days"), [
    # the six languages, their inflections
    ("Når er svømmehallen åpen på søndag?", ["sunday"]),
    ("Har biblioteket åpent på lørdag?", ["saturday"]),
    ("Kva tid er biblioteket ope på laurdagar?", ["saturday"]),
    ("Er symjehallen open på sundag?", ["sunday"]),
    ("Har biblioteket öppet på söndagar?", ["sunday"]),
    ("Hvornår har genbrugsstationen åbent om lørdagen?", ["saturday"]),
    ("Onko kirjasto auki lauantaina?", ["saturday"]),
    ("Onko uimahalli auki sunnuntaisin?", ["sunday"]),
    ("Is the recycling station open on Saturday?", ["saturday"]),
    ("Is the pool open on Sundays?", ["sunday"]),
    # without æøå, as typed on a foreign keyboard
    ("har biblioteket apent pa lordag", ["saturday"]),
    # the weekend is both days
    ("Er svømmehallen åpen i helgen?", ["saturday", "sunday"]),
    ("Är biblioteket öppet i helgen?", ["saturday", "sunday"]),
    ("Har genbrugspladsen åbent i weekenden?", ["saturday", "sunday"]),
    ("Onko kirjasto auki viikonloppuna?", ["saturday", "sunday"]),
    ("Is the library open at the weekend?", ["saturday", "sunday"]),
    # a weekday is a weekday
    ("Er biblioteket åpent på mandag?", ["weekdays"]),
    ("Har simhallen öppet på onsdagar?", ["weekdays"]),
    ("Onko kirjasto auki maanantaina?", ["weekdays"]),
    ("Onko kierrätysasema auki arkisin?", ["weekdays"]),
    ("Is the library open on weekdays?", ["weekdays"]),
    ("Er biblioteket åpent fredag og lørdag?", ["weekdays", "saturday"]),
    # no day
    ("Når er biblioteket åpent?", []),
    ("Har biblioteket et arkiv over lokalaviser?", []),  # "arki..." is no Finnish weekday here
    ("I sat in the library all day", []),  # "sat" is no Saturday
    ("Har biblioteket åpent på helgdagar?", []),  # Swedish public holidays, not the weekend
    ("Får jeg hverdagsrehabilitering?", []),
    ("Hva er søndagsåpent?", ["sunday"]),  # a compound with the day is still the day
])
def test_days_named(text, days):
    assert days_named(text) == days


@pytest.mark.parametrize(("text", "today", "days"), [
    ("Er biblioteket åpent i dag?", MONDAY, ["weekdays"]),
    ("Er biblioteket åpent i dag?", SATURDAY, ["saturday"]),
    ("Er svømmehallen åpen i morgen?", FRIDAY, ["saturday"]),
    ("Er svømmehallen åpen i morgen?", SATURDAY, ["sunday"]),
    ("Er symjehallen open i morgon?", SATURDAY, ["sunday"]),
    ("Har biblioteket öppet idag?", SATURDAY, ["saturday"]),
    ("Har genbrugsstationen åbent i morgen?", MONDAY, ["weekdays"]),
    ("Onko kirjasto auki tänään?", SATURDAY, ["saturday"]),
    ("Onko uimahalli auki huomenna?", SATURDAY, ["sunday"]),
    ("Is the recycling station open today?", SATURDAY, ["saturday"]),
    ("Is the pool open tomorrow?", SATURDAY, ["sunday"]),
    ("Er biblioteket åpent i dagene før jul?", SATURDAY, []),  # "i dagene" is not today
])
def test_today_and_tomorrow_are_the_municipalitys_days(text, today, days):
    assert days_named(text, today) == days
    assert days_named(text) == []  # without the municipality's date they are no day


@pytest.mark.parametrize(("day", "kind"), [(MONDAY, "weekdays"), (FRIDAY, "weekdays"), (SATURDAY, "saturday"),
                                           (date(2026, 12, 13), "sunday")])
def test_kind_of(day, kind):
    assert kind_of(day) == kind


@pytest.mark.parametrize(("settings", "now", "today"), [
    ({}, datetime(2026, 12, 11, 23, 30, tzinfo=UTC), SATURDAY),  # 00:30 on Saturday in Oslo
    ({"timezone": "Europe/Helsinki"}, datetime(2026, 12, 11, 22, 30, tzinfo=UTC), SATURDAY),
    ({"timezone": "Europe/Stockholm"}, datetime(2026, 12, 11, 22, 30, tzinfo=UTC), FRIDAY),
    ({"timezone": "Atlantic/Reykjavik"}, datetime(2026, 12, 11, 23, 30, tzinfo=UTC), FRIDAY),
    ({"timezone": "Not/AZone"}, datetime(2026, 12, 11, 23, 30, tzinfo=UTC), SATURDAY),  # the default
    ({"timezone": "../../etc/passwd"}, datetime(2026, 12, 11, 23, 30, tzinfo=UTC), SATURDAY),
])
def test_local_today(settings, now, today):
    assert local_today(settings, now) == today


HOURS = {"library_weekdays": "10:00–19:00", "library_saturday": "10:00–15:00",
         "swimming_pool_weekdays": "06:30–21:00", "swimming_pool_weekend": "10:00–17:00",
         "recycling_station_saturday": "09:00–14:00", "recycling_station_sunday": "  "}


@pytest.mark.parametrize(("intent", "day", "hours"), [
    ("library", "weekdays", "10:00–19:00"),
    ("library", "saturday", "10:00–15:00"),
    ("library", "sunday", ""),  # no value: not said to be closed
    ("swimming_sports", "saturday", "10:00–17:00"),  # the weekend's value for both days
    ("swimming_sports", "sunday", "10:00–17:00"),
    ("swimming_sports", "weekdays", "06:30–21:00"),
    ("recycling_station", "sunday", ""),  # blank
    ("recycling_station", "weekdays", ""),
    ("kindergarten_fees", "saturday", ""),  # no hours per day
    ("library", "weekend", ""),  # not a kind of day
])
def test_hours_on(intent, day, hours):
    assert hours_on(intent, day, HOURS) == hours


@pytest.mark.parametrize(("text", "days", "only"), [
    ("i morra?", ["saturday"], True),  # on a Friday
    ("imorn", ["saturday"], True),
    ("og i mårå då?", ["saturday"], True),
    ("er det åpent i kveld?", ["weekdays"], True),
    ("what about tomorrow", ["saturday"], True),
    ("på lørdag?", ["saturday"], True),
    ("kan jeg låne bøker i morra", ["saturday"], False),  # asks more than the day
    ("hva koster det i morgen", ["saturday"], False),
    ("og for barn?", [], False),
])
def test_spoken_day_words_and_a_day_alone(text, days, only):
    from bot.day_hours import day_only

    assert days_named(text, FRIDAY) == days
    assert day_only(text, FRIDAY) is only

@pytest.mark.parametrize(("settings", "day", "hours"), [
    # the service desk's hours are kept as "service_desk_hours", shown as Monday-Friday in the article
    ({"service_desk_hours": "08:00–15:30"}, "weekdays", "08:00–15:30"),
    ({"service_desk_hours": "08:00–15:30"}, "saturday", ""),  # no value: not said to be closed
    ({"service_desk_hours": "08:00–15:30", "hours": {"service_desk_weekdays": "09:00–15:00",
                                                     "service_desk_saturday": "10:00–13:00"}}, "weekdays",
     "09:00–15:00"),  # "hours" has its own
    ({"service_desk_hours": "08:00–15:30", "hours": {"service_desk_saturday": "10:00–13:00"}}, "saturday",
     "10:00–13:00"),
    ({}, "weekdays", ""),
    ({"hours": {"library_weekdays": "10:00–19:00"}}, "weekdays", ""),
])
def test_the_service_desks_hours_per_day(settings, day, hours):
    assert hours_on("contact_opening_hours", day, hours_table(settings)) == hours


def test_hours_table_keeps_the_hours_setting():
    assert hours_table({"hours": HOURS}) == HOURS
    assert hours_table({"hours": HOURS, "service_desk_hours": "08:00–15:30"}) == {
        **HOURS, "service_desk_weekdays": "08:00–15:30"}
