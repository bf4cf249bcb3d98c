"""ADDRESS: street + house number (+ letter, floor/door, ", postcode town").

A street is a capitalised name ending in a Nordic/English street word (-gata/-gate/-veien/-vegen/
-vägen/-gatan/-vej/-gade/-katu/-tie/allé/Road/Street ...), or any capitalised name when a postcode
and town follow or an address cue ("bor i", "flyttet til", "address") precedes. A street name
without a house number ("Gatelyset i Storgata er mørkt") is a place, not an address.

International postal formats: a unit designator (Apt./Suite/Unit/Flat + number) with the numbered
street before it and the town/country/postcode lines after it; P.O. Box, PSC ... Box, APO/FPO and
ship addresses; foreign street words before the name (Calle, Avda., Rua, Rue, ul., Markt ...) or
after it (Hungarian utca/út); a numbered street line followed by a CAPITALISED town line; and
"the corner of X and Y" when one side has a number or a street word.

Nothing that starts inside a link (a URL's path, query or fragment) is an address: "?id=123 Act" is a
query value and the next word of the sentence; an address written after the link is still found."""

from __future__ import annotations

import re
from collections.abc import Iterator

from privacy.links import WEB_LINK
from privacy.names import lexicon
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
    r"straße|strasse|str|weg|laan|gracht|straat|ut|utca|útja|road|street|avenue|lane|"
    r"drive|way|court|place|square|close|crescent|terrace|boulevard|highway|"
    r"parkway|row|walk|hill|hills|gardens|grove|mews|view"
)
# English abbreviations are street words only as words of their own ("Elm St", "Oxford Rd."): as the end
# of a word they matched "Subject" (ct), "August", "Forest", "Last" (st), "Oxford" (rd).
ABBREVIATIONS = r"rd|st|ave|ln|dr|ct|pl|blvd|hwy"
SEPARATE_STREET_WORD = (
    r"gate|gata|gaten|gatan|vei|veg|vegen|veien|väg|vägen|vej|allé|alle|plass|plads|torg|"
    r"Road|Street|Avenue|Lane|Drive|Way|Court|Place|Square|Close|Crescent|Terrace|Boulevard|"
    r"Rd\.?|St\.?|Ave\.?|Blvd\.?|Str\.?|Dr\.?|Ct\.?|Ln\.?|Pl\.?|Hwy\.?|tie|katu"
)
NUMBER = rf"\d{{1,4}}(?:\s?[A-Za-z](?![{LO}]))?(?:\s?-\s?\d{{1,4}})?"
UNIT = (r"(?:,?\s(?:[A-Z]\s)?\d{1,3}(?![\d.,])|,?\s\d{1,2}\.\s?(?:sal|tv|th|mf|etg|etasje|"
        r"floor|krs|kerros)\.?|,?\s(?:Apt|Suite|Unit|Flat|lgh|leil|bolig|H)\.?\s?\d{1,5}|"
        r",?\s(?:st|kl|th|tv|mf)\.(?:\s?(?:tv|th|mf)\.?)?)")
POSTCODE_TOWN = (rf"(?:,?\s+(?:(?:[A-Z]{{1,2}}-)?\d{{4,5}}|\d{{3}}\s\d{{2}})\s+{CAP}(?:[ \-]{CAP})?"
                 rf"(?:\s[A-Z](?![{LO}\w]))?)")

# The words of a street name stand on one line: "Mvh\nRune Solberg\nStorgata 14, 8006 Bodø" was one address
# from the sign-off on (the name under ADDRESS, the sign-off lost).
SUFFIX_STREET = re.compile(
    rf"(?<![\w{LO}])((?:{CAP}[ \t]){{0,3}}(?:{CAP}(?:{SUFFIXES})|{CAP}[ \t](?:{SEPARATE_STREET_WORD}))"
    rf"\s{NUMBER}(?![\d.,]\d|[\w]){UNIT}*{POSTCODE_TOWN}?)")
ANY_STREET_WITH_TOWN = re.compile(
    rf"(?<![\w{LO}])((?:{CAP}[ \t]){{0,2}}{CAP}\s{NUMBER}{UNIT}*{POSTCODE_TOWN})")
