"""Odd input never crashes the redactor and never makes the text longer than allowed; the
entities it returns are sorted, non-overlapping and inside the text."""

from __future__ import annotations

import random
import time

import pytest

from privacy import MAX_GROWTH, RedactionError, redact
from tests.privacy import synthetic as syn

RNG = random.Random(7)
FNR = syn.no_fnr(RNG)


def _binaryish(n: int) -> str:
    rng = random.Random(n)
    return bytes(rng.randrange(256) for _ in range(n)).decode("latin-1")


ODD = {
    "empty": "",
    "spaces": " \n\t  ",
    "digits_only": "1234567890" * 50,
    "digit_groups": " ".join(str(RNG.randrange(10 ** 8)) for _ in range(200)),
    "long_prose": ("Hei, jeg heter Kari Nordmann og bor i Storgata 12. " * 600),
    "long_single_token": "x" * 50_000,
    "overlapping": f"fnr{FNR} tlf912 34 567 kari@example.no{FNR}/{FNR}",
    "glued_numbers": f"{FNR}{FNR}912345678{FNR}",
    "id_inside_email": f"{FNR}@example.no",
    "phone_in_account": "Kontonummer 1234.56.78903 eller 912 34 567 eller 123456789012345678",
    "mixed_languages": ("Hej, jag heter Anna. Jeg heter Kari. Nimeni on Matti. My name is John. "
                        f"Mit CPR er 010190-1234, fnr {FNR}, +46 70 123 45 67, +358 40 123 4567."),
    "binaryish": _binaryish(3000),
    "control_chars": "Kari\x00Nordmann\x1b[31m fnr\x07 " + FNR + "\x7f\u200b\ufeff",
    "lone_surrogates": "Jeg heter \ud800Kari\udfff Nordmann \ud83d",
    "emoji_and_rtl": "Hei 👋🏽 jeg heter Ola 🇳🇴 مرحبا اسمي أحمد tlf 912 34 567 😀" * 20,
    "markup": "<script>alert('Kari Nordmann')</script><b>912 34 567</b>&amp;" * 10,
    "only_punctuation": "...,,,;;;!!!???---" * 100,
    "many_newlines": "\n" * 5000 + "Kari Nordmann",
    "huge_numbers": "9" * 5000,
}


@pytest.mark.parametrize("name", sorted(ODD))
@pytest.mark.parametrize("lang", [None, "nb", "fi", "xx-YY"])
def test_odd_text_never_crashes_nor_grows(redactor, name, lang):
    text = ODD[name]
    started = time.perf_counter()
    result = redactor.redact(text, lang)
    elapsed = time.perf_counter() - started
    assert isinstance(result.text, str)
    assert len(result.text) <= len(text) + MAX_GROWTH * len(result.entities)
    positions = [(e.start, e.end) for e in result.entities]
    assert positions == sorted(positions)
    assert all(0 <= s < e <= len(text) for s, e in positions)
    assert all(a[1] <= b[0] for a, b in zip(positions, positions[1:], strict=False)), "entities overlap"
    assert sum(result.counts.values()) == len(result.entities)
    assert elapsed < 30, f"{name} took {elapsed:.1f} s"


def test_secrets_in_odd_text_are_still_removed(redactor):
    for name in ("control_chars", "mixed_languages", "overlapping"):
        assert FNR not in redactor.redact(ODD[name]).text, name
    assert "912 34 567" not in redactor.redact(ODD["emoji_and_rtl"], "nb").text


def test_id_at_the_end_of_a_very_long_text_is_found(redactor):
    """Long texts are analysed in overlapping chunks: nothing at a chunk boundary slips through."""
    filler = "Dette er en lang melding om søppeltømming. " * 500
    for cut in (9_990, 10_000, 10_005):
        text = filler[:cut] + f" fnr {FNR} " + filler[:3000]
        assert FNR not in redactor.redact(text, "nb").text, cut


@pytest.mark.parametrize("value", [None, 123, b"bytes", ["list"], {"text": "x"}])
def test_non_text_is_refused_clearly(value):
    with pytest.raises(RedactionError, match="needs text"):
        redact(value)


@pytest.mark.parametrize("allow", [None, "", "+47 55 50 10 00", [None, 5, ""], ("55501000",)])
def test_odd_allow_lists_do_not_crash(redactor, allow):
    result = redactor.redact("Ring 55 50 10 00 eller 912 34 567", "nb", allow)
    assert "912 34 567" not in result.text
