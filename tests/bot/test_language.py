"""Language detection (lingua, six languages) on the issue's bad inputs: a pasted link, a 4,000-letter
"word", emoji or mixed scripts are no evidence of a language, so the widget's language is kept; real
sentences, also with a link in them, are still detected."""

from __future__ import annotations

import pytest

from tinget.language import detect

NO_LANGUAGE = {
    "url only": "https://www.example.com/some/page?x=1",
    "www address": "www.fjordvik.example/barnehage/soknad",
    "e-mail only": "ola.nordmann@example.com",
    "4,000 characters of one word": "a" * 4000,
    "one long non-word": "asdfghjkl" * 100,
    "emoji only": "😀😀😀 👍🏽",
    "digits and punctuation": "1234 5678 !!! ???",
}


@pytest.mark.parametrize("widget_lang", ["sv", "fi", "nn"])
@pytest.mark.parametrize("text", NO_LANGUAGE.values(), ids=NO_LANGUAGE)
def test_text_without_language_keeps_the_widgets_language(text, widget_lang):
    assert detect(text, widget_lang).lang == widget_lang


@pytest.mark.parametrize(("text", "lang"), [
    ("Hur ansöker jag om förskoleplats för min dotter? https://www.example.com/forskola", "sv"),
    ("Miten haen rakennuslupaa omakotitalolle? Katsoin jo sivun www.example.fi/luvat", "fi"),
    ("How do I apply for a parking permit for my car, see https://example.com/x", "en"),
])
def test_a_sentence_with_a_link_is_still_detected(text, lang):
    detection = detect(text, "nb")
    assert (detection.lang, detection.source) == (lang, "detected")
