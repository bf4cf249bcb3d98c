"""Synthetic personal data for the privacy tests: checksum-valid national IDs, account numbers and
IBANs computed here and checked with python-stdnum (random numbers, not real people), plus near
misses with a wrong check digit."""

from __future__ import annotations

import random

from stdnum import iban, luhn
from stdnum.dk import cpr
from stdnum.fi import hetu
from stdnum.no import fodselsnummer, kontonr
from stdnum.se import personnummer

HETU_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def _date(rng: random.Random, year_from=1940, year_to=2015) -> tuple[int, int, int]:
    return rng.randint(year_from, year_to), rng.randint(1, 12), rng.randint(1, 28)


def no_fnr(rng: random.Random, d_number: bool = False) -> str:
    """11-digit Norwegian fødselsnummer (or D-number: day + 40), valid per stdnum."""
    while True:
        year, month, day = _date(rng, 1940, 1999)
        individual = rng.randint(0, 499)
        base = f"{day + (40 if d_number else 0):02d}{month:02d}{year % 100:02d}{individual:03d}"
        for checks in range(100):
            value = f"{base}{checks:02d}"
            if fodselsnummer.is_valid(value):
                return value


def se_pnr(rng: random.Random, coordination: bool = False) -> str:
    """Swedish personnummer YYYYMMDD-NNNC, valid per stdnum; samordningsnummer (day + 60, which
    stdnum 2.2 does not know) with the same Luhn check digit rule."""
    year, month, day = _date(rng, 1940, 2015)
    base = f"{year}{month:02d}{day + (60 if coordination else 0):02d}-{rng.randint(0, 999):03d}"
    value = base + luhn.calc_check_digit(base[2:].replace("-", ""))
    assert coordination or personnummer.is_valid(value)
    return value


def se_forms(full: str) -> dict[str, str]:
    """The forms a Swede writes one personnummer in (century and separator optional)."""
    digits = full.replace("-", "")
    return {"century_dash": full, "century_nodash": digits, "short_dash": full[2:],
            "short_nodash": digits[2:]}


def dk_cpr(rng: random.Random) -> str:
    while True:
        year, month, day = _date(rng, 1940, 1999)
        value = f"{day:02d}{month:02d}{year % 100:02d}-{rng.randint(0, 3999):04d}"
        if cpr.is_valid(value):
            return value


def fi_hetu(rng: random.Random, century: str = "-") -> str:
    while True:
        year, month, day = _date(rng, 1940, 1999) if century in "-YXWVU" else _date(rng, 2000, 2015)
        base = f"{day:02d}{month:02d}{year % 100:02d}{century}{rng.randint(2, 899):03d}"
        for char in HETU_CHARS:
            if hetu.is_valid(base + char):
                return base + char


def no_account(rng: random.Random) -> str:
    """Norwegian account number 4.2.5 digits, mod-11 valid and NOT a valid fødselsnummer."""
    while True:
        base = f"{rng.randint(1000, 9999)}{rng.randint(10, 99)}{rng.randint(0, 9999):04d}"
        for check in range(10):
            value = base + str(check)
            if kontonr.is_valid(value) and not fodselsnummer.is_valid(value):
                return f"{value[:4]}.{value[4:6]}.{value[6:]}"


def iban_for(rng: random.Random, country: str = "NO") -> str:
    lengths = {"NO": 11, "SE": 20, "DK": 14, "FI": 14}
    while True:
        bban = "".join(str(rng.randint(0, 9)) for _ in range(lengths[country]))
        if country == "NO" and not kontonr.is_valid(bban):
            continue
        for check in range(2, 99):
            value = f"{country}{check:02d}{bban}"
            if iban.is_valid(value):
                return iban.format(value)


def bad_check(value: str) -> str:
    """Same number with its last digit changed so that the checksum fails."""
    last = value[-1]
    for digit in "0123456789":
        if digit != last:
            candidate = value[:-1] + digit
            forms = (candidate, candidate[2:]) if len(candidate) == 13 else (candidate,)
            if not any(check(form) for form in forms for check in (
                    fodselsnummer.is_valid, personnummer.is_valid, hetu.is_valid, kontonr.is_valid)):
                return candidate
    raise AssertionError(f"no near miss for {value}")
