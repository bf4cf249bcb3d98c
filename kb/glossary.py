"""Municipal vocabulary in six languages, for matching a question against articles in another language.

A multilingual encoder matches "Hvornår bliver skraldet hentet?" with "Når blir søppelet hentet?" only
approximately, and BM25 not at all: the words differ. Dictionary-based cross-lingual retrieval closes
part of that gap: the question's known terms are looked up in a glossary of municipal concepts
(``kb/glossary.yml``: waste collection, kindergarten, property tax, ...) and replaced by the
article language's terms, which are then matched lexically like a question in that language.

Terms are matched on folded word tokens (lower case, Nordic letters folded as in
:func:`kb.textnorm.fold`). A term of :data:`MIN_PREFIX` letters or more matches every token that
starts with it (inflections and compounds: ``sopor`` in ``soporna``, ``sophämtning``); shorter terms
match whole tokens only. A term written ``!stem`` is a word that is *not* the concept, in any language: a
token that starts with it is left out of the concept ("!pensjonist" under pension: "pensjonister" are
pensioners, an aspect of any service, not the pension). The glossary is data the municipality may extend;
it is read on first use.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path

import yaml

from kb.textnorm import words

GLOSSARY_FILE = Path(__file__).with_name("glossary.yml")
LANGS = ("nb", "nn", "sv", "da", "fi", "en")
MIN_PREFIX = 4


class GlossaryError(ValueError):
    """The glossary file is not a mapping of concept -> language -> list of terms."""


class Glossary:
    """Concepts with their terms per language; :meth:`translate` maps a text's terms to another language."""

    def __init__(self, concepts: Mapping[str, Mapping[str, list[str]]]) -> None:
        if not isinstance(concepts, Mapping):
            raise GlossaryError("the glossary must be a mapping of concept names to languages")
        self.concepts: dict[str, dict[str, list[str]]] = {}
        self._exact: dict[str, dict[str, set[str]]] = {lg: {} for lg in LANGS}
        self._prefix: dict[str, dict[str, set[str]]] = {lg: {} for lg in LANGS}
        self._phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {lg: [] for lg in LANGS}
        self._not: dict[str, tuple[str, ...]] = {}  # concept -> folded stems of words that are not it ("!stem")
        for name, by_lang in concepts.items():
            if not isinstance(by_lang, Mapping):
                raise GlossaryError(f"concept {name!r}: expected languages with lists of terms")
            entry: dict[str, list[str]] = {}
            for lang, terms in by_lang.items():
                if lang not in LANGS or not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
                    raise GlossaryError(f"concept {name!r}, language {lang!r}: expected a list of terms "
                                        f"in one of {', '.join(LANGS)}")
                stems = [t.strip() for t in terms if t.strip()]
                entry[lang] = [t for t in stems if not t.startswith("!")]
                excluded = [w for t in stems if t.startswith("!") for w in words(t[1:])]
                if excluded:
                    self._not[str(name)] = (*self._not.get(str(name), ()), *excluded)
                for term in entry[lang]:
                    parts = tuple(words(term))
                    if len(parts) > 1:  # a phrase: its words in a row, the last one as a prefix
                        self._phrases[lang].append((parts, str(name)))
                    elif parts:
                        table = self._prefix if len(parts[0]) >= MIN_PREFIX else self._exact
                        table[lang].setdefault(parts[0], set()).add(str(name))
            self.concepts[str(name)] = entry

    @classmethod
    def load(cls, path: str | Path = GLOSSARY_FILE) -> Glossary:
        try:
            data = yaml.safe_load(Path(path).read_text("utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise GlossaryError(f"cannot read the glossary {path}: {exc}") from exc
        return cls(data)

    def __len__(self) -> int:
        return len(self.concepts)

    def concepts_in(self, text: str, lang: str) -> list[str]:
        """The concepts whose ``lang`` terms occur in ``text``, in order of first occurrence (every
        language's terms when ``lang`` is not one of the six)."""
        langs = [lang] if lang in LANGS else list(LANGS)
        found: dict[str, None] = {}
        tokens = words(text)
        for i, token in enumerate(tokens):
            for lg in langs:
                for name in self._exact[lg].get(token, ()):
                    found.setdefault(name, None)
                prefix = self._prefix[lg]
                for k in range(MIN_PREFIX, len(token) + 1):
                    for name in prefix.get(token[:k], ()):
                        if not token.startswith(self._not.get(name, ())):
                            found.setdefault(name, None)
                for parts, name in self._phrases[lg]:
                    n = len(parts)
                    if (tuple(tokens[i:i + n - 1]) == parts[:-1] and i + n <= len(tokens)
                            and tokens[i + n - 1].startswith(parts[-1])):
                        found.setdefault(name, None)
        return list(found)

    def translate(self, text: str, lang: str, target: str) -> str:
        """The ``target``-language terms of the concepts ``text`` (in ``lang``) mentions, space-separated;
        "" when it mentions none or the target language has no terms for them."""
        out: list[str] = []
        for name in self.concepts_in(text, lang):
            out.extend(self.concepts[name].get(target, []))
        return " ".join(out)


@functools.lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> Glossary:
    return Glossary.load(path)


def glossary(path: str | Path = GLOSSARY_FILE) -> Glossary | None:
    """The glossary (read once per process and file version), or None when the file is missing."""
    p = Path(path)
    try:
        mtime = p.stat().st_mtime
    except OSError:
        return None
    return _load(str(p), mtime)


# Concepts that are an aspect of whichever service is being talked about (what it costs, a discount, for whom,
# the opening hours, how to apply, a deadline, a decision, how to pay or get in touch), not a service of their
# own. A question that names such aspects and no service ("is there a discount for children?", "hva koster
# det?") is about the service the resident was just talking about: web.services.also_asked does not offer it
# as another topic, and the bot's dialogue keeps it with the topic just answered.
ASPECTS = frozenset("""price_cost reduced_fee municipal_fees invoice payment instalment due_date refund income
    application form deadline processing_time decision opening_hours closed holidays change_modify
    cancel_terminate waiting_list register_signup order_request appointment case_officer documents_certificates
    contact_phone contact_email contact_general postal_address complaints appeal permit_licence elderly
    feedback_fault_report""".split())


def aspects_only(text: str) -> bool:
    """Whether ``text`` names an aspect of a service (ASPECTS) and no service: its terms in any of the six
    languages (residents borrow words, and the detector errs on short texts: "rabatt" is the Swedish and the
    Norwegian word). False without the glossary."""
    found = glossary()
    if found is None:
        return False
    concepts = set(found.concepts_in(text, ""))
    return bool(concepts & ASPECTS) and not (concepts - ASPECTS)


def aspects_in(text: str) -> set[str]:
    """The aspects (ASPECTS) ``text`` names, in any of the six languages; empty without the glossary."""
    found = glossary()
    return set(found.concepts_in(text, "")) & ASPECTS if found is not None else set()
