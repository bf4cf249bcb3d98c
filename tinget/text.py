"""Text as it may be stored: no invisible control characters.

Postgres refuses NUL in a text value (psycopg: "A string literal cannot contain NUL (0x00) characters"),
so a NUL that reaches a query or a flush is a 500 there, while SQLite stores it silently; a lone
surrogate (possible from a JSON ``\\ud800`` escape) cannot be encoded as UTF-8 by either. The other
C0/C1 control characters are invisible in every page and carry no meaning in a message, an article or
a name.

Where it is applied:

* At the database, for every path: each text column is a ``tinget.db.CleanString``/``CleanText`` (each JSON
  column a ``CleanJSON``, for every string in the document), whose
  bind processing runs :func:`clean` on every value written to it (ORM or Core) and on every value
  compared with it in a query (``==``, ``in_``, ``ilike``). A new path needs nothing more. (An ORM object
  in memory keeps the value it was given until it is reloaded, e.g. after a commit.)
* Before a decision, explicitly: where the cleaned text is checked (a reply, note, reason or name of
  control characters only is empty and asked for again; a resident's message is checked for length)
  or goes somewhere the column type does not reach (Rasa, the redactor, e-mail, encrypted
  originals, comparisons in Python).
* Refused, not cleaned, with :func:`first_control`: e-mail addresses (a cleaned address can be someone
  else's) and import files (the error names the line). A comparison with an untyped SQL expression,
  e.g. ``func.lower(User.email) == value``, or a raw ``text()`` statement is not cleaned by the column type
  either.

Tab, line feed and carriage return stay. Vertical tab and form feed become a line feed: Word puts a
vertical tab for a manual line break (Shift+Enter) and PDF viewers copy a page break as a form feed;
dropping them would glue two words together.
"""

from __future__ import annotations

import re

# C0 controls but tab, LF, CR; DEL; C1 controls; lone surrogates.
_UNWANTED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_BREAKS = {"\x0b": "\n", "\x0c": "\n"}


def clean(text: str) -> str:
    """``text`` without control characters other than tab and line breaks (see the module's docstring)."""
    if not text or _UNWANTED.search(text) is None:
        return text
    return _UNWANTED.sub(lambda m: _BREAKS.get(m.group(0), ""), text)


def first_control(text: str) -> str | None:
    """The first character :func:`clean` would change, as ``U+0000``; None if there is none."""
    found = _UNWANTED.search(text or "")
    return None if found is None else f"U+{ord(found.group(0)):04X}"
