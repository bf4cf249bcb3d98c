"""The part of an article that answers a question about the price, for a question that asks about it.

"Är biblioteket gratis?", "Kostar lånekortet något?", "Onko kirjastokortti maksuton?" got the library article,
whose first lines are the opening hours; "**Lånekortet är gratis.**" is its fourth paragraph. And "er det
gratis?" right after the library answer got the same article again. A question that names a price (the
glossary's price concepts: "koster", "gratis", "ilmainen", "maksuton", "free of charge" ...) is now answered
with the article's first paragraph that speaks of a price or fee, in the article's language; the dialogue
(bot.dialogue) decides where it goes. Pure functions over the question and the article's Markdown body.
"""

from __future__ import annotations

import re

from kb.glossary import glossary

# What a question asks when it asks about the price, and what a paragraph says when it says one ("Renovasjons-
# gebyret er 4 250 kr i året" names the fee, not a price word).
ASKED = frozenset({"price_cost", "reduced_fee"})
SAID = ASKED | {"municipal_fees"}
_PARAGRAPH = re.compile(r"\n\s*\n")
# The Finnish "how much does it cost": "maksaa" is also "to pay" (the glossary leaves it out), with "how much"
# or "what" it asks the price ("Paljonko pysäköintilupa maksaa?", "Mitä kotihoito maksaa?")
_FI_HOW_MUCH = re.compile(r"\b(?:paljonko|kuinka paljon|mitä)\b.*\bmaksa(?:a|ako|vat|vatko|isi|isiko)\b|"
                          r"\bmaksa(?:a|ako|vat|vatko|isi|isiko)\b.*\b(?:paljonko|kuinka paljon)\b", re.I)


def names_price(text: str) -> bool:
    """Whether ``text`` (a question, or an article's title) names a price or a reduced fee (in any of the six
    languages)."""
    if _FI_HOW_MUCH.search(text or ""):
        return True
    found = glossary()
    return found is not None and bool(set(found.concepts_in(text or "", "")) & ASKED)


def price_passage(question: str, body: str, lang: str) -> tuple[int, str]:
    """(its index among the article's paragraphs, the paragraph) of the first paragraph of ``body`` (an
    article in ``lang``) that names a price or fee, when ``question`` asks about one; a heading that ends in
    ":" comes with the paragraph after it ("**Pris per måned:**" and its list). (-1, "") otherwise."""
    found = glossary()
    if found is None or not names_price(question):
        return -1, ""
    paragraphs = [p.strip() for p in _PARAGRAPH.split(body or "") if p.strip()]
    for i, paragraph in enumerate(paragraphs):
        if set(found.concepts_in(paragraph, lang)) & SAID:
            if paragraph.rstrip("*").endswith(":") and i + 1 < len(paragraphs):
                paragraph = paragraph + "\n\n" + paragraphs[i + 1]
            return i, paragraph
    return -1, ""