CUE_STREET = re.compile(
    rf"(?:\b(?:bor|bur|bosatt|busett|adresse\w*|address\w*|adress\w*|osoite\w*|"
    rf"(?:flytt\w*|moved|muutimme|muutin|muuttanut)(?:\s(?:til|till|to|into|i|på))?|"
    rf"lives?(?:\s(?:at|in|on))?|living at)(?:\s(?:i|på|er|is|är|on|min|mi|my))?:?\s+)"
    rf"((?:{CAP}[ \t]){{0,2}}{CAP}\s{NUMBER}(?![\d.,]\d|[\w]){UNIT}*{POSTCODE_TOWN}?)(?![\w])")
ENGLISH_STREET_WORD = (r"Road|Street|Avenue|Lane|Drive|Way|Court|Place|Square|Close|Crescent|Terrace|"
                       r"Boulevard|Rd\.?|St\.?|Ave\.?|Blvd\.?|Str\.?|Dr\.?|Ct\.?|Ln\.?|Pl\.?|Hwy\.?")
# The number and the street name stand on one line (a forwarded header's "kl. 20:11\nSubject:" is the
# end of a time and the next line's field name), and a number after "20:" is a time's minutes.
ENGLISH_NUMBER_FIRST = re.compile(
    rf"(?<![\w.,])(?<!\d:)(\d{{1,5}}[ \t](?:{CAP}[ \t]){{0,3}}(?:{ENGLISH_STREET_WORD}|{CAP}(?:{SUFFIXES}))"
    rf"(?![\w])(?:,?\s(?:Apt|Suite|Unit|Flat)\.?\s?\d{{1,5}}[A-Z]?(?![\w]))?)")
# The English format goes on after the street line with ", Town" and a state and ZIP code or a UK postcode
# ("42 Maple Street, Springfield, IL 62704"): the town is part of the address. Inside a Scandinavian text
# an unlisted capitalised town ("Springfield") was otherwise read as a name. A word that is a listed first
# name or a function word is not taken ("12 Oak Lane, Anna and I ..."): it stays for the other recognizers.
# A state and ZIP code or a UK postcode after the town settles it: "1200 Congress Avenue, Austin, TX 78701" is
# one address though "Austin" is also a listed first name (it was <PERSON> beside the street's <ADDRESS>).
TOWN_AFTER_ENGLISH_STREET = re.compile(
    rf",[ \t]+(?P<town>{CAP}(?:[ \t]{CAP})?)(?P<code>,?[ \t]+(?:[A-Z]{{2}}[ \t]+\d{{5}}(?:-\d{{4}})?|"
    rf"[A-Z]{{1,2}}\d[A-Z\d]?[ \t]\d[A-Z]{{2}}))?(?![\w{LO}])")
MILITARY = r"(?:\s*\n?\s*(?:APO|FPO|DPO)\s[A-Z]{2}\s\d{5})"
# A post-office box needs its word ("P.O. Box 12", "Postboks 5", "PSC 1234, Box 56"): a bare
# "Box 3" ("Box 3 in the form") is not an address.
PO_BOX = re.compile(rf"(?i)(?<![\w.])((?:P\.?\s?O\.?\s?Box|Post\s?Office\s?Box|postboks|postbox|"
                    rf"postfach|apartado|PSC\s?\d{{1,5}},?\s?Box)\s?\d{{1,6}}{MILITARY}?)")
SHIP = re.compile(rf"(?i)(?<![\w])((?:USS|USNS|USNV|USCGC)\s[\w'’\-]+(?:\s[\w'’\-]+)?{MILITARY})")
# Foreign street words written before the name ("Calle Mayor 5", "Rua da Paz 12", "ul. Długa 3");
# Markt/Platz may carry the number directly ("Markt 4"). "Via" counts only mid-sentence
# ("Via Teams 2 ganger" opens a sentence).
FOREIGN_LEAD = (r"Calle|C/|Avenida|Avda\.|Av\.|Rua|Rue|Via|Viale|Piazza|Piazzale|Plaza|Paseo|"
                r"Carrer|Camino|Carretera|Travessa|Largo|Praça|Chemin|Allée|Impasse|ul\.|ulica|"
                r"al\.|aleja|Strada|Calea|Odos|Leoforos|Rambla|Ronda|Corso|Vicolo")
