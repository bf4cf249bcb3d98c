"""BANK_ACCOUNT: Norwegian account numbers (mod 11, also 4.2.5 dotted), IBAN (ISO 7064), and
Danish/Swedish bank-code + account forms after a bank cue.

The municipality's own account ("Kommunens kontonummer ...") is public and kept."""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import iban
from stdnum.no import kontonr

from privacy.context import (
    BANK_CUES,
    MUNICIPAL_CUES,
    NONPERSONAL_CUES,
    PERSONAL_CUES,
    PHONE_CUES,
    is_public_or_nonpersonal,
    nearest_cue,
    window_before,
)
from privacy.recognizers.base import NordicRecognizer
from privacy.recognizers.national_id import classify_eleven

# 11 digits, written 4.2.5 / 4 2 5 / together, or 4 4 3 as many banks print them ("1234 5678 903")
NO_ACCOUNT = re.compile(r"(?<![\w.,/+\-])(\d{4}([ .]?)\d{2}\2\d{5}|\d{4}([ .])\d{4}\3\d{3})(?![\w/]|[.,\-]\d)")
IBAN = re.compile(r"(?<![\w])([A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?)(?![\w])")
# Swedbank writes a five-digit clearing number ("8327-9") and a ten-digit account in groups ("123 456 789-0"),
# often with a comma between them or with the account alone after its own cue ("Clearingnummer 8327-9,
# kontonummer 123 456 789-0"): both stayed in the text.
BANK_CODE_ACCOUNT = re.compile(
    r"(?<![\w.,/+\-])(\d{4}[ \-,]?\d{6,10}(?:-\d)?|\d{4}-\d,?[ \-]?\d{2,3}[ \-]?\d{3}[ \-]?\d{3}-?\d|"
    r"\d{3} \d{3} \d{3}-\d)"
    r"(?![\w/]|[.,\-]\d)")


# An account written in digit groups right after a bank cue ("Kontonummer 2012 3456 7890"): one account, whatever
# its checksum (a typo, a foreign account); the phone recognizer took its last groups for a phone number.
CUED_GROUPS = re.compile(r"(?<![\w.,/+\-])(\d{4}(?:[ .]\d{2,5}){2,3})(?![\w/]|[.,\-]\d)")


def _bank_cue_right_before(text: str, start: int) -> bool:
    """A bank cue is the nearest cue (no phone cue after it), a few words before the number."""
    window = window_before(text, start, 40)
    cue = nearest_cue(window, bank=BANK_CUES, phone=PHONE_CUES, nonpersonal=NONPERSONAL_CUES,
                      municipal=MUNICIPAL_CUES)
    last = [m.end() for m in BANK_CUES.finditer(window)]
    return cue == "bank" and bool(last) and len(window) - last[-1] <= 25


def _bank_cue_near(text: str, start: int) -> bool:
    window = window_before(text, start, 60)
    cue = nearest_cue(window, bank=BANK_CUES, nonpersonal=NONPERSONAL_CUES,
                      municipal=MUNICIPAL_CUES, personal=PERSONAL_CUES)
    return cue in ("bank", "personal") and BANK_CUES.search(window) is not None


class NordicBankAccountRecognizer(NordicRecognizer):
    ENTITY = "BANK_ACCOUNT"
    CONTEXT = ("konto", "kontonummer", "account", "iban", "tili", "refusjon", "tilbakebetaling")

    def find(self, text: str, artifacts) -> Iterator[tuple]:
        taken: list[tuple[int, int]] = []
        for match in IBAN.finditer(text):
            value = match.group(1)
            # trailing group may have eaten a following word-less token; trim until valid
            candidate = value
            while candidate and not iban.is_valid(candidate):
                if " " not in candidate:
                    candidate = ""
                    break
                candidate = candidate.rsplit(" ", 1)[0]
            if candidate and not is_public_or_nonpersonal(text, match.start(1), 40):
                taken.append((match.start(1), match.start(1) + len(candidate)))
                yield (match.start(1), match.start(1) + len(candidate), 1.0)

        for match in NO_ACCOUNT.finditer(text):
            start, end, value = match.start(1), match.end(1), match.group(1)
            if not kontonr.is_valid(value.replace(".", "").replace(" ", "")):
                continue
            if is_public_or_nonpersonal(text, start, 50):
                continue
            if classify_eleven(text, start, value) == "BANK_ACCOUNT":
                taken.append((start, end))
                yield (start, end, 0.95 if "." in value else 0.85)

        for match in CUED_GROUPS.finditer(text):
            start, end = match.span(1)
            if any(s < end and start < e for s, e in taken) or not 10 <= sum(c.isdigit() for c in match.group(1)) <= 18:
                continue
            if _bank_cue_right_before(text, start) and not is_public_or_nonpersonal(text, start, 50):
                taken.append((start, end))
                yield (start, end, 0.75)

        for match in BANK_CODE_ACCOUNT.finditer(text):
            start, end = match.span(1)
            if any(s < end and start < e for s, e in taken):
                continue
            if _bank_cue_near(text, start) and not is_public_or_nonpersonal(text, start, 50):
                yield (start, end, 0.7)
