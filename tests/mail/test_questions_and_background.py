"""Resident mail found misread in the exploratory test (Dec 2026): a question written without "?"
("lurer på når biblioteket åpner") was read as a statement, and a background sentence ("Vi har nettopp
flyttet til kommunen.", personal_case 0.64) routed a plain question to a caseworker. The examples are
others than the ones the faults were found with; all synthetic."""

from __future__ import annotations

import pytest

from mail.classify import is_question
from tests.mail.conftest import build

# ------------------------------------------------------------------ questions without "?"
QUESTIONS = [
    "hei. lurer på når biblioteket åpner",                   # indirect, nb
    "vi lurer på om svømmehallen har åpent i påsken",
    "lurar på kva det kostar å få tømt slamtanken",          # nn
    "undrar hur man ansöker om bygglov för en altan",        # sv
    "jeg vil gerne vide hvornår genbrugspladsen åbner",      # da
    "I was wondering how to apply for a parking permit",     # en
    "I would like to know when the pool opens",
    "haluaisin tietää milloin kirjasto aukeaa",              # fi
    "kan dere si meg når søppelet hentes",
    "når åpner biblioteket",                                 # direct, no mark
    "hva koster sfo for to barn",
    "kan man parkere ved rådhuset i helgene",
    "Is there a fee for the recycling station",
    "Når er det påmeldingsfrist?",                           # with the mark, as before
    # not knowing how: an indirect question ("don't" had no word boundary before "n't")
    "I don't know how to register for the swimming course",
    "we dont know where to hand in the form",
    "jeg vet ikke hvordan man søker om skoleskyss",
    "eg veit ikkje kvar ein leverer hageavfall",
    "jag vet inte hur man bokar tid på återvinningscentralen",
    "jeg ved ikke hvornår man skal søge om fritidshjem",
    "en tiedä miten uimahallin kausikortti ostetaan",
    # a when-clause with a noun subject: the main clause after the comma is the question
    "Når skolen har vinterferie, hvem passer barna i SFO-tiden",
    "Når svømmehallen er stengt i august, hvor kan vi trene",
    "När biblioteket stänger för sommaren, var lämnar man tillbaka böcker",
    "Når børnehaven holder lukket, hvor kan børnene passes",
    "When the library is closed for renovation, where can we return books",
    "Kun kirjasto on kiinni, mihin kirjat palautetaan",
    "Når jeg flytter i mars, hvordan melder jeg flytting av søppeldunken",
]
STATEMENTS = [
    "Vi har nettopp flyttet hit fra Tromsø med tre barn.",
    "Når vi kom hjem var postkassen ødelagt.",               # a when-clause, not a question
    "Hvor vi bor er det mye trafikk om morgenen.",
    "Jeg vet ikke hva jeg skal gjøre med dette.",
    "I know when it opens, thanks.",
    "Var det fint på turen i går.",
    "Det er mye søppel i gata vår.",
    "I don't know what to do any more.",                     # helplessness, not a catalogue question
    "Jag vet inte vad jag ska göra.",
    # a when-clause with a noun subject and a statement after it
    "Når skolen har vinterferie, reiser vi til besteforeldrene.",
    "Når svømmehallen åpner igjen, kommer vi tilbake.",      # "åpner" second: still the subject first
    "När biblioteket stänger, går jag hem.",
    "Når børnehaven lukker, henter min mand børnene.",
    "When the library closes, I usually study at home.",
    "Kun kirjasto sulkeutuu, menen kotiin.",
]


@pytest.mark.parametrize("text", QUESTIONS)
def test_a_question_without_its_mark_is_a_question(text):
    assert is_question(text)


@pytest.mark.parametrize("text", STATEMENTS)
def test_a_statement_is_not_a_question(text):
    assert not is_question(text)


