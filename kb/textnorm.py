"""Language-aware light normalisation for lexical matching (BM25).

Residents type without æøå, in dialect, with typos and long compounds, so the lexical side
folds Nordic letters to their base vowels (``søknad``/``soknad`` and Swedish ``söka`` meet),
drops a short list of function words, strips common inflection suffixes (a light stemmer,
not a lemmatiser) and adds the first and last parts of long compounds as extra terms
(``barnehageplassen`` also counts as ``barneh…``/``…plass``).
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+", re.UNICODE)
_FOLD = str.maketrans({"æ": "a", "ä": "a", "å": "a", "ø": "o", "ö": "o", "ü": "u", "é": "e",
                       "è": "e", "á": "a", "à": "a", "ó": "o", "ß": "ss", "ð": "d", "þ": "th"})

# Function words per language (folded). Short on purpose: BM25's IDF does the rest.
_STOP = {
    "scandinavian": """
        og i jeg eg det at en et ei den til er som pa de med han av ikke ikkje ikke der sa var
        meg deg seg men ett har om vi min mitt ha hadde hun na over da ved fra du ut sin dem
        oss opp man kan hans hvor kor eller hva kva skal selv sjol her alle vil bli ble blei
        blitt kunne inn nar vere vore vaere kom noen noe nokon noko ville dere deira deres
        kun ja etter ned skulle denne for hvorfor korleis hvordan dette disse uten
        och att jag inte ar pa sig ett hon nu ocksa mot vad vara hur eller mig ni dig
        hans henne hennes nagon nagot vi vart mycket sjalv detta dessa ingen alla under
        jeg ikke af hvad hvis hende hvornar hvorfor sadan nogen noget vores jer
        hei hej hallo mvh hilsen vennlig helsing venleg
    """,
    "en": """
        the a an and or of to in on at for is are was were be been it its this that these those
        i you he she we they me my your our their do does did can could would should will
        with as by from about what which who how when where why there here hi hello thanks
        regards please
    """,
    "fi": """
        ja on ei se etta kun jos mita mika missa miten milloin kuka tai mutta myos ole olen
        voi voiko minun meidan minka hei kiitos
    """,
}
_LANG_GROUP = {"nb": "scandinavian", "nn": "scandinavian", "no": "scandinavian", "da": "scandinavian",
               "sv": "scandinavian", "en": "en", "fi": "fi"}
STOPWORDS: frozenset[str] = frozenset(w for words in _STOP.values() for w in words.split())

# Inflection suffixes, longest first (folded spelling). One shared Scandinavian list so that
# nb/nn/da/sv forms of a word reduce to the same stem as far as possible.
_SUFFIXES = {
    "scandinavian": sorted("""
        hetene heten heter heta hetens ingane ingene ingen inga ingar ingarna ingerne ingene
        elsen elser elsene arna erna orna ernes ernas arnas ene ane ende ande endes andes
        ets ens erne ast est aste este are ere ar er or en et ne na ta te de da as es s a e
        lig lige liga ligt ig ige iga igt
    """.split(), key=len, reverse=True),
    "en": sorted("ations ation ings ing edly ied ies ed es s ly".split(), key=len, reverse=True),
    "fi": sorted("""
        ssa ssa sta lla lta lle ksi ista illa ilta ille iin ien jen den ten n t a
    """.split(), key=len, reverse=True),
}
_MIN_STEM = 3


def fold(text: str) -> str:
    """Lower-case, compatibility-normalise and fold Nordic/accented letters to base vowels."""
    return unicodedata.normalize("NFKC", text).lower().translate(_FOLD)


def stem(word: str, lang: str = "nb") -> str:
    """Strip one inflection suffix, keeping at least three letters."""
    group = _LANG_GROUP.get(lang, "scandinavian")
    if word.isdigit() or len(word) <= _MIN_STEM + 1:
        return word
    for suffix in _SUFFIXES[group]:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word


def words(text: str) -> list[str]:
    """Folded word tokens, no stemming, no stop-word removal."""
    return _WORD.findall(fold(text))


def terms(text: str, lang: str = "nb", compounds: bool = True) -> list[str]:
    """Lexical terms of ``text``: folded, stop words dropped, stemmed, compound parts added.

    Compound parts: a long word (≥ 10 letters) also yields its first 6 and last 6 letters of
    the stem as ``<prefix`` / ``>suffix`` terms, which lets ``barnehageplass`` meet
    ``barnehage`` and ``plass`` meet ``sfoplass`` without a dictionary.
    """
    out: list[str] = []
    for w in words(text):
        if w in STOPWORDS or (len(w) == 1 and not w.isdigit()):
            continue
        s = stem(w, lang)
        out.append(s)
        if compounds and len(s) >= 10 and not s.isdigit():
            out.append("<" + s[:6])
            out.append(">" + s[-6:])
    return out
