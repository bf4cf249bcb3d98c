"""Context cues shared by the recognizers (all six languages together; cheap regex look-behind).

Decisions look at the words before a candidate *in the same sentence*: the nearest cue wins,
so "kommunens nummer 55 00 00 00" is the municipality's own number, while "kommunen kan ringe
meg på 900 00 000" is private again."""

from __future__ import annotations

import re

import regex

from privacy.links import WEB_LINK


def _cues(pattern: str) -> regex.Pattern:
    """Case-insensitive cue alternation; the ``regex`` engine scans these long alternations
    about twice as fast as ``re`` (same matches)."""
    return regex.compile(pattern, regex.IGNORECASE | regex.V0)


# Words that introduce a national ID number.
ID_CUES = _cues(
    r"f[øo]dsels?(?:nummer|nr|dato)|f\.?\s?nr|pers(?:on)?\.?\s?n(?:ummer|r)|p-?nr|d-?num+er|d-?nr|"
    r"cpr[\w.\-]*|hetu|henkil[öo]tunn\w*|sotu|personbeteckning|samordningsnummer|personal identity|"
    r"national id|identity (?:number|code)|\bid[- ]?(?:number|no|nr|nummer)|social security|"
    r"identitetsnummer|personal (?:id|number|code)|birth number|personnr")

# Words that introduce a bank account.
BANK_CUES = _cues(
    r"konto\w*|account\w*|\bacct|iban|\btili\w*|\bbank\w*|refusjon\w*|refund\w*|tilbakebetal\w*|"
    r"tilbagebetal\w*|[åa]terbetal\w*|palautu\w*|utbetal\w*|udbetal\w*|reg\.?\s?nr|clearing\w*|"
    r"betal\w* tilbake|pay(?:ment)? (?:back|to)|transfer\w*|bankgiro|maksu\w* tilille|overfør\w*|"
    r"överför\w*|sett(?:es|ast|jast)? inn")

# Words that introduce a phone number.
PHONE_CUES = _cues(
    r"\bring\w*|\btlf|\btel\b|telefon\w*|phone\w*|\bmob\w*|\bcall\w*|\bsms|whats\s?app|soita\w*|"
    r"\bpuh\w*|numero\w*|\bnummer\b|\bnr\b|\bnytt nr|kontakt\w*|contact\w*|reach|yhteys\w*|"
    r"text me|\bfax\b")

# Numbers that are not personal data: organisation, invoice, KID, case, meter, customer ...
NONPERSONAL_CUES = _cues(
    r"org(?:anisa\w*)?\.?\s?(?:n(?:umme)?r|no)\b|organi[sz]a\w*|\bcvr|y-?tunnu\w*|\bfo-?nummer|"
    r"business id|vat\b|\bmva|moms\w*|faktura\w*|invoice\w*|\blasku\w*|\bkid\b|\bocr\b|"
    r"referen\w*|\bref\b|viite\w*|\bsak\b|saks\w*|saken\b|\bsag\b|sags\w*|ärende\w*|\bdnr|"
    r"diarie\w*|\bcase\b|\basia\w*|måler\w*|mätar\w*|\bmeter\w*|mittari\w*|kunde\w*|kund\w*|"
    r"customer\w*|asiakasnu\w*|order\w*|ordre\w*|tilau\w*|\bgnr|\bbnr|kvittering\w*|receipt\w*|"
    r"\bgiro\b|journal\w*|postboks|kontrakt\w*|avtale\w*|policy|polise\w*|ticket\w*|billett\w*|"
    r"serie\w*|lisens\w*|licen[cs]e\w*|vedtak\w*|beslut\w*|päätö\w*|card\b|kort\b|kortet|"
    r"\bapt\b|\bsuite\b|\bunit\b|\bflat\b|\bbox\b|tracking|sporing\w*|pakke\w*|paket\w*|arkiv\w*|løpenummer|l[øo]penr|bilag\w*")

# The municipality's own public contact data (switchboard, office mail, its account number).
MUNICIPAL_CUES = _cues(
    r"kommune\w*|kommun\w*|council\w*|municipal\w*|borgerservice\w*|servicetorg\w*|"
    r"servicesenter\w*|servicekontor\w*|sentralbord\w*|switchboard|växel\w*|vaihde\w*|kunnan\b|"
    r"kunta\w*|kaupungin\b|kaupunki\w*|rådhus\w*|town hall|city hall|kundcent\w*|"
    r"kontaktcent\w*|medborgarkontor\w*|asiakaspalvelu\w*|information desk|front desk|"
    r"reception\w*|the office|kontoret\b|etatens|bydelens|bydelen\b")

# Words that make nearby data personal again (and outweigh an earlier municipal cue).
PERSONAL_CUES = _cues(
    r"\b(?:meg|mig|me|my|min|mitt|mine|mina|minun|minulle|minua|mi|eg|jeg|jag|we|vi|oss|os|"
    r"hans|hennes|hendes|his|her|hänen|privat\w*|private|personal|own|egen|eget|egne|eiga|"
    r"oma\w*|mor|far|mamma|pappa|datter\w*|dotter\w*|dotera|dottera|son\w*|søn\w*|sønn\w*|"
    r"daughter|husband|wife|mann\w*|kone\w*|fru\w*|make\w*|maka\w*|bror|søster|syster|"
    r"brother|sister|tyt[äa]r\w*|poika\w*|äiti\w*|isä\w*|vaimo\w*|mies\w*)\b")