# A when-clause whose subject is a name (a placeholder once the mail is redacted) or a family word ending in
# -r like a verb ("mor", "far", "syster"): the main clause decides. The name read as no word at all, so
# "Når <PERSON> kommer hjem fra sykehuset, hvem ..." was a statement; "Når mor kommer hjem, reiser vi bort"
# was read as "når kommer ...", an inverted question. Each text goes through the real redactor first.
WHEN_CLAUSES_AFTER_REDACTION = [
    ("Når Ola kommer hjem fra sykehuset, hvem hjelper ham med medisinene", True),
    ("Når Ola kommer hjem fra sykehuset, reiser vi på hytta", False),
    ("Når mor kommer hjem fra sykehuset, hvem hjelper henne med medisinene", True),
    ("Når mor kommer hjem fra sykehuset, reiser vi bort en uke", False),
    ("Når far kommer hjem, kan han få hjemmehjelp", True),           # inverted main clause, "han" as subject
    ("Når Ingrid byrjar på skulen, kven køyrer ho dit", True),        # nn
    ("Når syster mi byrjar på skulen, flyttar vi", False),
    ("När Anna börjar skolan, vem kör henne dit", True),              # sv
    ("När Anna börjar skolan, flyttar vi till stan", False),
    ("Når Mette starter i skole, hvem henter hende i SFO", True),     # da
    ("When Sarah starts school, who drives her there", True),         # en
    ("When Sarah starts school, we will move closer", False),
    ("Kun Matti pääsee kotiin sairaalasta, kuka auttaa häntä", True),  # fi
]


@pytest.mark.parametrize(("text", "question"), WHEN_CLAUSES_AFTER_REDACTION)
def test_a_when_clause_with_a_name_or_family_word_is_judged_by_its_main_clause(text, question):
    from privacy import redact

    redacted = redact(text).text
    assert redacted != text or " mor " in text or " far " in text or "syster" in text, redacted  # the name went
    assert is_question(redacted) is question, redacted


@pytest.mark.parametrize(("text", "expected"), [
    # a lower-case sentence after a full stop is a sentence of its own
    ("vi har tre barn i barnehagen. hva koster sfo for dem til høsten",
     ["vi har tre barn i barnehagen.", "hva koster sfo for dem til høsten"]),
    ("Vi bor i Fjellveien. når blir veien brøytet i helgene",
     ["Vi bor i Fjellveien.", "når blir veien brøytet i helgene"]),
    ("vi flyttade hit i somras. hur beställer man ett lånekort på biblioteket",
     ["vi flyttade hit i somras.", "hur beställer man ett lånekort på biblioteket"]),
    ("we moved here in the spring. how do we get a parking permit for the street",
     ["we moved here in the spring.", "how do we get a parking permit for the street"]),
    ("meillä on kaksi lasta. paljonko iltapäiväkerho maksaa kuukaudessa",
     ["meillä on kaksi lasta.", "paljonko iltapäiväkerho maksaa kuukaudessa"]),
    ("hva koster det? og når må søknaden være inne hos dere",
     ["hva koster det?", "og når må søknaden være inne hos dere"]),
    # abbreviations and ellipses do not end a sentence
    ("Vi bor f.eks. ca. tre km unna, inkl. gangveien, og det er langt for barna å gå.",
     ["Vi bor f.eks. ca. tre km unna, inkl. gangveien, og det er langt for barna å gå."]),
    ("vi har ringt mange ganger... ingen tar telefonen på servicetorget",
     ["vi har ringt mange ganger... ingen tar telefonen på servicetorget"]),
])
def test_sentences_are_cut_also_before_a_lower_case_word(text, expected):
    from mail.classify import segments

    assert segments(text) == expected


@pytest.fixture(scope="module")
def triage(model_available):
    from bot.training import current_model
    from mail.nlu import load_nlu
    from mail.parse import read_mail
    from mail.triage import MailSettings, triage_many
    from web.demo import DEMO_MAIL_SETTINGS

    nlu = load_nlu(current_model(), None)
    settings = MailSettings.from_settings({"mail": DEMO_MAIL_SETTINGS})

    def run(bodies: list[str]):
        mails = [read_mail(build(b, "Spørsmål", message_id=f"<qb{i}@example.org>")) for i, b in enumerate(bodies)]
        return triage_many(mails, nlu, settings)

    return run


