"""Personal data inside links (privacy.links): a link's query values, path segments, fragment and the
address of a mailto:/tel: link are read decoded by the recognizers, and a value with personal data is
replaced where it is written (still encoded), so the link's scheme, host, path and parameter names
stay readable. Links without personal data are kept exactly as written. IDs are synthetic
(tests/privacy/synthetic.py), not real people."""

from __future__ import annotations

import random

import pytest

from tests.privacy import synthetic as syn

RNG = random.Random(20261207)
FNR = syn.no_fnr(RNG)
PNR = syn.se_pnr(RNG)
CPR = syn.dk_cpr(RNG)
HETU = syn.fi_hetu(RNG, "-")

# (lang, message, the message as stored)
IN_LINKS = [
    ("nb", f"Se https://kommune.example/sak?navn=Kari+Nordmann&fnr={FNR} takk",
     "Se https://kommune.example/sak?navn=<PERSON>&fnr=<NATIONAL_ID> takk"),
    ("nb", "Lenken: https://kommune.example/skjema?email=kari%40example.org&lang=nb",
     "Lenken: https://kommune.example/skjema?email=<EMAIL>&lang=nb"),
    ("nb", "Skjemaet https://kommune.example/kontakt?tlf=91234567 virker ikke.",
     "Skjemaet https://kommune.example/kontakt?tlf=<PHONE> virker ikke."),
    ("nb", "Siden https://kommune.example/person/kari-nordmann/ er feil.",
     "Siden https://kommune.example/person/<PERSON>/ er feil."),
    ("nb", "Skriv til mailto:kari.nordmann@example.org eller ring tel:+4791234567.",
     "Skriv til mailto:<EMAIL> eller ring tel:<PHONE>."),
    ("nn", "Sjå https://kommune.example/sak?namn=Ola%20Nordmann&tlf=%2B47%20912%2034%20567",
     "Sjå https://kommune.example/sak?namn=<PERSON>&tlf=<PHONE>"),
    ("sv", f"Se https://kommun.example/arende?namn=Anna+Svensson&pnr={PNR}",
     "Se https://kommun.example/arende?namn=<PERSON>&pnr=<NATIONAL_ID>"),
    ("sv", "Mejla mig: mailto:anna.svensson%40example.se?subject=Bygglov",
     "Mejla mig: mailto:<EMAIL>?subject=Bygglov"),
    ("da", f"Linket https://kommune.example/borger?cpr={CPR}&tlf=20123456 virker ikke",
     "Linket https://kommune.example/borger?cpr=<NATIONAL_ID>&tlf=<PHONE> virker ikke"),
    ("fi", f"Katso https://kunta.example/asia?nimi=Matti+Virtanen&hetu={HETU}",
     "Katso https://kunta.example/asia?nimi=<PERSON>&hetu=<NATIONAL_ID>"),
    ("fi", "Soita tel:0401234567 kiitos", "Soita tel:<PHONE> kiitos"),
    ("en", "The form https://council.example/case?name=John+Smith&email=john.smith%40gmail.com fails",
     "The form https://council.example/case?name=<PERSON>&email=<EMAIL> fails"),
]


@pytest.mark.parametrize("lang,text,stored", IN_LINKS)
def test_personal_data_in_a_link_is_redacted_and_the_link_stays_readable(redactor, lang, text, stored):
    assert redactor.redact(text, lang).text == stored


# Links that carry no personal data are kept as written. (lang, message)
PLAIN_LINKS = [
    ("nb", "Se https://www.fjordvik.kommune.no/tjenester/renovasjon-og-avfall/tommekalender?lang=nb&id=123#hentedager"),
    ("nb", "Møtet står på https://kommune.example/politikk/kommunestyret/moter/2024-05-12 i kalenderen."),
    ("nb", "Jeg fant https://kommune.example/sok?q=barnehageplass&side=2 men ingen svar."),
    ("nn", "Sjå https://kommune.example/tenester/barnehage/opptak?id=123 takk"),
    ("sv", "Läs https://kommun.example/bo-och-leva/forskola/ansokan?lang=sv innan ni svarar."),
    ("da", "Se https://kommune.example/borger/affald-og-genbrug/storskrald#tider tak"),
    ("fi", "Katso https://kunta.example/palvelut/asuminen/rakennusvalvonta?sivu=3 kiitos"),
    ("en", "See https://council.example/en/services/bins?page=2&sort=date for the calendar."),
    ("en", "The PDF www.council.example/planning/application-form.pdf does not open."),
]


@pytest.mark.parametrize("lang,text", PLAIN_LINKS)
def test_a_link_without_personal_data_stays_as_written(redactor, lang, text):
    assert redactor.redact(text, lang).text == text
