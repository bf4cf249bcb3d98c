"""ADDRESS: street + house number (+ letter, floor/door, ", postcode town").

A street is a capitalised name ending in a Nordic/English street word (-gata/-gate/-veien/-vegen/
-vägen/-gatan/-vej/-gade/-katu/-tie/allé/Road/Street ...), or any capitalised name when a postcode
and town follow or an address cue ("bor i", "flyttet til", "address") precedes. A street name
without a house number ("Gatelyset i Storgata er mørkt") is a place, not an address."""

from __future__ import annotations

import re
from collections.abc import Iterator

from privacy.recognizers.base import NordicRecognizer

UP = "A-ZÆØÅÄÖÜÉÁÓÍÞÐČŠŽ"
LO = "a-zæøåäöüéáóíúýþðčšžß"
CAP = rf"[{UP}][{LO}{UP}'’\-]*"
WORD = rf"[{UP}{LO}][{LO}'’\-]*"

SUFFIXES = (
    r"gata|gate|gaten|gatan|gatu|veien|vegen|vei|veg|vegen|vägen|väg|vej|vejen|gade|gaden|allé|alle|"
    r"alléen|plass|plassen|plads|pladsen|torget|torg|torv|torvet|stien|stigen|stig|stræde|straede|"
    r"bakken|backe|backen|brinken|lia|lien|liane|kleiva|tunet|ringen|svingen|løkka|løkken|haugen|"
    r"parken|park|kaia|kaien|bryggen|brygga|kajen|esplanaden|strand|stranda|stranden|jordet|vænget|"
    r"vang|have|toften|høj|højen|vangen|krogen|marken|engen|katu|kadulla|tie|tiellä|kuja|polku|"
    r"raitti|väylä|kaari|rinne|mäki|puisto|tori|ranta|gränd|gränden|stråket|platsen|leden|"
    r"straße|strasse|str|weg|laan|gracht|straat|ut|utca|útja|road|rd|street|st|avenue|ave|lane|ln|"
    r"drive|dr|way|court|ct|place|pl|square|close|crescent|terrace|boulevard|blvd|highway|hwy|"
    r"parkway|row|walk|hill|hills|gardens|grove|mews|view"
)
SEPARATE_STREET_WORD = (
    r"gate|gata|gaten|gatan|vei|veg|vegen|veien|väg|vägen|vej|allé|alle|plass|plads|torg|"
    r"Road|Street|Avenue|Lane|Drive|Way|Court|Place|Square|Close|Crescent|Terrace|Boulevard|"
    r"Rd\.?|St\.?|Ave\.?|Blvd\.?|Str\.?|tie|katu"
)
NUMBER = rf"\d{{1,4}}(?:\s?[A-Za-z](?![{LO}]))?(?:\s?-\s?\d{{1,4}})?"
UNIT = (r"(?:,?\s(?:[A-Z]\s)?\d{1,3}(?![\d.,])|,?\s\d{1,2}\.\s?(?:sal|tv|th|mf|etg|etasje|"
        r"floor|krs|kerros)\.?|,?\s(?:Apt|Suite|Unit|Flat|lgh|leil|bolig|H)\.?\s?\d{1,5}|"
        r",?\s(?:st|kl|th|tv|mf)\.(?:\s?(?:tv|th|mf)\.?)?)")
POSTCODE_TOWN = (rf"(?:,?\s+(?:(?:[A-Z]{{1,2}}-)?\d{{4,5}}|\d{{3}}\s\d{{2}})\s+{CAP}(?:[ \-]{CAP})?"
                 rf"(?:\s[A-Z](?![{LO}\w]))?)")

SUFFIX_STREET = re.compile(
    rf"(?<![\w{LO}])((?:{CAP}\s){{0,3}}(?:{CAP}(?:{SUFFIXES})|{CAP}\s(?:{SEPARATE_STREET_WORD}))"
    rf"\s{NUMBER}(?![\d.,]\d|[\w]){UNIT}*{POSTCODE_TOWN}?)")
ANY_STREET_WITH_TOWN = re.compile(
    rf"(?<![\w{LO}])((?:{CAP}\s){{0,2}}{CAP}\s{NUMBER}{UNIT}*{POSTCODE_TOWN})")