XLO = LO + "àâãçèêëìîïñòôõùûÿąćęłńśźżőűřěůťďň"
XUP = UP + "ÀÂÃÇÈÊËÌÎÏÑÒÔÕÙÛŁŚŹŻŐŰŘĚŮŤĎŇ"
XCAP = rf"[{XUP}][{XLO}{XUP}'’\-]*"
NAME_PART = rf"(?:{XCAP}\.?|de|del|de la|dei|della|delle|da|do|dos|das|di|du|des|le|la|las|los)"
FOREIGN_LEAD_STREET = re.compile(
    rf"(?<![\w{XLO}])((?:(?:{FOREIGN_LEAD})\s(?:{NAME_PART}\s){{0,4}}{XCAP}|"
    rf"(?:{CAP}\s)?(?:Markt|Marktplatz|Platz))\s\d{{1,4}}[A-Za-z]?(?![\w.,]\d|[\w]))")
# Hungarian order: name, then the street word, then the number ("Kossuth Lajos utca 5.").
HU_STREET = re.compile(
    rf"(?<![\w{XLO}])({XCAP}(?:\s[{XUP}{XLO}][{XLO}]+){{0,2}}\s(?:utca|útja|út|körút|tér|köz|sor|"
    rf"rkp\.|rakpart)\s\d{{1,4}}\.?(?!\d))")
# International block: number-first street line with a second number, then a CAPITALISED town
# line ("12 Linden 4\nKIRKEBY").
NUMBER_LINE_TOWN = re.compile(
    rf"(?<![\w.,])(\d{{1,5}}\s(?:{CAP}\s){{0,2}}{CAP}\s\d{{1,4}}[A-Za-z]?[ \t]*\n[ \t]*"
    rf"[{UP}][{UP}\-]+(?:[ \-][{UP}]+)*)(?=[ \t]*(?:\n|,|$))")
UNIT_DESIGNATOR = re.compile(r"(?<![\w])(Apt\.?|Apartment|Suite|Ste\.|Unit|Flat)\s?#?\d{1,5}[A-Z]?"
                             r"(?![\w])")
CORNER = re.compile(r"(?i)(?<![\w])((?:the\s)?corner\sof\s([^\n.,;:?!]{2,60}?)\s(?:and|&)\s"
                    r"([^\n.,;:?!]{2,60}))")
ADDRESS_PARTICLES = frozenset(
    "de del la las los da do dos das di du des le van von der den nad am an y i ul. rkp. al. "
    "str. nan".split())
CORNER_STOP = frozenset("for to in on at please and is was the so but if when which that".split())
STREET_WORD_ANYWHERE = re.compile(rf"(?i)(?:{SUFFIXES}|{ABBREVIATIONS}|courts?|union|radial|avda|calle|rua|rue|"
                                  rf"via|ul)\.?$")
