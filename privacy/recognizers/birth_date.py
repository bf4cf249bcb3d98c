"""BIRTH_DATE: a person's date of birth, numeric (12.03.1941, 12/3/41, 1941-03-12) or with the
month written out in the six languages (12. mars 1941, 12 maj 1941, 12. maaliskuuta 1941,
March 12, 1941), validated as a real calendar date that is not in the future.

Residents write dates all the time (deadlines, meetings, collection days, case dates), so a date
alone is never enough. A date counts only

* after a birth cue ("født", "fødd", "född", "fødselsdato", "födelsedatum", "syntynyt",
  "syntymäaika", "born", "date of birth", "DOB" ...) a few words before it in the same sentence,
  with no other number and no comparison word ("født før 1.9.2025", "born after ...": a rule, not
  a person) in between; the abbreviations "f." (nb/nn/da/sv) and "s." (fi) only right before; or
* in apposition right after a kinship word with a year at least one year back ("min sønn,
  03.05.2016," / "äitini (12.3.1941)"): weaker, scored lower.

A year alone ("født i 1941") is left: it is far less identifying. National ID numbers (which hold
the birth date) are the NATIONAL_ID recognizer's, and win any overlap (``Redactor`` priority)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from privacy.context import BIRTH_CUES, BIRTH_RULE_CUES, KIN_APPOSITION, window_after, window_before
from privacy.recognizers.base import NordicRecognizer

MONTHS = {
    1: r"januar[iy]?|jan|tammikuu(?:ta)?|tammik",
    2: r"februar[iy]?|feb|helmikuu(?:ta)?|helmik",
    3: r"mars|marts|march|mar|maaliskuu(?:ta)?|maalisk",
    4: r"april|apr|huhtikuu(?:ta)?|huhtik",
    5: r"mai|maj|may|toukokuu(?:ta)?|toukok",
    6: r"juni|june|jun|kesäkuu(?:ta)?|kesäk",
    7: r"juli|july|jul|heinäkuu(?:ta)?|heinäk",
    8: r"august[i]?|aug|elokuu(?:ta)?|elok",
    9: r"september|sept|sep|syyskuu(?:ta)?|syysk",
    10: r"oktober|october|okt|oct|lokakuu(?:ta)?|lokak",
    11: r"november|nov|marraskuu(?:ta)?|marrask",
    12: r"desember|december|des|dec|joulukuu(?:ta)?|jouluk",
}
_MONTH = "|".join(f"(?P<m{n}>{alts})" for n, alts in MONTHS.items())
_END = r"(?![\w/]|[.,\-]\d)"

NUMERIC_DMY = re.compile(r"(?<![\w.,/\-])(?P<a>\d{1,2})(?P<sep>[./\-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})" + _END)
NUMERIC_ISO = re.compile(r"(?<![\w.,/\-])(?P<y>\d{4})-(?P<b>\d{1,2})-(?P<a>\d{1,2})" + _END)
WRITTEN_DMY = re.compile(
    r"(?<![\w.,])(?P<a>\d{1,2})(?:\.|st|nd|rd|th)?\s*(?:of\s+)?(?:" + _MONTH + r")\.?"
    r"(?:,?\s+(?P<y>\d{4}))?(?![\w])", re.IGNORECASE)
WRITTEN_MDY = re.compile(
    r"(?<![\w])(?:" + _MONTH + r")\.?\s+(?P<a>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{4}))?(?![\w]|[.,]\d)",
    re.IGNORECASE)

# Short forms only right before the date ("f. 12.03.1941", fi "s. 12.3.1941").
_F = r"(?<![\w.])f\.\s?$"
ABBREVIATION = {"nb": _F, "nn": _F, "da": _F, "sv": _F, "fi": r"(?<![\w.])s\.\s?$"}
# A rule or a range after the date ("født 1.1.2020 eller senere", "1.1.2019-31.12.2019"); the cues before it
# that make it one ("født før 1.9.2025") are privacy.context.BIRTH_RULE_CUES.
RULE_AFTER = re.compile(
    r"\s*(?:[-–—]\s*\d|(?:til|till|to|until|asti)\s+\d|(?:eller|or|tai|och|og|and|ja)\s+(?:sen\s+|sitä\s+)?"
    r"(?:senere|seinare|senare|tidligere|tidlegare|tidigere|tidigare|later|earlier|after|before|etter|"
    r"efter|før|före|myöhemmin|aiemmin|jälkeen|ennen)\b)", re.IGNORECASE)
MAX_GAP = 30  # characters between the end of a birth cue and the date
MAX_AGE = 120


def _date(year: int | None, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year if year is not None else 2000, month, day)
    except ValueError:
        return None


def _year(raw: str | None, today: dt.date) -> int | None:
    if not raw:
        return None
    year = int(raw)
    if len(raw) == 2:
        year += 2000 if year <= today.year % 100 else 1900
    return year


def _month(match: re.Match) -> int:
    return next(n for n in MONTHS if match.group(f"m{n}"))


def _birth_cue_before(text: str, start: int, language: str) -> bool:
    window = window_before(text, start, 60)
    if re.search(ABBREVIATION.get(language, r"(?!)"), window):
        return True
    ends = [m.end() for m in BIRTH_CUES.finditer(window)]
    if not ends:
        return False
    gap = window[ends[-1]:]
    return len(gap) <= MAX_GAP and not re.search(r"\d", gap) and not BIRTH_RULE_CUES.search(gap)


def _kin_apposition(text: str, start: int, end: int) -> bool:
    if not KIN_APPOSITION.search(window_before(text, start, 40)):
        return False
    return re.match(r"\s*(?:[,)]|$)", window_after(text, end, 5)) is not None


class NordicBirthDateRecognizer(NordicRecognizer):
    ENTITY = "BIRTH_DATE"
    CONTEXT = ("født", "fødd", "född", "fødselsdato", "fødselsdag", "födelsedatum", "syntynyt",
               "syntymäaika", "born", "date of birth", "dob")

    def find(self, text: str, artifacts) -> Iterator[tuple]:
        today = dt.date.today()
        candidates = []  # (match, [(month, day)], written)
        for pattern in (NUMERIC_ISO, NUMERIC_DMY):
            for m in pattern.finditer(text):
                a, b = int(m.group("a")), int(m.group("b"))
                both = pattern is NUMERIC_DMY and m.group("sep") == "/" and self.supported_language == "en"
                candidates.append((m, [(b, a), (a, b)] if both else [(b, a)], False))  # en: 03/12/1941 too
        for pattern in (WRITTEN_DMY, WRITTEN_MDY):
            candidates += [(m, [(_month(m), int(m.group("a")))], True) for m in pattern.finditer(text)]
        taken: list[tuple[int, int]] = []
        for match, days, written in candidates:
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            year = _year(match.group("y"), today)
            if year is None and not written:
                continue
            dates = [d for d in (_date(year, month, day) for month, day in days) if d is not None]
            if not dates or year is not None and (year < today.year - MAX_AGE or all(d > today for d in dates)):
                continue  # no such day, or not a living person's birth date
            if RULE_AFTER.match(text, end):
                continue
            if _birth_cue_before(text, start, self.supported_language):
                score = 0.85
            elif not written and year is not None and year <= today.year - 1 and _kin_apposition(text, start, end):
                score = 0.6
            else:
                continue
            taken.append((start, end))
            yield (start, end, score)
