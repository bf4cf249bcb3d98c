"""Table-driven tests for two redaction faults with foreign phrases inside a Nordic mail (Dec 2026):
the town of an English address was taken for a PERSON ("..., Springfield, IL ..."), and a German
relation phrase was redacted whole ("Mein Sohn <name>" -> one PERSON over all three words). Each table
names the rule; all names and addresses are invented."""

from __future__ import annotations

import pytest


def labelled(found, text, lang, label):
    return [v for v, lab in found(text, lang) if lab == label]


# ------------------------------------------------------------------ English street line + town
# ADDRESS (TOWN_AFTER_ENGLISH_STREET): a number-first English street goes on over ", Town" and a state +
# ZIP code or a UK postcode. (lang, text, the whole address)
ENGLISH_ADDRESS_WITH_TOWN = [
    ("nb", "Datteren min studerer i USA og bor på 118 Birch Lane, Maplewood, NJ 07040 til sommeren.",
     "118 Birch Lane, Maplewood, NJ 07040"),
    ("nb", "Send brevet til 9 Cedar Road, Ashbourne før fristen.", "9 Cedar Road, Ashbourne"),
    ("nn", "Adressa hans no er 31 Willow Street, Riverton, og han kjem heim i juli.", "31 Willow Street, Riverton"),
    ("sv", "Min son bor på 7 Hawthorn Avenue, Greenfield, MA 01301 sedan i höstas.",
     "7 Hawthorn Avenue, Greenfield, MA 01301"),
    ("da", "Vores datter har adressen 64 Quarry Lane, Thornbury, BS35 2AB i et år.",
     "64 Quarry Lane, Thornbury, BS35 2AB"),
    ("en", "Please post the form to 250 Orchard Drive, Fairview Heights, IL 62208.",
     "250 Orchard Drive, Fairview Heights, IL 62208"),
]


@pytest.mark.parametrize("lang,text,address", ENGLISH_ADDRESS_WITH_TOWN)
def test_town_after_an_english_street_is_part_of_the_address(found, lang, text, address):
    assert labelled(found, text, lang, "ADDRESS") == [address], found(text, lang)
    assert labelled(found, text, lang, "PERSON") == [], found(text, lang)


# a listed first name or a function word after the comma is not a town: the street ends before it
ENGLISH_STREET_THEN_NO_TOWN = [
    ("en", "I live at 14 Larch Street, Emma lives next door.", "14 Larch Street", ["Emma"]),
    ("en", "We moved to 3 Pine Road, but the post still goes to the old house.", "3 Pine Road", []),
    ("nb", "Han bor på 5 Ash Lane, og Kari bor like ved.", "5 Ash Lane", ["Kari"]),
]


@pytest.mark.parametrize("lang,text,address,names", ENGLISH_STREET_THEN_NO_TOWN)
def test_a_name_or_word_after_the_street_is_not_taken_as_town(found, lang, text, address, names):
    assert labelled(found, text, lang, "ADDRESS") == [address], found(text, lang)
    assert labelled(found, text, lang, "PERSON") == names, found(text, lang)


# ------------------------------------------------------------------ German relation phrases
# PERSON: German possessives and relation nouns are no part of a name (not_names.txt, the German
# relation cues, a capitalised word after "mein/unser ..." is a noun); the name after them is still found.
# (lang, text, the names)
GERMAN_RELATION = [
    ("nb", "Vi har flyttet fra Hamburg. Meine Tochter Frieda braucht einen Kindergartenplatz.", ["Frieda"]),
    ("nb", "Unser Sohn Jonas Weber geht in die vierte Klasse.", ["Jonas Weber"]),
    ("sv", "Vi är en tysk familj. Mein Mann Tobias arbeitet im Krankenhaus.", ["Tobias"]),
    ("da", "Min nabo skrev: meine Mutter Helga ist krank.", ["Helga"]),
    ("en", "My neighbour wrote in German: Mein Bruder Felix wohnt bei uns.", ["Felix"]),
]


