"""Light normalisation and BM25 (character 4-grams, stemmed words)."""

from __future__ import annotations

import numpy as np
import pytest

from kb import textnorm
from suggester.lexical import BM25Index, char_ngrams, word_terms


@pytest.mark.parametrize("a, b", [
    ("søknad", "soknad"),            # missing ø
    ("Søskenmoderasjon", "soskenmoderasjon"),
    ("BARNEHAGE", "barnehage"),
    ("söka", "søka"),                # Swedish ö and Norwegian ø meet
])
def test_folding(a, b):
    assert textnorm.fold(a) == textnorm.fold(b)


@pytest.mark.parametrize("forms", [
    ("barnehagen", "barnehager", "barnehage"),
    ("søknaden", "søknader", "søknad"),
    ("applications", "application"),
])
def test_light_stemming_merges_inflections(forms):
    stems = {textnorm.terms(f, "en" if f.startswith("appl") else "nb", compounds=False)[0] for f in forms}
    assert len(stems) == 1


def test_stop_words_and_compound_parts():
    terms = word_terms("Hvordan sier jeg opp barnehageplassen?")
    assert "hvordan" not in terms and "jeg" not in terms
    assert any(t.startswith("<barneh") for t in terms)


def test_char_ngrams_keep_word_boundaries():
    grams = char_ngrams("SFO pris")
    assert "_sfo" in grams and "pris" in grams and "_pri" in grams


def build(texts):
    idx = BM25Index("char4")
    idx.add_many((i, t, "nb") for i, t in enumerate(texts))
    return idx


TEXTS = ["Restavfall hentes annenhver uke.", "Søknad om barnehageplass sendes digitalt.",
         "Svømmehallen har nye priser.", "Barnehagen stenger i juli."]


def test_bm25_ranks_the_matching_text_first_despite_spelling():
    idx = build(TEXTS)
    s = idx.scores("soknad barnehage", "nb")
    assert int(np.argmax(s)) == 1 and s[2] == 0


def test_remove_leaves_the_same_scores_as_never_adding():
    idx = build(TEXTS)
    idx.remove(2, TEXTS[2], "nb")
    ref = BM25Index("char4")
    ref.add_many((i, t, "nb") for i, t in enumerate(TEXTS) if i != 2)
    q = "barnehage priser"
    assert np.allclose(idx.scores(q)[[0, 1, 3]], ref.scores(q)[[0, 1, 3]], atol=1e-5)
    assert idx.scores(q)[2] == 0 and idx.n_docs == 3


def test_incremental_adds_match_bulk_build():
    bulk = build(TEXTS)
    inc = BM25Index("char4")
    for i, t in enumerate(TEXTS):
        inc.add(i, t, "nb")  # stays in the delta buffer, not compacted
    assert inc.delta
    assert np.allclose(inc.scores("barnehage uke"), bulk.scores("barnehage uke"), atol=1e-5)


def test_save_and_load(tmp_path):
    idx = build(TEXTS)
    idx.remove(0, TEXTS[0], "nb")
    idx.save(tmp_path, "bm")
    back = BM25Index.load(tmp_path, "bm")
    assert np.allclose(back.scores("svømmehall priser"), idx.scores("svømmehall priser"))
    assert back.n_docs == 3


def test_query_without_known_terms_scores_zero():
    idx = build(TEXTS)
    assert not idx.scores("ᚠᚢᚦᚨᚱᚲ").any()
    assert not BM25Index().scores("anything").any()
    with pytest.raises(ValueError, match="already indexed"):
        idx.add(1, "x", "nb")


def test_add_after_compaction_and_removal_is_searchable():
    idx = build(TEXTS)           # compacted: rows exist for slots 0..3 (and spare capacity)
    idx.remove(1, TEXTS[1], "nb")
    idx.compact()
    idx.add(4, "Søknad om barnehageplass sendes digitalt.", "nb")
    s = idx.scores("soknad barnehageplass")
    assert int(np.argmax(s)) == 4 and s[4] > 0 and s[1] == 0
