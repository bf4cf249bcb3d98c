"""NATIONAL_ID: Norwegian fødselsnummer / D-number, Swedish personnummer / samordningsnummer,
Danish CPR and Finnish HETU, validated with python-stdnum.

Every valid fødselsnummer also passes the Norwegian account-number check (mod 11): an 11-digit
number is an account only when a bank cue is nearer than an ID cue (``classify_eleven``).
A number written right after an ID cue ("fødselsnummer 150919 63883") is redacted even with a
wrong check digit (a typo'd ID is still personal data), but never after an organisation or
invoice cue."""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import luhn
from stdnum.dk import cpr
from stdnum.fi import hetu
from stdnum.no import fodselsnummer, kontonr
from stdnum.se import personnummer

from privacy.context import (
    BANK_CUES,
    ID_CUES,
    MUNICIPAL_CUES,
    NONPERSONAL_CUES,
    PERSONAL_CUES,
    nearest_cue,
    window_before,
)
from privacy.recognizers.base import NordicRecognizer

# Boundaries: not inside a longer number ("1234.5678901", "+4712345678901"); letters and slashes
# may touch the number ("fnr12345678901", "12345678901/12345678901" are still personal data).
_B = r"(?<![\d+])(?<!\d[.,\-])"
_E = r"(?!\d|[.,\-]\d)"

NO_FNR = re.compile(_B + r"(\d{6}[ ]?\d{5})" + _E)
SE_PNR = re.compile(_B + r"((?:19|20)?\d{6}[-+ ]?\d{4})" + _E)
FI_HETU = re.compile(_B + r"(\d{6}[-+ABCDEFUVWXYabcdefuvwxy]\d{3}[0-9A-Ya-y])" + _E)


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def se_valid(value: str) -> bool:
    """Swedish personnummer, or samordningsnummer (day of birth + 60; python-stdnum 2.2 only knows
    the personnummer): Luhn over the ten last digits and a real date after taking off the 60."""
    value = value.replace(" ", "-")
    if personnummer.is_valid(value):
        return True
    digits = _digits(value)
    if len(digits) not in (10, 12):
        return False
    day_at = 6 if len(digits) == 12 else 4
    day = int(digits[day_at:day_at + 2])
    if not 61 <= day <= 91 or not luhn.is_valid(digits[-10:]):
        return False
    shifted = digits[:day_at] + f"{day - 60:02d}" + digits[day_at + 2:]
    sep = value[-5] if value[-5] in "-+" else "-"
    try:
        personnummer.get_birth_date(shifted[:-4] + sep + shifted[-4:])
    except Exception:
        return False
    return True


def classify_eleven(text: str, start: int, value: str) -> str | None:
    """Label of an 11-digit Norwegian number: NATIONAL_ID, BANK_ACCOUNT or None (neither)."""
    digits = _digits(value)
    is_fnr = fodselsnummer.is_valid(digits)
    is_account = kontonr.is_valid(digits)
    dotted = "." in value
    if not (is_fnr or is_account):
        return None
    cue = nearest_cue(window_before(text, start, 60), id=ID_CUES, bank=BANK_CUES)
    if dotted and is_account:
        return "BANK_ACCOUNT"
    if is_fnr and cue != "bank":
        return "NATIONAL_ID"
    return "BANK_ACCOUNT" if is_account else None


def _id_cue_right_before(text: str, start: int) -> bool:
    """An ID cue is the nearest cue, a few words before the number."""
    window = window_before(text, start, 45)
    cue = nearest_cue(window, id=ID_CUES, nonpersonal=NONPERSONAL_CUES, bank=BANK_CUES,
                      municipal=MUNICIPAL_CUES)
    return cue == "id"


class NordicNationalIdRecognizer(NordicRecognizer):
    ENTITY = "NATIONAL_ID"
    CONTEXT = ("fødselsnummer", "fnr", "personnummer", "d-nummer", "cpr", "henkilötunnus", "hetu",
               "personbeteckning", "samordningsnummer", "national id", "id number")

    def find(self, text: str, artifacts) -> Iterator[tuple]:
        seen: set[tuple[int, int]] = set()

        def emit(start: int, end: int, score: float):
            if (start, end) not in seen:
                seen.add((start, end))
                return (start, end, score)
            return None

        for match in FI_HETU.finditer(text):
            value = match.group(1)
            if hetu.is_valid(value.upper()):
                hit = emit(match.start(1), match.end(1), 1.0)
            elif _id_cue_right_before(text, match.start(1)):
                hit = emit(match.start(1), match.end(1), 0.6)
            else:
                hit = None
            if hit:
                yield hit

        for match in NO_FNR.finditer(text):
            start, end, value = match.start(1), match.end(1), match.group(1)
            label = classify_eleven(text, start, value)
            if label == "NATIONAL_ID":
                hit = emit(start, end, 1.0)
            elif label is None and _id_cue_right_before(text, start):
                hit = emit(start, end, 0.6)
            else:
                hit = None
            if hit:
                yield hit

        for match in SE_PNR.finditer(text):
            start, end, value = match.start(1), match.end(1), match.group(1)
            digits = _digits(value)
            sep_ok = value[-5] in "-+ " if len(value) in (11, 13) else True
            if not sep_ok:
                continue
            if se_valid(value):
                hit = emit(start, end, 0.95)
            elif len(digits) == 10 and cpr.is_valid(digits[:6] + "-" + digits[6:]) and (
                    len(value) == 10 or value[6:7] == "-"):
                # Danish CPR (date check only: the mod-11 rule was dropped in 2007).
                if ("-" in value and not _nonpersonal_cue_nearest(text, start)) or _cpr_plausible(text, start):
                    hit = emit(start, end, 0.9)
                else:
                    hit = None
            elif _id_cue_right_before(text, start):
                hit = emit(start, end, 0.6)
            else:
                hit = None
            if hit:
                yield hit


def _cpr_plausible(text: str, start: int) -> bool:
    """A bare 10-digit CPR candidate (valid date) counts unless the sentence marks it as a phone,
    an account or a non-personal number."""
    window = window_before(text, start, 50)
    cue = nearest_cue(window, id=ID_CUES, nonpersonal=NONPERSONAL_CUES, bank=BANK_CUES,
                      municipal=MUNICIPAL_CUES, personal=PERSONAL_CUES)
    if cue in ("nonpersonal", "bank", "municipal"):
        return False
    from privacy.context import PHONE_CUES

    phone_pos = -1
    for m in PHONE_CUES.finditer(window):
        phone_pos = m.end()
    id_pos = -1
    for m in ID_CUES.finditer(window):
        id_pos = m.end()
    return not (phone_pos > id_pos)  # an ID cue ending at the same place wins ("CPR-nr.")


def _nonpersonal_cue_nearest(text: str, start: int) -> bool:
    """"Ordernummer 031111-8790": an order/invoice/organisation cue is nearer than any ID cue."""
    cue = nearest_cue(window_before(text, start, 50), id=ID_CUES, nonpersonal=NONPERSONAL_CUES,
                      bank=BANK_CUES, municipal=MUNICIPAL_CUES, personal=PERSONAL_CUES)
    return cue in ("nonpersonal", "bank", "municipal")