def test_a_lowercase_question_without_its_mark_is_triaged_as_the_same_question_with_it(triage):
    """The same words with and without "?" get the same decision (it was: a statement needs 0.70 to be a
    topic and is never a general question, so "lurar på kva det kostar ..." at 0.68 was routed)."""
    bodies = ["lurar på kva det kostar å få tømt slamtanken",
              "lurer på hvordan man søker om plass i sfo",
              "undrar när återvinningscentralen öppnar",
              "wondering when the library opens on weekdays"]
    bare, marked = triage(bodies), triage([b + "?" for b in bodies])
    for body, a, b in zip(bodies, bare, marked, strict=True):
        assert (a.action, a.department, a.intents) == (b.action, b.department, b.intents), (body, a.reason, b.reason)
        assert a.action == "answer", (body, a.reason)


def test_a_background_sentence_does_not_route_a_general_question(triage):
    """Who the sender is and what happened before (moved here, bought a house, had twins) is background to a
    question the catalogue answers: the mail is answered (a caseworker sends the draft: the model reads the
    background as the sender's own matter, so no automatic reply)."""
    bodies = ["Vi har nettopp flyttet til kommunen. Når er det påmeldingsfrist for barnehage?",
              "Vi har kjøpt hus i kommunen og flytter inn i mars. Hva koster eiendomsskatten?",
              "Vi har nettopp flyttet hit. lurer på når det er frist for å søke barnehage"]
    for body, d in zip(bodies, triage(bodies), strict=True):
        assert d.action == "answer" and not d.auto_reply, (body, d.reason)


# Background about the sender's life beside a question on an auto-reply topic (demo settings): the answer goes
# out automatically. A statement about what happened to them with the service asked about keeps it as a draft.
# The rule (mail.triage.told_of_own_matter) was fixed before these were run: a statement leaning to the
# sender's own case stops the automatic reply only when it names a service or its nearest topic is the one
# answered; a statement read as a topic beside a question always does. (body, automatic reply)
BACKGROUND_OR_OWN_MATTER = [
    ("Vi har nettopp flyttet til kommunen. Når er biblioteket åpent på lørdager?", True),
    ("Vi er en familie på fem og har nettopp kjøpt hus her. Hva koster det å bade i svømmehallen?", True),
    ("Eg er pensjonist og har god tid på dagtid. Kva tid er biblioteket ope?", True),
    ("Vi flyttade hit från Göteborg i somras. Vilka öppettider har simhallen?", True),
    ("Vi er lige flyttet til byen. Hvornår har genbrugspladsen åbent?", True),
    ("Muutimme kuntaan viime kuussa. Milloin kirjasto on auki?", True),
    ("We just moved here from Canada with our three kids. When is the library open on Saturdays?", True),
    ("I am a student and usually study in the evenings. What are the library's opening hours?", True),
    ("Jeg ble avvist i døra på gjenvinningsstasjonen i går med en full henger. Når er gjenvinningsstasjonen åpen?",
     False),
    ("Dottern min skled i dusjen i svømmehallen og slo hodet. Hva er åpningstidene i svømmehallen?", False),
    ("Min bil blev bortbogseret fra beboerparkeringen i nat, selvom jeg har gyldig tilladelse. "
     "Hvordan søger man om beboerparkering?", False),
    ("Mitt lånekort har blivit stulet och någon har lånat böcker på det. När är biblioteket öppet?", False),
    ("Poikani liukastui uimahallin pukuhuoneessa eilen. Milloin uimahalli on auki?", False),
    # harm, damage, loss or theft whatever the model reads (mail.triage.HARM): the forklift sentence is
    # personal_case 0.52 with its nearest topic another service, and was answered automatically
    ("Når er gjenvinningsstasjonen åpen? Bilen min ble skadet av en gaffeltruck der forrige uke.", False),
    ("My bike was stolen outside the library last week. When is the library open?", False),
    ("Jag tappade min plånbok i simhallen i går. När öppnar simhallen?", False),
    # a "why" question about the sender's own thing (mail.triage.WHY_OWN): library 0.96, answered automatically
    ("Miksi kirjastokorttini on suljettu?", False),
    ("Why is my library card blocked?", False),
]


