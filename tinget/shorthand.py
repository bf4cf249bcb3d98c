"""Shorthand residents type for a service, written out for the intent model.

"ka kosta bhg" (nynorsk dialect, "what does kindergarten cost") was out_of_scope at 0.80 and opened a case:
"bhg", the everyday Norwegian shorthand for "barnehage", is in none of the model's training examples. The text
Rasa classifies has such words written out; the resident's message is stored and shown as written. Whole words
only, any case; a short table on purpose (only shorthand that means one service wherever it is typed).
"""

from __future__ import annotations

import re

SHORTHAND = {
    "bhg": "barnehage",
    "bhgplass": "barnehageplass",
    "bhg-plass": "barnehageplass",
    "bhgen": "barnehagen",
}
_PATTERN = re.compile(r"(?<![\w-])(" + "|".join(sorted(map(re.escape, SHORTHAND), key=len, reverse=True)) + r")(?![\w-])",
                      re.I)


def written_out(text: str) -> str:
    """``text`` with the shorthand of SHORTHAND written out."""
    return _PATTERN.sub(lambda m: SHORTHAND[m.group(1).lower()], text or "")
