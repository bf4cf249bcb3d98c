"""Home help / home care named in a routed mail sends the case to health care, in all six languages.

The model reads "my home help has not come" as the sender's own case (right: a person must look);
the department then comes from the service the mail names (mail.vocabulary), not from the service
desk's catch-all. Real parser, real redactor, the trained model."""

from __future__ import annotations

import pytest

from tests.mail.conftest import build

MAILS = {
    "nb": ("Hjemmehjelp", "Hei. Mor på 88 har fått praktisk bistand hver fredag siden i fjor. De tre siste fredagene "
           "har ingen dukket opp, og hun får ikke tak i noen på telefon. Hva skjer?"),
    "nb-2": ("Spørsmål", "Hjemmetjenesten kom ikke til far i går kveld, og han fikk ikke medisinene sine. "
             "Dette må noen se på."),
    "nn": ("Heimehjelp", "Eg har vedtak om heimehjelp, men det er berre kome nokon ein gong denne månaden. "
           "Kven kan eg snakke med om dette?"),
    "sv": ("Hemtjänst", "Hej! Min pappa har hemtjänst två gånger om dagen. I förrgår kom ingen alls och han "
           "låg kvar i sängen till lunch. Jag vill att någon ringer mig."),
    "da": ("Hjemmehjælp", "Min mor har fået bevilget praktisk hjælp til rengøring, men hjemmehjælperen er ikke "
           "kommet de sidste to gange. Hvem kan jeg klage til?"),
    "fi": ("Kotihoito", "Hei. Isäni kotihoidon käynnit ovat jääneet pois jo viikon ajan, eikä kukaan ole "
           "ilmoittanut syytä. Pyydän, että joku ottaa minuun yhteyttä."),
    "en": ("Home care", "Hello, my aunt has had home care visits every morning since her fall, but this week "
           "nobody turned up on three days. I want someone to look into this."),
}


@pytest.fixture(scope="module")
def decisions(model_available):
    from mail.nlu import load_nlu
    from mail.parse import read_mail
    from mail.triage import MailSettings, triage_many

    mails = [read_mail(build(body, subject)) for subject, body in MAILS.values()]
    return dict(zip(MAILS, triage_many(mails, load_nlu(), MailSettings()), strict=True))


@pytest.mark.parametrize("key", list(MAILS))
def test_home_care_complaint_goes_to_health_care(decisions, key):
    d = decisions[key]
    assert d.action == "route", d.reason
    assert d.department == "health_care", d.reason
    assert "home_care_services" in d.intents


@pytest.mark.parametrize("text", [
    "praktisk bistand", "hjemmehjelpen", "hjemmetjenesten", "heimehjelp", "heimetenesta", "hemtjänsten",
    "hemhjälp", "hjemmehjælpen", "praktisk hjælp", "kotihoidon", "kotiapua", "home help", "home care",
])
def test_service_names_in_every_language(text):
    from mail.vocabulary import topics_named

    assert topics_named(f"Det gjelder {text} for min mor.") == ["home_care_services"]


@pytest.mark.parametrize("text", [
    "Jeg trenger praktisk hjelp til å fylle ut skjemaet.", "Kan jag få praktisk hjälp med ansökan?",
    "We need practical help with the form.", "Hjemmesiden deres virker ikke.", "Careful with the home page.",
    "Kotisivu ei toimi.",
])
def test_no_service_named_in_other_help(text):
    from mail.vocabulary import topics_named

    assert topics_named(text) == []