# Words that say the next date is when someone was born (all six languages together).
BIRTH_CUES = _cues(
    r"\b(?:f[øo]dt|fødd(?:e|ar)?|född|föddes|fødes|syntyn\w*|syntyi|born)\b|"
    r"\bf[øo]dsels?dat\w*|\bf[øo]dsels?dag(?:en)?\b|\bfödelse(?:datum|dag)\w*|\bsyntymä(?:aika|päivä)\w{0,4}\b|"
    r"\bdate of birth\b|\bbirth ?date\b|\bd\.?o\.?b\b\.?")
# Between cue and date these make it a rule or a range, not someone's date of birth
# ("barn født før 1.9.2025", "born after 1 January 2020").
BIRTH_RULE_CUES = _cues(
    r"\b(?:før|etter|efter|innen|inden|fra|frå|mellom|mellem|mellan|innan|före|senast|sedan|siden|"
    r"ennen|jälkeen|lähtien|mennessä|välillä|before|after|by|until|between|since|from)\b")
# A kinship word with the date in apposition: "min sønn, 03.05.2016," / "äitini (12.3.1941)".
KIN_APPOSITION = _cues(
    r"(?:\b(?:sønn|sønnen|søn|son|sonen|datter|datteren|dattera|dotter|dottern|dottera|daughter|"
    r"barnet|child|mamma|pappa|mother|father|mormor|morfar|farmor|farfar|bestemor|bestefar|grandmother|"
    r"grandfather|kona|konen|hustru|hustrun|wife|husband|mannen|maken|äiti|äitini|isä|isäni|poika|poikani|"
    r"tytär|tyttäreni|lapseni|mummoni|vaimoni|mieheni)|\b(?:min|mi|mitt|vår|vores|var)\s+(?:mor|far|mann|barn)|"
    r"\b(?:mor|far)\s+(?:min|mi))(?:\s+(?:min|mi|mitt|mine|mina))?\s*[,(]\s*$")

_SENTENCE_END = re.compile(r"(?:[.!?]\s+(?=[A-ZÆØÅÄÖÜÉÁ\"'(])|\n\s*\n|[!?]\s)")


# How far back a link that reaches into a window is looked for (a link ends at whitespace).
_LINK_LOOKBACK = 300


def _without_links(text: str, lo: int, start: int) -> str:
    """``text[lo:start]`` with its web links blanked out (same length). A link's host and path are the
    site's words, not the writer's: "kommune" in ``https://kommune.example/kontakt`` or "sak" in
    ``/sak/123`` must not make the number written after the link the municipality's or a case number."""
    left = text[lo:start]
    low = left.lower()
    if "/" not in low and "www." not in low:
        return left
    begin = max(0, lo - _LINK_LOOKBACK)
    before = text[begin:lo]
    space = max(before.rfind(c) for c in " \n\t\r\xa0")
    if space < 0 and lo - begin == _LINK_LOOKBACK:  # inside a token longer than the look-back: no words
        first = re.search(r"\s", left)
        cut = first.start() if first else len(left)
        return " " * cut + _blank(left[cut:])
    from_ = begin + space + 1
    return _blank(text[from_:start])[lo - from_:]


def _blank(text: str) -> str:
    return WEB_LINK.sub(lambda m: " " * len(m.group(0)), text)


def window_before(text: str, start: int, width: int = 60) -> str:
    """The text before ``start`` in the same sentence (at most ``width`` characters), web links blanked."""
    left = _without_links(text, max(0, start - width), start)
    ends = list(_SENTENCE_END.finditer(left))
    if ends:
        left = left[ends[-1].end():]
    return left


def window_after(text: str, end: int, width: int = 30) -> str:
    right = text[end:end + width]
    match = re.search(r"[.!?](?:\s|$)|\n", right)
    return right[:match.start()] if match else right


def last_match_end(pattern: re.Pattern, window: str) -> int:
    """End offset of the last match of ``pattern`` in ``window`` (-1 if none)."""
    last = -1
    for match in pattern.finditer(window):
        last = match.end()
    return last


def nearest_cue(window: str, **patterns: re.Pattern) -> str | None:
    """Name of the pattern whose last match is closest to the end of ``window``."""
    best, best_pos = None, -1
    for name, pattern in patterns.items():
        pos = last_match_end(pattern, window)
        if pos > best_pos:
            best, best_pos = name, pos
    return best


def is_public_or_nonpersonal(text: str, start: int, width: int = 50) -> bool:
    """True when the nearest cue before ``start`` marks the number as not personal data."""
    cue = nearest_cue(window_before(text, start, width), municipal=MUNICIPAL_CUES,
                      nonpersonal=NONPERSONAL_CUES, personal=PERSONAL_CUES)
    return cue in ("municipal", "nonpersonal")
