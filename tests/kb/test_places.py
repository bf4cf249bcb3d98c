"""Street lookup in the school-district table (kb.places.find_street): the longest street the message names,
spelled as in the table, found through the index of the streets' first words."""

import pytest

from kb.places import find_street

DISTRICTS = [
    {"school": "Nordre skole", "streets": ["Lia", "Lia terrasse", "Nedre Storgate", "Storgate"]},
    {"school": "Søndre skole", "streets": ["Storgate nord", "St. Olavs gate", "Åsveien", "Lillevegen"]},
]


@pytest.mark.parametrize("text, street", [
    ("vi bor i Lia terrasse 4", "Lia terrasse"),            # the longest name wins over its prefix "Lia"
    ("vi bor i Lia 4", "Lia"),
    ("adressa er nedre storgate 12", "Nedre Storgate"),     # not "Storgate": a longer name matches
    ("Storgate nord 3, hvilken skole?", "Storgate nord"),    # longest across districts
    ("St. Olavs gate 9", "St. Olavs gate"),
    ("vi har flyttet til Aasveien", "Åsveien"),             # folded spelling
    ("vi bor i Storgaten", ""),                             # whole words only
    ("Lillevegen og Lia", "Lillevegen"),                    # two streets: the longer name
    ("", ""),
    ("ingen gate her", ""),
])
def test_find_street(text, street):
    assert find_street(text, DISTRICTS) == street


def test_equally_long_names_keep_table_order_and_empty_tables_match_nothing():
    districts = [{"streets": ["Berg", "Bakk"]}]
    assert find_street("Bakk eller Berg?", districts) == "Berg"
    assert find_street("Berg", []) == find_street("Berg", [{"school": "X"}]) == ""