@pytest.mark.parametrize("lang,text,names", GERMAN_RELATION)
def test_german_relation_words_are_not_part_of_the_name(found, lang, text, names):
    assert labelled(found, text, lang, "PERSON") == names, found(text, lang)


# ------------------------------------------------------------------ English towns that are also names
# A town that is a listed first name ("Austin", "Jackson") is a place before a state and ZIP code (ADDRESS:
# the whole street line with its town) or before its US state / Canadian province (no entity: a town alone
# identifies no one). It was <PERSON> in mail signatures and background sentences. A name before a state
# that is also a first name (Georgia, Virginia) or a full name before a state stays a name.
# (lang, text, addresses, persons)
TOWN_THAT_IS_A_NAME = [
    ("en", "Best regards,\nJohn Miller\n1200 Congress Avenue, Austin, TX 78701\nPhone: +1 512 555 0143",
     ["1200 Congress Avenue, Austin, TX 78701"], ["John Miller"]),
    ("nb", "Sønnen min bor nå på 45 Lamar Street, Jackson, MS 39201 og kommer hjem i juni.",
     ["45 Lamar Street, Jackson, MS 39201"], []),
    ("en", "We moved here from Austin, Texas last year with our two children.", [], []),
    ("nb", "Vi flyttet hit fra Austin, Texas i fjor, og lurer på hvordan vi søker om barnehageplass.", [], []),
    ("sv", "Vi bodde tidigare i Jackson, Mississippi och flyttade hit i maj.", [], []),
    ("en", "Kind regards\nHenry Cole\nAustin, TX 78701", [], ["Henry Cole"]),
    ("en", "We talked with Austin, Georgia and Liam at the library.", [], ["Austin", "Georgia", "Liam"]),
    ("en", "Regards,\nSarah Miller, Texas", [], ["Sarah Miller"]),
    ("da", "Min bror Austin bor i Dallas, Texas.", [], ["Austin"]),
]


@pytest.mark.parametrize("lang,text,addresses,persons", TOWN_THAT_IS_A_NAME)
def test_an_english_town_that_is_also_a_name_is_a_place(found, lang, text, addresses, persons):
    assert labelled(found, text, lang, "ADDRESS") == addresses, found(text, lang)
    assert labelled(found, text, lang, "PERSON") == persons, found(text, lang)


# ------------------------------------------------------------------ surnames that are towns; signature blocks
# PERSON: a listed town right after a first name on the same line is the surname ("Anders Lund", "Kari Voss",
# "Birgitta Lund" in a forwarded header): the name ended before it and the surname stayed in the redacted mail.
# ADDRESS: a street name's words stand on one line, so a sign-off and the name above a street line are not
# part of the address ("Mvh\nRune Solberg\nStorgata 14, 8006 Bodø" was one ADDRESS from "Mvh" on).
# (lang, text, persons, addresses)
SURNAME_TOWN_AND_SIGNATURE = [
    ("da", "Hej\n\nHvornår har biblioteket åbent?\n\nHilsen\nAnders Lund", ["Anders Lund"], []),
    ("sv", "Från: Birgitta Lund <birgitta.lund@post.example>\nÄmne: Hemtjänst", ["Birgitta Lund"], []),
    ("nb", "Hei, jeg heter Kari Voss og bor i Voss.", ["Kari Voss"], []),
    ("nb", "Mvh Ole Moss", ["Ole Moss"], []),
    ("nn", "Mor mi, Liv Lund, bur i Lund.", ["Liv Lund"], []),
    ("nb", "Vi reiste med Anna til Oslo i går.", ["Anna"], []),                 # a town after "til" stays a town
    ("nb", "Hilsen Kari, Oslo", ["Kari"], []),
    ("nb", "Mvh\nRune Solberg\nStorgata 14, 8006 Bodø", ["Rune Solberg"], ["Storgata 14, 8006 Bodø"]),
    ("sv", "Mvh\nLars Berg\nStorgatan 12, 111 22 Stockholm", ["Lars Berg"], ["Storgatan 12, 111 22 Stockholm"]),
    ("nb", "Jeg bor i Nedre Storgate 5, 0155 Oslo.", [], ["Nedre Storgate 5, 0155 Oslo"]),
    ("nb", "Adresse: Kongens Gate 12\n0153 Oslo", [], ["Kongens Gate 12\n0153 Oslo"]),
]


