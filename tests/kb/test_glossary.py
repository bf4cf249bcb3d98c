"""The municipal glossary (kb/glossary.py): table-driven matching of a question's terms, with a
small glossary written here, then the shipped kb/glossary.yml."""

from __future__ import annotations

import pytest

from kb.glossary import GLOSSARY_FILE, LANGS, Glossary, GlossaryError, glossary

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
