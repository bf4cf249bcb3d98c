"""bot.price_passage: the paragraph of an article that answers a question about the price."""

from __future__ import annotations

import pytest

from bot.price_passage import names_price, price_passage

LIBRARY_SV = """**Bemannade öppettider:**

- måndag–fredag 10:00–19:00
- lördag 10:00–15:00

Med **meröppet bibliotek** kan du låna 07:00–22:00 varje dag.

**Lånekortet är gratis.** Du får det i lånedisken.

Frågor: Kultur och fritid, +47 55 50 40 00."""

SFO_DA = """SFO er pasning før og efter skoletid.

**Pris pr. måned:**

- fuld plads: 3 150 kr
- deltidsplads: 2 050 kr

Søg på nettet."""

WASTE_NB = """Hentedagene finner du i tømmekalenderen.

Er dunken ikke tømt, melder du fra. Gebyret for et vanlig abonnement er 4 250 kr i året."""


@pytest.mark.parametrize(("question", "body", "lang", "where", "start"), [
    ("Är biblioteket gratis?", LIBRARY_SV, "sv", 3, "**Lånekortet är gratis.**"),
    ("Kostar lånekortet något?", LIBRARY_SV, "sv", 3, "**Lånekortet är gratis.**"),
    ("onko se ilmainen?", LIBRARY_SV, "sv", 3, "**Lånekortet"),  # the question's words in any language
    ("Is it free?", LIBRARY_SV, "sv", 3, "**Lånekortet"),
    ("hvad koster det?", SFO_DA, "da", 1, "**Pris pr. måned:**\n\n- fuld plads: 3 150 kr"),  # heading + its list
    ("hva koster det?", WASTE_NB, "nb", 1, "Er dunken ikke tømt"),  # a fee, not a price word
    ("Når er biblioteket åpent?", LIBRARY_SV, "sv", -1, ""),  # asks no price
    ("Är det gratis?", "Hentedagene finner du i kalenderen.", "nb", -1, ""),  # the article names none
    ("Är det gratis?", "", "sv", -1, ""),
])
def test_price_passage(question, body, lang, where, start):
    found, passage = price_passage(question, body, lang)
    assert found == where and passage.startswith(start), (found, passage)


@pytest.mark.parametrize(("text", "named"), [
    ("Är biblioteket gratis?", True), ("Hvad koster en parkeringstilladelse?", True),
    ("Onko kirjastokortti maksuton?", True),
    # "maksaa" is also "to pay": a price with "how much" or "what" only
    ("Paljonko pysäköintilupa maksaa?", True), ("Mitä kotihoito maksaa?", True), ("maksaako se paljonko", True),
    ("Kuinka paljon SFO maksaa kuukaudessa?", True), ("Miten voin maksaa laskun?", False),
    ("Voinko maksaa kortilla?", False),
    ("Foreldrebetaling i barnehage og redusert pris", True), ("Biblioteket – öppettider och lånekort", False),
    ("", False),
])
def test_names_price(text, named):
    assert names_price(text) is named