CUE_STREET = re.compile(
    rf"(?:\b(?:bor|bur|bosatt|busett|adresse\w*|address\w*|adress\w*|osoite\w*|"
    rf"(?:flytt\w*|moved|muutimme|muutin|muuttanut)(?:\s(?:til|till|to|into|i|på))?|"
    rf"lives?(?:\s(?:at|in|on))?|living at)(?:\s(?:i|på|er|is|är|on|min|mi|my))?:?\s+)"
    rf"((?:{CAP}\s){{0,2}}{CAP}\s{NUMBER}(?![\d.,]\d|[\w]){UNIT}*{POSTCODE_TOWN}?)(?![\w])")
ENGLISH_STREET_WORD = (r"Road|Street|Avenue|Lane|Drive|Way|Court|Place|Square|Close|Crescent|Terrace|"
                       r"Boulevard|Rd\.?|St\.?|Ave\.?|Blvd\.?|Str\.?")
ENGLISH_NUMBER_FIRST = re.compile(
    rf"(?<![\w.,])(\d{{1,5}}\s(?:{CAP}\s){{0,3}}(?:{ENGLISH_STREET_WORD}|{CAP}(?:{SUFFIXES}))"
    rf"(?![\w])(?:,?\s(?:Apt|Suite|Unit|Flat)\.?\s?\d{{1,5}})?)")
PO_BOX = re.compile(r"(?i)(?<![\w])((?:P\.?O\.? Box|PSC|postboks|box|USS|USNS|USNV|USCGC)\s?[\w\d]+"
                    r"(?:,\s?Box\s\d+)?(?:\s*\n?\s*(?:APO|FPO|DPO)\s[A-Z]{2}\s\d{5})?)")
NOT_STREET_WORDS = re.compile(
    r"^(?:Saken|Sak|Kr|NOK|SEK|DKK|EUR|Nr|No|Nummer|Ref|Gnr|Bnr|KID|Org|Tlf|Tel|Fnr|Konto|Uke|Week|"
    r"Vecka|Viikko|Januar|Februar|Mars|April|Mai|Juni|Juli|August|September|Oktober|November|"
    r"Desember|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Okt|Nov|Des|Dec|Kl|Klokka|Klokken|Side|Page|"
    r"Rom|Room|Bygg|Versjon|Version|Covid|Kapittel|Chapter|Paragraf|Artikkel|Article|Klasse|"
    r"Trinn|Grade|Buss|Bus|Linje|Line|Rute|Route|Tog|Train|Gate\sA|Gnr\.|Sal|Salen|Dnr|KS|VON|"
    r"KAU|Plan|Fase|Phase|Steg|Step)$")


class NordicAddressRecognizer(NordicRecognizer):
    ENTITY = "ADDRESS"
    CONTEXT = ("adresse", "address", "adress", "osoite", "bor", "bur", "flyttet", "flyttat",
               "moved")

    def find(self, text: str, artifacts) -> Iterator[tuple]:
        found: list[tuple[int, int, float]] = []
        for pattern, score in ((SUFFIX_STREET, 0.85), (ANY_STREET_WITH_TOWN, 0.7),
                               (CUE_STREET, 0.6), (ENGLISH_NUMBER_FIRST, 0.7), (PO_BOX, 0.6)):
            for match in pattern.finditer(text):
                start, end = match.span(1)
                value = match.group(1).rstrip(" ,")
                end = start + len(value)
                first = value.split()[0]
                if NOT_STREET_WORDS.match(first) or NOT_STREET_WORDS.match(value.split()[0].rstrip(".")):
                    continue
                if pattern is CUE_STREET and not self._cue_street_ok(value):
                    continue
                found.append((start, end, score))
        found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
        last_end = -1
        for start, end, score in found:
            if start < last_end:
                continue
            last_end = end
            yield (start, end, score)

    @staticmethod
    def _cue_street_ok(value: str) -> bool:
        """After a bare cue the name must not look like a date or a count ("i Mai 12")."""
        head = value.split()[0]
        return len(head) >= 4 and not head.isupper()
