"""A resident's message cut into the questions it may hold: "hva koster barnehage og når hentes søppel"
is two questions, "åpningstider for bibliotek og svømmehall" may be two, "barn og unge" is one.

:func:`clauses` cuts at sentence ends ("?", "!", ".", ";", a line break) and before a coordinating
conjunction (nb/nn/da "og", sv "och", fi "ja"/"sekä", en "and", and "samt", "plus", "as well as" …)
that follows a clause of its own. The cut is only a proposal: whether a piece is a question about another
topic is for the classifier to say (web.services.also_asked). The text is the redacted one: placeholders
("<ADDRESS>") are words like any other.

A message with no cut gives one clause, and costs no classifier call.
"""

from __future__ import annotations

import re

MAX_CLAUSES = 4  # more clauses than this: a text, not a couple of questions (taken as one)
MAX_CUTS = 2  # conjunctions in one sentence: "bøker og filmer og spill og aviser" lists one thing
MIN_WORDS = 2  # "barn og unge": a lone word before the conjunction does not make a question of its own; one
# after it may ("åpningstider for bibliotek og svømmehall"): the classifier says whether it names a topic

# Conjunctions that join two questions, in every language the bot speaks (a message in one language often
# borrows from another, and the detector errs on short texts). Finnish "ja" ("and") is "yes" in the
# Scandinavian languages: a cut only in Finnish. Adverbs ("også", "also", "myös") are not cut at: "kan jeg
# også betale med kort?" is one question.
_CONJUNCTIONS = "og|och|and|samt|sekä"
_SENTENCE_END = re.compile(r"(?<=[?!.;])\s+|\s*\n+\s*")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*|<[A-Z_]+>", re.U)
# A full stop after a number or an abbreviation ("kl. 10", "f.eks. barnehage", "2. klasse") ends no sentence.
_NO_END = re.compile(r"(?:\b\d{1,2}|\b(?:kl|ca|nr|bl\.a|f\.eks|t\.d|t\.ex|esim|mm|etc|e\.g|i\.e|jf|ref|pga|"
                     r"evt|mv|osv|dvs|st|vs|ym|yms|ns|mrs|mr|dr))\.$", re.I)


def _conjunction(lang: str) -> re.Pattern[str]:
    words = _CONJUNCTIONS + ("|ja" if lang == "fi" else "")
    # the cut: an optional comma, the conjunction as a word of its own, the next word (captured: kept when a
    # piece is joined again)
    return re.compile(rf"(\s*,?\s+(?:{words})\s+)(?=\w|<)", re.I)


def _sentences(text: str) -> list[str]:
    pieces: list[str] = []
    for piece in _SENTENCE_END.split(text.strip()):
        if pieces and _NO_END.search(pieces[-1]):
            pieces[-1] = pieces[-1] + " " + piece
        elif piece.strip():
            pieces.append(piece.strip())
    return pieces


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def clauses(text: str, lang: str = "") -> list[str]:
    """The message's clauses, in order; ``[text]`` (stripped) when it holds one. A piece without a word
    (a lone "?") is dropped; a conjunction at the very start ("og når hentes søppel?", a follow-up) does
    not cut; a lone word before a conjunction ("barn og unge", "SFO og barnehage") stays with what follows."""
    text = (text or "").strip()
    if not text:
        return []
    cut = _conjunction(lang)
    out: list[str] = []
    for sentence in _sentences(text):
        parts = cut.split(sentence)  # text, separator, text, ...
        if len(parts) // 2 > MAX_CUTS:
            parts = [sentence]
        pieces = [parts[0]]
        for sep, part in zip(parts[1::2], parts[2::2], strict=True):
            if len(words(pieces[-1])) < MIN_WORDS or not words(part):
                pieces[-1] += sep + part  # too short to be a question of its own: one with its neighbour
            else:
                pieces.append(part)
        out.extend(p.strip() for p in pieces if words(p))
    if len(out) > MAX_CLAUSES:
        return [text]
    return out or [text]
