"""Street lookup in the school-district table (kb.places.find_street): the longest street the message names,
spelled as in the table, found through the index of the streets' first words."""

import pytest

from kb.places import find_street, names_a_street

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
    ("vi bor i Storgatehagen", ""),                         # whole words only
    ("vi bor i Storgaten", "Storgate"),                     # the definite form is the same street
    ("lillevegen 4", "Lillevegen"),
    ("lilleveien 4", "Lillevegen"),                         # bokmål for the nynorsk name
    ("asvegen", "Åsveien"),                                 # and the other way round
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


# Written for the demo table's nynorsk names as residents type them in bokmål, definite or not (exploratory
# conversations: "storgaten" and "liaveien" after "which street?" were handed to a caseworker).
DEMO = [{"school": "Fjordvik barneskule", "streets": ["Storgata", "Kyrkjevegen", "Skulegata", "Sjukeheimsvegen"]},
        {"school": "Lia skule", "streets": ["Liavegen", "Myrvegen", "Lia terrasse"]}]


@pytest.mark.parametrize("text, street", [
    ("storgaten", "Storgata"),
    ("Storgate 5", "Storgata"),
    ("liaveien", "Liavegen"),
    ("vi bor i Myrveien 12", "Myrvegen"),
    ("Kirkeveien 4", "Kyrkjevegen"),
    ("skolegata", "Skulegata"),
    ("sykehjemsveien 3", "Sjukeheimsvegen"),
    ("Lia terrasse", "Lia terrasse"),
    ("hvilken gate hører til skolen?", ""),
    ("veien vår er ikke brøytet", ""),
])
def test_bokmal_and_definite_forms_of_the_tables_nynorsk_streets(text, street):
    assert find_street(text, DEMO) == street


@pytest.mark.parametrize("text, named", [
    ("Bakkevegen", True),
    ("vi bor i Elvegata", True),
    ("Granstien 4", True),
    ("me bur på Solbakken", True),
    ("når blir veien brøytet", False),
    ("veien", False),
    ("ok", False),
    ("hva koster sfo", False),
])
def test_a_short_answer_naming_a_street_the_table_may_not_know(text, named):
    assert names_a_street(text) is named


@pytest.mark.parametrize("text, lives", [
    ("bor i sjøbuvegen", True),
    ("vi bor i <ADDRESS>", True),
    ("I live on Storgata 5", True),
    ("me bur på Solbakken", True),
    ("bor i kommunal bolig", False),  # a question about housing may follow
    ("jeg bor alene", False),
    ("vi bor i Bakkevegen og trenger hjelp", False),
    ("hvordan søker jeg kommunal bolig", False),
])
def test_a_clause_that_only_says_where_one_lives(text, lives):
    from kb.places import says_where_one_lives

    assert says_where_one_lives(text) is lives