@pytest.mark.parametrize(("text", "own"), [
    ("Miksi kirjastokorttini on suljettu?", True), ("Hvorfor var biblioteket stengt da jeg kom dit?", True),
    ("Varför blev mitt lånekort spärrat?", True), ("Why can I not borrow e-books?", True),
    ("Hvorfor er biblioteket stengt i dag?", False),    # Norwegian "i" is "in", not "I"
    ("Miksi kirjasto on kiinni?", False), ("Why is the pool closed?", False),
    ("Hvorfor må man betale for parkering?", False),
])
def test_a_why_question_about_the_senders_own_thing(text, own):
    from mail.triage import WHY_OWN

    assert bool(WHY_OWN.search(text)) is own


def test_background_lets_the_automatic_reply_go_and_an_own_matter_with_the_service_stops_it(triage):
    """On main the first, fourth and sixth (personal_case 0.64, 0.42, 0.68, each nearest to an unrelated
    topic) waited for a click, and the stolen card (library 0.96, a statement read as a topic) was answered
    automatically."""
    bodies = [b for b, _ in BACKGROUND_OR_OWN_MATTER]
    for (body, auto), d in zip(BACKGROUND_OR_OWN_MATTER, triage(bodies), strict=True):
        assert d.action == "answer" or not auto, (body, d.reason)  # an own matter may also be routed
        assert d.auto_reply is auto, (body, d.reason)


def test_the_senders_own_case_beside_a_general_question_is_still_routed(triage):
    """Own-case wording, a request for a person, or a statement the model is sure is the sender's own case
    still needs a caseworker, whatever else the mail asks."""
    bodies = ["Jeg har søkt om barnehageplass og ikke hørt noe. Når er det påmeldingsfrist?",
              "Jeg trenger å snakke med en saksbehandler om saken min. Når er servicetorget åpent?",
              "Min mor har fått avslag på sykehjemsplass. Hva er besøkstiden på sykehjemmet?",
              "lurer på om dere kan hjelpe meg med søknaden min om startlån"]
    for body, d in zip(bodies, triage(bodies), strict=True):
        assert d.action == "route", (body, d.reason)


# ------------------------------------------------------------------ redaction of a whole mail
def test_ordinary_words_of_a_mail_are_kept_and_its_names_redacted():
    """A mail is redacted in one language guessed for all of it: "Lage mat", "Lørdager", a German mail's
    nouns and a forwarded header's "kl. 20:11\\nSubject:" were <PERSON>/<ADDRESS> (tests/privacy/
    test_over_redaction.py has the rules); the senders' names still go."""
    from mail.parse import read_mail

    mails = [
        ("Hei!\n\nLage mat sammen med barna på fritidsklubben – har dere åpent Lørdager?\n\nMvh\nTorill Vangsnes\n",
         "Torill Vangsnes", {"PERSON": 1}),
        ("Hallo! Ich wohne jetzt in der Gemeinde. Wann ist die Bibliothek geöffnet? Vielen Dank für Ihre Hilfe.\n\n"
         "Mit freundlichen Grüßen\nJonas Becker\n", "Jonas Becker", {"PERSON": 1}),
        ("Se under.\n\n-------- Videresendt melding --------\nFra: Arne Vik <arne.vik@example.no>\n"
         "Dato: 7. des. 2026 kl. 20:11\nSubject: Brøyting\nTil: Siri <siri@example.no>\n\nNår blir veien brøytet?\n",
         "Arne Vik", {"PERSON": 1, "EMAIL": 2}),
    ]
    for body, name, counts in mails:
        mail = read_mail(build(body, "Spørsmål"))
        assert mail.redactions == counts, (body, mail.redactions)
        assert name not in mail.text + mail.signature + mail.forwarded_text()