# A link as written in a message: a scheme or "www.", or a domain followed by a path. Its text is not an
# address a person wrote: "?id=123 Act" (a link's query value, then the sentence's next word) read as
# the number-first street "123 Act" (the "ct" of court). A link ends at whitespace.
URL = WEB_LINK  # one definition of a link for the redactor (privacy.links)
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
                               (CUE_STREET, 0.6), (ENGLISH_NUMBER_FIRST, 0.7), (PO_BOX, 0.6),
                               (SHIP, 0.6), (FOREIGN_LEAD_STREET, 0.7), (HU_STREET, 0.7),
                               (NUMBER_LINE_TOWN, 0.7)):
            for match in pattern.finditer(text):
                start, end = match.span(1)
                value = match.group(1).rstrip(" ,")
                end = start + len(value)
                first = value.split()[0]
                if NOT_STREET_WORDS.match(first) or NOT_STREET_WORDS.match(value.split()[0].rstrip(".")):
                    continue
                if pattern is CUE_STREET and not self._cue_street_ok(value):
                    continue
                if pattern is ENGLISH_NUMBER_FIRST:
                    end = self._town_after(text, end)
                if pattern is FOREIGN_LEAD_STREET and value.startswith("Via ") and \
                        not re.search(r"[\w,]\s+$", text[:start]):
                    continue
                found.append((start, end, score))
        found.extend(self._unit_blocks(text))
        found.extend(self._corners(text))
        links = [m.span() for m in URL.finditer(text)] if "/" in text or "www." in text.lower() else []
        if links:  # a candidate starting inside a link is the link's text, not an address
            found = [f for f in found if not any(s <= f[0] < e for s, e in links)]
        found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
        merged: list[list] = []  # overlapping candidates are one address: take their union
        for start, end, score in found:
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
                merged[-1][2] = max(merged[-1][2], score)
            else:
                merged.append([start, end, score])
        for start, end, score in merged:
            yield (start, end, score)

    @staticmethod
    def _town_after(text: str, end: int) -> int:
        """The end of an English street line taken on over ", Town[, ST 12345]" (TOWN_AFTER_ENGLISH_STREET)."""
        match = TOWN_AFTER_ENGLISH_STREET.match(text, end)
        if not match:
            return end
        if match.group("code"):  # a state + ZIP code or a UK postcode follows: a town, whatever its name
            return match.end()
        lex = lexicon()
        words = [w.lower() for w in match.group("town").split()]
        if any(w in lex.not_names or w in lex.first or w in lex.ambiguous for w in words) \
                or NOT_STREET_WORDS.match(match.group("town").split()[0]):
            return end
        return match.end()

    @staticmethod
    def _cue_street_ok(value: str) -> bool:
        """After a bare cue the name must not look like a date or a count ("i Mai 12")."""
        head = value.split()[0]
        return len(head) >= 4 and not head.isupper()

    @staticmethod
    def _address_token(token: str) -> bool:
        """Part of an address block: a number, a capitalised word, a particle or bare punctuation."""
        bare = token.strip(",.;:?!()")
        if not bare:
            return token in (",",)
        if bare.isdigit():
            return len(bare) <= 6
        if bare[:-1].isdigit() and bare[-1].isalpha():
            return len(bare) <= 6
        return bare[0].isupper() or token.lower() in ADDRESS_PARTICLES or bare.lower() in ADDRESS_PARTICLES

    def _unit_blocks(self, text: str) -> Iterator[tuple[int, int, float]]:
        """"Apt. 12" / "Suite 300" with the street before it (same or previous line) and the town,
        country and postcode lines after it. Suite/Unit/Flat need a numbered street before them
        ("Suite of rooms", "Unit 3 of the course" stay)."""
        tokens: list[tuple[int, int]] = []
        for match in UNIT_DESIGNATOR.finditer(text):
            tokens = tokens or [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
            idx = next(i for i, (s, _) in enumerate(tokens) if s == match.start())
            # backwards: same line, or the previous line when the unit starts its line
            start, lines_crossed, has_digit, has_name = match.start(), 0, False, False
            i = idx - 1
            while i >= 0 and idx - i <= 8:
                s, e = tokens[i]
                gap = text[e:tokens[i + 1][0]]
                if "\n" in gap:
                    lines_crossed += gap.count("\n")
                    if lines_crossed > 1 or start != match.start():
                        break
                token = text[s:e]
                sentence_end = token.endswith(("!", "?", ":")) or (
                    token.endswith(".") and len(token) > 6 and not token.rstrip(".").isdigit())
                if not self._address_token(token) or sentence_end:
                    break
                has_digit = has_digit or any(c.isdigit() for c in token)
                has_name = has_name or token[0].isupper()
                start = s
                i -= 1
            if not (has_digit and has_name):  # "in week 12 Unit 4" is no street
                if not match.group(1).startswith("Apt"):
                    continue
                start = match.start()
            # forwards: the rest of the line and up to four short address lines
            end, j, newlines = match.end(), idx + 1, 0
            while j < len(tokens):
                s, e = tokens[j]
                newlines += text[tokens[j - 1][1]:s].count("\n")
                if newlines > 4 or "\n\n" in text[tokens[j - 1][1]:s]:
                    break
                if not self._address_token(text[s:e]):
                    break
                end = s + len(text[s:e].rstrip(",.;:?!"))
                j += 1
            yield (start, end, 0.7)

    @staticmethod
    def _corners(text: str) -> Iterator[tuple[int, int, float]]:
        """"the corner of 12 Elm Street and Oak Lane": one side needs a number or a street word."""
        for match in CORNER.finditer(text):
            first, second = match.group(2), match.group(3)
            words = second.split()[:3]
            kept = []
            for word in words:
                if word.lower() in CORNER_STOP:
                    break
                kept.append(word)
            if not kept:
                continue
            if not (any(c.isdigit() for c in first) or STREET_WORD_ANYWHERE.search(first.split()[-1])
                    or STREET_WORD_ANYWHERE.search(kept[-1])):
                continue
            end = match.start(3) + len(" ".join(kept))
            yield (match.start(1), end, 0.6)
