"""A short follow-up keeps the conversation's language when every word of it is a word of that language
(tinget.language.detect, SHORT_WORDS/STRONG; only once the resident has written in the conversation): "og om søndagen?" on a Danish page is Danish, even though lingua
calls it Norwegian 0.64; a Swede without ä/ö on the keyboard stays Swedish. A word only another language
uses, letters the conversation's language never writes, or lingua being sure still switch.

Messages written for this test (not from the dev sets)."""

from __future__ import annotations

import pytest

from tinget.language import detect


@pytest.mark.parametrize(("current", "text"), [
    ("da", "og om søndagen?"),
    ("da", "og om lørdagen?"),
    ("da", "og på søndag?"),
    ("sv", "nar stanger biblioteket?"),  # när stänger
    ("sv", "oppnar biblioteket pa lordag?"),  # öppnar ... på lördag
    ("sv", "och pa sondag?"),
    ("nb", "og på søndag?"),
    ("nn", "og på søndag?"),
])
def test_a_short_follow_up_keeps_the_conversations_language(current, text):
    assert detect(text, current, follow_up=True).lang == current


@pytest.mark.parametrize(("current", "text", "lang"), [
    ("nb", "hvornår åbner biblioteket?", "da"),  # a word only Danish uses
    ("da", "hva koster sfo?", "nb"),  # ... only Norwegian
    ("nb", "när öppnar biblioteket?", "sv"),  # letters no Norwegian writes
    ("nb", "vad kostar simhallen", "sv"),
    ("sv", "og på søndag?", "nb"),  # æ/ø/å as Swedish never writes them ("søndag")
    ("nb", "opening hours library?", "en"),  # no word of the conversation's language
    ("nb", "kirjaston aukioloajat?", "fi"),
    ("fi", "and on sunday?", "en"),
])
def test_evidence_against_the_conversations_language_still_switches(current, text, lang):
    assert detect(text, current, follow_up=True).lang == lang


def test_a_folded_spelling_counts_only_for_words_typed_without_the_letters():
    """"söndag" is no Norwegian word, though it folds to the same "sondag" as "søndag"."""
    assert detect("och på söndag?", "nb", follow_up=True).lang == "sv"


@pytest.mark.parametrize(("current", "text", "lang"), [("nb", "og om søndagen?", "nb"), ("da", "og om søndagen?", "nb")])
def test_a_first_message_is_judged_on_its_own_evidence_as_before(current, text, lang):
    """On the first message the conversation's language is only the page's: the rule does not apply."""
    assert detect(text, current).lang == lang