@pytest.mark.parametrize("lang,text,persons,addresses", SURNAME_TOWN_AND_SIGNATURE)
def test_a_town_after_a_first_name_is_a_surname_and_a_signature_is_no_address(found, lang, text, persons, addresses):
    assert labelled(found, text, lang, "PERSON") == persons, found(text, lang)
    assert labelled(found, text, lang, "ADDRESS") == addresses, found(text, lang)


# ------------------------------------------------------------------ e-mail addresses spelled out
# EMAIL: an address written so that it is not a link ("kari punktum nordmann snabel-a epost punktum no") stayed
# in the redacted mail. A spelled "@" and a dot before a listed top-level domain are needed; a bare "at" needs
# a spelled dot too ("bought it at Amazon.com" is no address); role addresses of public bodies are kept.
# (lang, text, the addresses)
SPELLED_EMAILS = [
    ("nb", "Kan du sende svaret til kari punktum nordmann snabel-a epost punktum no?",
     ["kari punktum nordmann snabel-a epost punktum no"]),
    ("nb", "Svar gjerne til ola punktum hansen krøllalfa gmail punktum com", ["ola punktum hansen krøllalfa gmail punktum com"]),
    ("sv", "Skicka till anna(at)post.se tack", ["anna(at)post.se"]),
    ("fi", "Lähetä osoitteeseen matti piste virtanen miukumauku posti piste fi", ["matti piste virtanen miukumauku posti piste fi"]),
    ("en", "Write to john dot smith at mail dot com please.", ["john dot smith at mail dot com"]),
    ("en", "I bought it at Amazon.com yesterday.", []),
    ("nb", "Skriv til postmottak snabel-a fjordvik punktum no", []),
]


@pytest.mark.parametrize("lang,text,addresses", SPELLED_EMAILS)
def test_a_spelled_out_email_address_is_an_email(found, lang, text, addresses):
    assert labelled(found, text, lang, "EMAIL") == addresses, found(text, lang)


# ------------------------------------------------------------------ phone and account shapes from mails
# PHONE: a Danish or Norwegian number written 4+4 after a phone cue and starting like a year ("Ring på 2012
# 3456") was taken for a year and a number; without a cue such a pair still is one. BANK_ACCOUNT: Swedbank's
# clearing number with a comma before the account, or the grouped ten-digit account alone after its cue.
# (lang, text, label, values)
NUMBER_SHAPES = [
    ("da", "Hvem kontakter jeg? Ring på 2012 3456.", "PHONE", ["2012 3456"]),
    ("nb", "Min telefon er 2012 3456.", "PHONE", ["2012 3456"]),
    ("nb", "Sak 2023 1234 gjelder meg.", "PHONE", []),
    ("nb", "Saken fra 2023 12 er lukket.", "PHONE", []),
    ("sv", "Mitt kontonummer är 8327-9, 123 456 789-0 (Swedbank).", "BANK_ACCOUNT", ["8327-9, 123 456 789-0"]),
    ("sv", "Clearingnummer 8327-9, kontonummer 123 456 789-0", "BANK_ACCOUNT", ["123 456 789-0"]),
    ("sv", "Ärendenummer 123 456 789-0 gäller bygglov.", "BANK_ACCOUNT", []),
]


@pytest.mark.parametrize("lang,text,label,values", NUMBER_SHAPES)
def test_phone_and_account_shapes_written_in_mails(found, lang, text, label, values):
    assert labelled(found, text, lang, label) == values, found(text, lang)
