"""A switch of the answer language needs a word the new language is known to use (tinget.lexicon):
keyboard mash from a Finnish (or any) conversation keeps that conversation's language instead of being
answered in nynorsk or Swedish, while real sentences in another supported language still switch and
short messages behave exactly as before."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

import tinget.lexicon as lexicon_module
from tinget.language import detect

# Keyboard mash a resident might type; without the lexical check lingua switches on several of them
# ("asdkjh qwe zzz" was answered in nynorsk in a Finnish conversation).
MASH = [
    "asdkjh qwe zzz",
    "sdfkj wer",
    "lkjlkj ölkä",
    "ghgh jkjk kl",
    "hjkl jkjkj lkj",
    "qwerty asdf",
    "asdf <PHONE> qwe",  # the redactor's placeholder is no English word
]


@pytest.mark.parametrize("current", ["fi", "nb", "sv", "en"])
@pytest.mark.parametrize("text", MASH)
def test_keyboard_mash_keeps_the_conversations_language(text, current):
    assert detect(text, current).lang == current


def test_the_mash_table_is_mash_lingua_alone_would_switch_on():
    switched = [t for t in MASH if detect(t, "fi", lexical=False).lang != "fi"]
    assert "asdkjh qwe zzz" in switched and len(switched) >= 3


# (message, its language, the conversation's language before it)
SENTENCES = [
    ("Hur ansöker jag om bygglov för ett garage?", "sv", "fi"),
    ("tack för hjälpen med ansökan", "sv", "nb"),
    ("When is the recycling station open on Saturdays?", "en", "fi"),
    ("How do I apply for a place at the nursery?", "en", "nb"),
    ("Hvornår bliver skraldespanden tømt i min gade?", "da", "fi"),
    ("Hvordan søger jeg om plads i børnehaven?", "da", "en"),
    ("Mihin aikaan kirjasto aukeaa lauantaisin?", "fi", "nb"),
    ("Voinko maksaa jätemaksun osissa?", "fi", "en"),
    ("kirjastokortin uusiminen", "fi", "nb"),  # two inflected Finnish words
    ("Korleis søkjer eg om plass i barnehagen?", "nn", "fi"),
    ("Kor mykje kostar ein plass i barnehagen?", "nn", "sv"),
    ("Hvordan søker jeg om barnehageplass?", "nb", "en"),
]


@pytest.mark.parametrize(("text", "lang", "current"), SENTENCES)
def test_a_real_sentence_still_switches(text, lang, current):
    assert detect(text, current, lexical=False).lang == lang  # as before
    detection = detect(text, current)
    assert (detection.lang, detection.source) == (lang, "detected")


SHORT = ["hej", "takk", "ok", "moi", "kiitos", "thank you", "ja takk", "hei hei", "god dag", "hello there",
         "kiitos paljon", "okei kiitti", "tack så mycket", "tak skal du have", "takk for hjelpa"]


@pytest.mark.parametrize("current", ["nb", "nn", "sv", "da", "fi", "en"])
@pytest.mark.parametrize("text", SHORT)
def test_short_messages_behave_as_before(text, current):
    new, old = detect(text, current), detect(text, current, lexical=False)
    assert (new.lang, new.source) == (old.lang, old.source)
    assert new.confidence == pytest.approx(old.confidence)  # lingua's last digits vary between calls


@pytest.mark.parametrize(("word", "lang", "known"), [
    ("kirjastosta", "fi", True),        # inflected: shares "kirja" with listed words
    ("hulevesimaksu", "fi", True),      # compound ending in a listed word ("maksu")
    ("korleis", "da", True),            # nynorsk, bokmål and Danish words count for each other ...
    ("korleis", "sv", False),           # ... not for Swedish
    ("qwe", "nn", False),               # out_of_scope's mash examples are no evidence
    ("asdkjh", "nn", False),
    ("cm", "nb", False),                # no vowel: an abbreviation in any language
])
def test_what_the_lexicon_knows(word, lang, known):
    assert lexicon_module.lexicon().knows(lang, word) is known


def test_two_letter_words_are_no_evidence():
    lex = lexicon_module.lexicon()
    assert lex.knows("en", "as") and lex.knows("fi", "et")  # listed ...
    assert not lex.knows_any("en", "as wqmhcshe") and not lex.knows_any("fi", "dfhghj et")  # ... but no evidence


def test_detection_and_lexicon_read_words_with_one_pattern():
    """A word for the lexicon is a word for the detector: one pattern, not two copies that can drift."""
    import tinget.language as language_module

    assert lexicon_module.WORD is language_module.WORD
    assert lexicon_module.words("Søknad om SFO-plass 2025_x") == ["søknad", "om", "sfo", "plass"]


def test_the_lexicon_is_not_built_at_import():
    code = "import sys, tinget.language; print('tinget.lexicon' in sys.modules, 'yaml' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_the_lexicon_is_built_once_for_concurrent_first_use(monkeypatch):
    calls = []
    real_build = lexicon_module.build

    def counting_build(*args, **kwargs):
        calls.append(1)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(lexicon_module, "_LEXICON", None)
    monkeypatch.setattr(lexicon_module, "build", counting_build)
    start = threading.Barrier(8)
    seen = []

    def first_use():
        start.wait()
        seen.append(lexicon_module.lexicon())

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and all(lex is seen[0] for lex in seen)


def test_without_the_data_folders_the_common_words_still_decide(monkeypatch, tmp_path):
    """A deployment without training_data/ and kb/: real sentences still switch, mash still stays."""
    monkeypatch.setattr(lexicon_module, "NLU_DIR", tmp_path / "nlu")
    monkeypatch.setattr(lexicon_module, "KB_DIR", tmp_path / "kb")
    monkeypatch.setattr(lexicon_module, "_LEXICON", None)
    assert detect("Hur ansöker jag om förskoleplats?", "fi").lang == "sv"
    assert detect("Miten haen rakennuslupaa?", "nb").lang == "fi"
    assert detect("asdkjh qwe zzz", "fi").lang == "fi"
