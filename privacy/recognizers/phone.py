"""PHONE: Nordic and international phone numbers, validated with ``phonenumbers``.

Without a phone cue a candidate must be a valid number of a Nordic plan (or international with
``+``/``00``); right after a cue ("ring meg på", "Phone:", "puh.") any phone-shaped digit group
counts. Invoice/organisation/meter numbers and the municipality's own numbers (nearest cue in
the sentence) are skipped; the caller's allow-list is applied by the redactor."""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

from privacy.context import PHONE_CUES, is_public_or_nonpersonal, window_after, window_before
from privacy.recognizers.base import NordicRecognizer

CANDIDATE = re.compile(
    r"(?<![\w+.,/\-])"
    r"((?:\+|00)\d{1,3}[ \-.]?(?:\(0\)[ ]?)?)?"          # country code
    r"(\(\d{1,5}\)[ \-.]?)?"                              # (area)
    r"(\d{1,12}(?:[ \-.]\d{1,8}){0,5})"                   # digit groups
    r"(?![\w]|[.,:]\d|[-/]\d|\s?(?:kr|nok|sek|dkk|eur|€|,-|%|euro|kroner|kronor))",
    re.IGNORECASE)

DATE_LIKE = re.compile(r"^\d{1,4}[./\-]\d{1,2}[./\-]\d{1,4}$")
REGIONS = {"nb": ("NO",), "nn": ("NO",), "sv": ("SE",), "da": ("DK",), "fi": ("FI",),
           "en": ("NO", "GB", "US")}
NORDIC = ("NO", "SE", "DK", "FI")
_TRUNK_ZERO = {"SE", "FI", "GB"}


def _valid_national(digits: str, region: str) -> bool:
    if region in ("NO", "DK"):
        if len(digits) != 8 or digits[0] in "01":
            return False
    elif region in _TRUNK_ZERO:
        if not digits.startswith("0") or digits.startswith("00"):
            return False
    elif region == "US" and len(digits) != 10:
        return False
    try:
        number = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


def _valid_international(raw: str) -> bool:
    value = raw.strip()
    if value.startswith("00"):
        value = "+" + value[2:]
    try:
        number = phonenumbers.parse(re.sub(r"\(0\)", "", value), None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number) or phonenumbers.is_possible_number(number)


def _cue_right_before(text: str, start: int) -> bool:
    window = window_before(text, start, 40)
    ends = [m.end() for m in PHONE_CUES.finditer(window)]
    return bool(ends) and len(window) - ends[-1] <= 22


class NordicPhoneRecognizer(NordicRecognizer):
    ENTITY = "PHONE"
    CONTEXT = ("ring", "tlf", "telefon", "mobil", "phone", "call", "soita", "puh", "nummer")

    def find(self, text: str, artifacts) -> Iterator[tuple]:
        regions = REGIONS.get(self.supported_language, ()) + NORDIC
        for match in CANDIDATE.finditer(text):
            found = _judge(text, match, regions)
            if found is None and match.group(3).count(" "):
                # a run of digit groups that is no phone may end in one: "?side=2 41234567" (a link's page
                # number, then the number), "rom 12 41234567". The candidate took the whole run, so the
                # groups after each space are judged on their own.
                for gap in re.finditer(r" (?=\d)", match.group(3)):
                    sub = CANDIDATE.match(text, match.start(3) + gap.end())
                    found = _judge(text, sub, regions) if sub else None
                    if found:
                        break
            if found:
                yield found


def _judge(text: str, match: re.Match, regions: tuple[str, ...]) -> tuple | None:
    """``(start, end, score)`` when the candidate ``match`` is a phone number, else None."""
    start, end = match.span()
    raw = match.group(0)
    digits = re.sub(r"\D", "", raw)
    if not 6 <= len(digits) <= 15:
        return None
    body = match.group(3)
    if (DATE_LIKE.match(body) or re.match(r"(?:19|20)\d{2}-\d{2}-\d{2}", body)) and not match.group(1):
        return None
    # a Danish or Norwegian mobile written 4+4 after a phone cue ("Ring på 2012 3456") is no year + number
    cued_national = (_cue_right_before(text, start) and len(digits) == 8
                     and any(_valid_national(digits, r) for r in regions if r in ("DK", "NO")))
    if re.fullmatch(r"\d{4}\.\d{2}\.\d{5}", body) or re.fullmatch(r"(19|20)\d{2}", body[:4]) \
            and re.fullmatch(r"\d{4}[ \-]\d{1,5}", body) and not cued_national:
        return None  # account number in 4.2.5 form, or "2023 12" year + number
    if re.fullmatch(r"\d{6}[-+ ]\d{4,5}|(?:19|20)\d{6}-\d{4}", body) and not match.group(1) \
            and not _cue_right_before(text, start):
        return None  # shaped like a personal ID (CPR/personnummer/fødselsnummer), not a phone
    if "." in body and not re.fullmatch(r"\d{2,3}(?:\.\d{2,3}){2,4}", body):
        return None
    after = window_after(text, end, 12).lower()
    if re.match(r"\s*(?:kr|nok|sek|dkk|eur|€|,-|%|timer|min|km|m2|kvm)", after):
        return None
    if is_public_or_nonpersonal(text, start):
        return None
    cue = _cue_right_before(text, start)
    if match.group(1):  # +47 ..., 0046 ...
        ok = _valid_international(raw)
        score = 0.95 if ok else 0.6
        ok = ok or cue
    else:
        national = digits
        ok = len(digits) >= 7 and any(_valid_national(national, r) for r in regions)
        score = 0.85 if ok else 0.55
        if not ok and cue:
            # after a phone cue any phone-shaped group counts (foreign formats)
            ok = 6 <= len(digits) <= 13 and (len(body.split()) > 1 or "-" in body
                                             or match.group(2) or len(digits) >= 8)
    return (start, end, score) if ok else None
