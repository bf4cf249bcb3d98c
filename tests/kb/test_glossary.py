"""The municipal glossary (kb/glossary.py): table-driven matching of a question's terms, with a
small glossary written here, then the shipped kb/glossary.yml."""

from __future__ import annotations

import pytest

from kb.glossary import GLOSSARY_FILE, LANGS, Glossary, GlossaryError, aspects_only, glossary

SMALL = Glossary({
    "waste": {"nb": ["søppel", "avfall"], "sv": ["sopor", "sophämtning"], "da": ["skrald", "affald"],
              "fi": ["jäte", "jätte", "roska"], "en": ["rubbish", "bin"]},
    "kindergarten": {"nb": ["barnehage"], "sv": ["förskola", "dagis"], "da": ["børnehave"],
                     "fi": ["päiväkoti", "päiväkodi"], "en": ["kindergarten", "nursery"]},
    "property_tax": {"nb": ["eiendomsskatt"], "en": ["property tax", "council tax"]},
})


@pytest.mark.parametrize(("text", "lang", "concepts"), [
    ("Hvornår bliver skraldet hentet?", "da", ["waste"]),                  # prefix: skraldet
    ("När töms soporna?", "sv", ["waste"]),                                 # inflected
    ("Milloin jätteet haetaan?", "fi", ["waste"]),                          # consonant gradation: jätte-
    ("Hur söker man plats på förskolan eller dagis?", "sv", ["kindergarten"]),
    ("Päiväkodin hakuaika?", "fi", ["kindergarten"]),
    ("Where is my bin? And the nursery?", "en", ["waste", "kindergarten"]),  # order of first occurrence
    ("binoculars for sale", "en", []),                                      # a short term matches whole words only
    ("How much is the property taxes?", "en", ["property_tax"]),            # a phrase, its last word a prefix
    ("property of the tax office", "en", []),                               # the phrase's words not in a row
    ("skraldet", "", ["waste"]),                                            # unknown language: every language
    ("", "da", []),
    ("\u200b\u202e<script>alert(1)</script>", "sv", []),
])
def test_concepts_in(text, lang, concepts):
    assert SMALL.concepts_in(text, lang) == concepts


def test_translate_gives_the_target_languages_terms():
    assert SMALL.translate("Hvornår bliver skraldet hentet?", "da", "nb") == "søppel avfall"
    assert SMALL.translate("Hvornår bliver skraldet hentet?", "da", "nn") == ""  # no nynorsk terms here
    assert SMALL.translate("hei", "nb", "sv") == ""


@pytest.mark.parametrize("data", [["not", "a", "mapping"], {"waste": ["søppel"]}, {"waste": {"xx": ["a"]}},
                                  {"waste": {"nb": "søppel"}}, {"waste": {"nb": [1, 2]}}])
def test_malformed_glossary_is_refused(data):
    with pytest.raises(GlossaryError):
        Glossary(data)


def test_unreadable_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "glossary.yml"
    bad.write_bytes(b"waste: {nb: [\xff\xfe")
    with pytest.raises(GlossaryError, match="cannot read"):
        Glossary.load(bad)
    assert glossary(tmp_path / "missing.yml") is None


def test_shipped_glossary():
    shipped = glossary(GLOSSARY_FILE)
    assert shipped is not None and len(shipped) >= 100
    for name, by_lang in shipped.concepts.items():
        assert set(by_lang) == set(LANGS), name
        assert all(by_lang[lg] for lg in LANGS), name
    # residents' everyday questions find their concept's Norwegian terms
    for text, lang, nb_term in [("Hvornår bliver skraldet hentet?", "da", "søppel"),
                                ("När är sista ansökningsdag till förskolan?", "sv", "barnehage"),
                                ("Milloin jätteet haetaan?", "fi", "avfall"),
                                ("How much is the property tax?", "en", "eiendomsskatt")]:
        assert nb_term in shipped.translate(text, lang, "nb").split(), text


NOT = Glossary({
    "pension": {"nb": ["pensjon", "!pensjonist"], "sv": ["pension", "!pensionär"], "en": ["pension"]},
    "elderly": {"nb": ["pensjonist"], "sv": ["pensionär"], "en": ["pensioner"]},
})


@pytest.mark.parametrize(("text", "lang", "concepts"), [
    ("Når kommer pensjonen?", "nb", ["pension"]),
    ("pensjonsalder", "nb", ["pension"]),
    ("og for pensjonister?", "nb", ["elderly"]),  # "!pensjonist": not the pension
    ("och för pensionärer?", "", ["elderly"]),  # any language: the English "pension" is a prefix of it too
    ("och för pensionärer?", "en", []),  # the exclusion is the concept's, whichever language's term matched
])
def test_a_bang_term_is_a_word_that_is_not_the_concept(text, lang, concepts):
    assert NOT.concepts_in(text, lang) == concepts
    assert NOT.translate("pensjon", "nb", "nb") == "pensjon"  # no "!" terms in translations


@pytest.mark.parametrize(("text", "expected"), [
    # an aspect and no service: about the service just talked about
    ("is it free for children?", True),
    ("Is it free of charge?", True),
    ("er det gratis for barn?", True),
    ("hva koster det for barn?", True),
    ("is there a discount for children?", True),
    ("og for pensjonister?", True),
    ("og for pensjonistar?", True),
    ("och för pensionärer?", True),
    ("og for pensionister?", True),
    ("entä eläkeläiset?", True),
    ("and for pensioners?", True),
    # a service named: a topic of its own
    ("når kommer pensjonen min?", False),
    ("when is the pension paid?", False),
    ("hva koster barnehage?", False),
    ("Is it free to swim for children?", False),
    ("Where can I leave an old freezer?", False),  # "free" only as a word of its own
    ("", False),
])
def test_aspects_only_in_the_shipped_glossary(text, expected):
    assert aspects_only(text) is expected
