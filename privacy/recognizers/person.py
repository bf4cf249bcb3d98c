"""PERSON in nb, nn, sv, da, fi and en: spaCy tokens + name lists + context cues (+ the Finnish
spaCy NER model where installed).

Evidence, strongest first:
* a cue before the name: "jeg heter", "mitt navn er", "jag heter", "jeg hedder", "minun nimeni on",
  "my name is", sign-offs ("mvh", "hilsen", "hälsningar", "terveisin", "regards") and relation
  words ("min sønn", "datteren min", "my daughter") - these also catch lower-case names;
* a known first name (capitalised), extended over the following capitalised words (surname);
* a known or surname-shaped word (-sen, -son, -ström, -nen ...) that does not start a sentence,
  or a patronymic (Poulsen, Svenssons) that opens one before a lower-case word;
* in nb, nn, sv and da a listed name that is also a word (Dag, Per, Hans) when capitalised inside
  a sentence;
* capitalised words that do not start a sentence, next to a speech verb or a title; in nb, nn,
  sv and da any unlisted capitalised word inside a sentence (those languages capitalise proper
  nouns only), unless a municipality word follows or it looks like an acronym, a compound with a
  lower-case part or an institution, or it continues the name of a thing (after an organisation
  word, acronym, brand, listed or inflected place, or "Dansk"/"Nordic"...: "Volvo Cars");
* Finnish: the spaCy NER model, run only in short windows around the capitalised words the steps
  above leave open, and the model's word frequencies (capitalised spelling far more common than
  lower-case, or an unseen word inside a sentence = proper noun); inflected forms are looked up
  without their case endings (Pekan, Virtaselle). A one-word ORG from the model does not rule a
  person out (it labels many unseen inflected foreign names so).
Words in the non-name and place lists (greetings, months, institutions, towns, services and
brands) never count."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import regex

from privacy.function_words import DE_FUNCTION_WORDS
from privacy.names import SURNAME_SUFFIX, base_forms, lexicon
from privacy.recognizers.base import NordicRecognizer


def _tail(pattern: str) -> regex.Pattern:
    """A case-insensitive cue pattern that must end where the text ends (``...\\s+$``), compiled
    to match backwards from the end: a forward ``search`` tries every start position of the
    window and was the redactor's hottest spot (same matches, about six times faster)."""
    return regex.compile(pattern, regex.IGNORECASE | regex.REVERSE | regex.V0)


INTRO_CUES = _tail(
    r"(?:\bjeg heter|\beg heiter|\bjag heter|\bjeg hedder|\bmitt navn er|\bmitt namn är|"
    r"\bmit navn er|\bnamnet mitt er|\bnavnet mitt er|\bnavnet er|\bnamnet er|\bminun nimeni on|"
    r"\bnimeni on|\bmy name is|\bmy name's|\bher skriver|\bundertegnede|\bundertecknad|\bundertegnet|\bnavn:|"
    r"\bnamn:|\bnimi:|\bname:|\bfull name:|\bsøker:|\beier:|\bowner:|\bkontaktperson:?|"
    r"\bnøkkelperson er|\bcontact person:?|\bheter|\bheiter|\bhedder|\bhet|\bnamed|\bcalled|"
    r"\bkalt|\bkallad|\bkaldet|\bnimeltä|\bnimensä on|\bhänen nimensä on|\bname on the account\?"
    r"(?:\s*user:)?|\bwhat's your name\?)\s*[:,]?\s+$")
WEAK_INTRO_CUES = _tail(
    r"(?:\bolen|\bi'm|\bi am|\bthis is|\bit's|\bdet er|\bdet är|\bdet e|\bher er|\bhär är|"
    r"\bsoittaa|\bhei|\bhej|\bhi|\bhello|\bdear|\bkjære|\bkære|\bkära)\s*[:,!]?\s+$")
SIGNOFF_CUES = _tail(
    r"(?:\bmvh|\bm\.v\.h\.?|\bvh|\bhilsen|\bhilsning|\bhelsing|\bhelsingar|\bbeste helsing|"
    r"\bvennlig hilsen|\bvenlig hilsen|\bmed vennlig hilsen|\bmed venlig hilsen|\bhälsningar|"
    r"\bhälsning|\bmvh\.|\bmed vänlig hälsning|\bvänliga hälsningar|\bterveisin|"
    r"\bystävällisin terveisin|\bt\.|\bregards|\bbest regards|\bkind regards|\bbest wishes|"
    r"\bcheers|\bsincerely|\byours|\bthanks|\bthank you|\btakk|\btak|\btack|\bkiitos|"
    r"\bhilsen fra|\bhälsningar från|\bterveisin)\s*[,.:!\-–]?\s+$")
RELATION_CUES = _tail(
    r"(?:\b(?:min|mi|mitt|my|our|vår|vores|vor)\s+(?:sønn|søn|son|datter|dotter|daughter|mann|man|"
    r"husband|kone|kona|hustru|wife|fru|sambo|samboer|kjæreste|partner|bror|broder|brother|"
    r"søster|syster|sister|mor|far|mamma|pappa|mother|father|mum|mom|dad|farmor|mormor|farfar|"
    r"morfar|bestemor|bestefar|grandmother|grandfather|nabo|granne|neighbour|neighbor|venn|ven|"
    r"vän|friend|kollega|colleague|barn|child|gutt|jente|pojke|flicka|elev|student|klient|"
    r"client|lege|doctor|fastlege|kontaktlærer|lærer|lärare|teacher|verge|guardian|assistent|"
    r"onkel|uncle|tante|aunt|fetter|kusine|cousin|nevø|niese|niece|nephew)|"
    # German, as written by a family that moved here ("Mein Sohn Lukas", "meine Tochter Emma")
    r"\b(?:mein|meine|meinem|meinen|meiner|unser|unsere|unserem|unseren|unserer)\s+(?:sohn|tochter|mann|"
    r"ehemann|frau|ehefrau|partner|partnerin|bruder|schwester|mutter|vater|mama|papa|oma|opa|großmutter|"
    r"großvater|enkel|enkelin|kind|nachbar|nachbarin|freund|freundin|kollege|kollegin|onkel|tante|neffe|"
    r"nichte|cousin|cousine|lehrer|lehrerin|ärztin|arzt)|"
    r"\b(?:sønnen|sonen|datteren|dattera|dottera|dottern|sonen|mannen|kona|kone|broren|bror|far|"
    r"mor|pappa|mamma|søstera|søsteren|systern|naboen|grannen|kollegaen)\s+(?:min|mi|mitt|mine)|"
    r"\b(?:tyttäreni|tyttärelleni|tyttäreni|poikani|pojalleni|mieheni|vaimoni|äitini|isäni|"
    r"veljeni|siskoni|naapurini|ystäväni)|"
    r"\b(?:naboen|naboen vår|grannen|the neighbour|the neighbor|saksbehandler|saksbehandleren|"
    r"caseworker|handläggare|sagsbehandler|käsittelijä|dr\.?|mr\.?|mrs\.?|ms\.?|miss|herr|fru|"
    r"fröken|frk\.?)"
    r")\s*[:,]?\s+$")
CONTACT_CUES = _tail(
    r"\b(?:takk til|tak til|tack till|thanks to|thank you|kiitos|rose|roser|berömma|praise|"
    r"kontakt|kontakte|kontakta|contact|ring|ringe|ringe til|ringa|call|soita|tell|beskjed til|"
    r"besked til|meddela|informer|inform|spør|spørg|fråga|ask|hilse på|send til|skicka till)"
    r"\s*[:,]?\s+$")
GENERIC_CUES = _tail(
    r"\b(?:hos|fra|från|from|tilbake til|til|to|with|med|and|og|och|ja|eller|or|tai)\s*[:,]?\s+$")
STRONG_RELATION = re.compile(r"(?:sønn|søn|son|datter|dotter|daughter|tytär|poika|bror|søster|syster|"
                             r"brother|sister|mor|far|mamma|pappa|naapuri|nabo|neighbour|heter|"
                             r"ystävä|friend|mann|kone|kona|wife|husband|tyttäreni|tyttärelleni|"
                             r"poikani|mieheni|vaimoni)", re.IGNORECASE)
SPEECH_AFTER = re.compile(
    r"^\s*[,]?\s*(?:sa|sier|sa det|sade|säger|siger|sagde|sanoi|sanoo|kertoo|kertoi|toteaa|totesi|"
    r"said|says|told|tells|explained|added|wrote|skriver|skrev|skriv|menar|mener|tror|berättar|"
    r"berättade|fortæller|fortalte|forteller|fortalte|uppger|opplyser|oplyser|påpeker|"
    r"påpekar|understreger|understreker|kommenterer|svarer|svarar|svarte|svarade|svarede|vann|"
    r"vant|vandt|voitti|won|slog|scored|gjorde|gjorde|har|hade|havde|hadde|var|er|är|ble|blev|"
    r"var|oli|on|was|is|nikkede|nikket|nickade|smilte|smilede|log|ler|ropte|råbte|huusi|"
    r"och|og|ja|and)\b", re.IGNORECASE)
TITLE_BEFORE = _tail(
    r"(?:\b(?:herr|hr|fru|frk|fröken|dr|mr|mrs|ms|miss|prof|sir|dame|lady|lord|rouva|herra|"
    r"neiti|tohtori)\.?|\w+(?:minister|ministeren|ministern|ministeri|ordfører|ordförande|"
    r"borgmester|borgmästare|pormestari|direktør|direktör|direktøren|direktören|johtaja|chef|"
    r"chefen|sjef|sjefen|leder|lederen|ledare|ledaren|tränare|tränaren|trener|treneren|træner|"
    r"træneren|valmentaja|presidentti|president|presidenten|kung|kongen|kungen|drottning|prins|"
    r"prinsen|prinsessan|författare|författaren|forfatter|forfatteren|kirjailija|skuespiller|"
    r"skådespelare|skådespelaren|skuespilleren|näyttelijä|sanger|sangeren|sångare|sångaren|"
    r"sångerskan|laulaja|artist|artisten|spiller|spilleren|spelare|spelaren|pelaaja|journalist|"
    r"journalisten|toimittaja|professor|professoren|professorn|forsker|forskeren|forskare|"
    r"forskaren|tutkija|advokat|advokaten|asianajaja|biskop|biskopen|piispa|prest|presten|präst|"
    r"prästen|pappi|kaptein|kapten|kapteeni|general|generalen|kenraali|politiker|politikeren|"
    r"poliitikko|coach|manager|chairman|ceo|spokesman|spokeswoman|talsperson|talsmann|"
    r"talesmand|talesperson|tiedottaja|guarden|forwarden|målvakten|keeperen|målmanden|"
    r"maalivahti|producer|produsent|producent|tuottaja|regissør|regissören|instruktør|ohjaaja|"
    r"kunstner|konstnär|taiteilija|skribent|kolumnist|kommentator|ekspert|expert|analytiker|"
    r"rektor|rehtori|lærer|lärare|opettaja|lege|läkare|lääkäri|sykepleier|sjuksköterska|"
    r"sairaanhoitaja|saksbehandler|handläggare|käsittelijä|sagsbehandler|kollega|kollegan|"
    r"rådmann|kommunedirektør|statsråd|statsrådet|landshövding|fylkesmann|statsforvalter|"
    r"dommer|dommeren|domare|domaren|tuomari|aktor|aktoren|åklagare|åklagaren|syyttäjä))\s+$")
ORG_WORDS = re.compile(
    r"^(?:AB|AS|ASA|A/S|ApS|Oy|Oyj|Ab|Inc|Ltd|LLC|GmbH|AG|SA|FC|IF|IK|BK|FK|SK|HK|IFK|AIK|"
    r"Bank|Banken|Group|Gruppen|Capital|Energy|Energi|Media|Holding|Invest|Consulting|Partners|"
    r"Foundation|Stiftelse|Stiftelsen|Förening|Forening|Foreningen|Föreningen|Kommune|Kommun|"
    r"Universitet|Universitetet|University|Høgskole|Högskola|Institute|Institutt|Institutet|"
    r"Hospital|Sykehus|Sjukhus|Teater|Teatern|Museum|Museet|Kirke|Kirken|Kyrka|Kyrkan|Hotel|Hotell|"
    r"Airlines|Air|Records|News|Times|Post|Posten|Dagbladet|Aftenposten|Aftonbladet|Expressen|"
    r"Radio|TV|Tv|Net|Online|Cup|League|Liga|Ligaen|Open|Games|Festival|Festivalen|Award|Prize|"
    r"Prisen|Priset|Party|Partiet|Parti|Street|Road|Avenue|Square|Park|Center|Centre|Senter|"
    r"Senteret|Centrum|Station|Stasjon|Airport|Lufthavn|Flygplats|River|Lake|Mountain|Island|"
    r"Islands|Bay|Beach|Valley|North|South|East|West|Norra|Södra|Östra|Västra|Nord|Syd|Øst|Vest|"
    r"Pohjois|Etelä|Itä|Länsi|Saint|St|San|Santa|Los|Las|New|Old|Great|Little|Big|Royal|"
    r"National|International|Global|United|Republic|Kingdom|State|States|Union|Council|"
    r"Ministry|Department|Departementet|Direktoratet|Verket|Verk|Styrelsen|Tilsynet)$")
PARTICLES = {"von", "van", "de", "der", "den", "af", "av", "la", "le", "du", "da", "dos", "di",
             "del", "bin", "ibn", "al", "el", "ter", "ten", "zu", "mc", "o'"}
STREET_WORD = re.compile(
    r"(?:gata|gate|gaten|gatan|veien|vegen|vei|veg|vägen|väg|vej|vejen|gade|gaden|allé|plass|"
    r"plassen|torget|stien|stræde|katu|kadulla|kadun|tie|tiellä|tien|kuja|polku|vænget)$")
TRAILING_UNIT = re.compile(r"\s(?:Apt|Apartment|Suite|Unit|Flat)\.?$")
UNIT_NUMBER = re.compile(r"\.?\s?#?\d")
LOC_PREP = _tail(
    r"\b(?:i|på|ved|vid|til|till|fra|från|frå|mot|mod|gjennom|genom|"
    r"nær|nära|utanför|utenfor|udenfor|mellom|mellan|omkring|rundt|runt|kring|via)\s+$")
# English prepositions only in English text: Danish "at" is "that", Swedish "to" is "two"
LOC_PREP_EN = _tail(r"\b(?:in|at|on|near|from|to|into|across|around|toward|towards|via)\s+$")
# Languages in which a capitalised word inside a sentence is a proper noun (no capitalised common
# nouns, titles, days or nationalities); unlisted ones there are taken as names.
MIDSENTENCE_CAPS = ("nb", "nn", "sv", "da")
# A sentence of another language inside a text read as Scandinavian (a mail is read in one language
# guessed for all of it): English capitalises days, months, nationalities and titles, German every
# noun, so there "capitalised inside a sentence" says nothing of a name ("Wann ist die Bibliothek
# geöffnet?", "Is it open on Saturdays?"). A sentence is English or German when at least two of its
# lower-case words (or its first) are function words of that language and fewer are Scandinavian ones. Words shared with a
# Scandinavian language are left out ("for", "i", "at", "to", "den", "mit", "man", "var", "hat").
EN_FUNCTION_WORDS = frozenset(
    "the is are was were you your we our us it its this that these those what when where which who "
    "whom how would could should have has had does do did not of and with from about please there "
    "their they be been will can on in into if an any some my me am i'm don't it's".split())
DE_POSSESSIVES = frozenset("mein meine meinem meinen meiner unser unsere unserem unseren unserer".split())
SCAND_FUNCTION_WORDS = frozenset(
    "jeg eg jag ikke ikkje inte det er är og och på til till med som hva kva vad hvad hvor kor hur kan "
    "vi dere ni har skal ska vil meg mig min mitt mine mina en ei et ett av af fra från frå om når när "
    "hvornår hei hej takk tak tack seg sig også också bare berre blir ble vart eller att og ikkje dei "
    "dette denne disse sin sitt sine sina".split())
PLACE_AFTER = re.compile(
    r"^\s+(?:kommune|kommunes|kommun|kommuns|kommunen|kommunens|fylke|fylkeskommune|län|läns|region|"
    r"regionen|amt|sogn|herred|stift|kunta|kunnan|kaupunki|kaupungin|municipality|county|council)\b",
    re.IGNORECASE)
# "Austin, Texas", "Jackson, MS 39201", "Hamilton, Ontario": a town before its US state or Canadian province (or
# a state's code and ZIP) is a place, also when the town is a listed first name or surname. A mail's signature
# or background ("We moved here from Austin, Texas") had the town as <PERSON>.
STATE_AFTER = re.compile(
    r",[ \t]+(?:(?:Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|"
    r"Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|"
    r"Minnesota|Mississippi|Missouri|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|"
    r"North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|"
    r"Tennessee|Texas|Utah|Vermont|West Virginia|Wisconsin|Wyoming|Ontario|Quebec|Québec|"
    r"Alberta|Manitoba|Saskatchewan|Nova Scotia|New Brunswick|British Columbia|Newfoundland)(?![\w])(?![ \t]+[A-Z][a-z])|"
    r"[A-Z]{2}[ \t]+\d{5}(?:-\d{4})?(?!\d))")
COMPASS_PREFIX = re.compile(r"^(?:midt|mid|mellem|mellan|nord|norr|nørre|norra|syd|sør|sønder|söder|södra|øst|"
                            r"østre|öst|öster|östra|vest|vestre|väst|väster|västra|pohjois|etelä|itä|länsi|"
                            r"keski)-?")
# Endings of compounds that name institutions, works and things, not persons.
THING_SUFFIX = re.compile(
    r"(?:forening|foreningen|förening|föreningen|forbund|forbundet|förbund|förbundet|selskab|"
    r"selskabet|selskap|selskapet|sällskap|sällskapet|udvalg|udvalget|utvalg|utvalget|utskott|"
    r"utskottet|ministerium|ministeriet|departement|departementet|direktorat|direktoratet|"
    r"styrelse|styrelsen|tjeneste|tjenesten|tjänst|tjänsten|landsret|landsretten|byret|byretten|"
    r"tingsrätt|tingsrätten|hovrätt|hovrätten|lagmannsrett|tingrett|tingretten|håndbold|handboll|"
    r"håndball|fodbold|fotboll|fotball|ishockey|idrætsforening|idrettslag|sparekasse|sparbank|"
    r"litteraturpris|pris|prisen|priset|festival|festivalen|avis|avisen|tidning|tidningen|"
    r"tidende|bladet|nyheder|nyheter|fødevarer|varer|varor|undervisning|uddannelse|utbildning|"
    r"utdanning|sygepleje|sygeplejeråd|råd|rådet|nævn|nævnet|nämnd|nämnden|styret|partiet|"
    r"parti|kommun|kommune|region|regionen|havn|havnen|hamn|hamnen|lufthavn|flygplats|"
    r"stadion|arena|arenan|boxen|hallen|huset|kyrkan|kirken|kirke|katedral|domkirke|"
    r"museum|museet|museet|stadion|stadium|stadionet|teater|teatret|teatern|opera|operaen|operan|"
    r"operas|kirke|kirken|kyrka|kyrkan|skole|skolen|skola|skolan|sygehus|sykehus|sjukhus|hospital|"
    r"bibliotek|biblioteket|centret|centeret|senteret|hallen|parken|torvet|torget|kvarter|kvarteret|"
    r"traktaten|fabrik|fabrikker|fabriken|forlag|forlaget|klinikk|klinik|kliniken|gruppen|banken)$",
    re.IGNORECASE)
QUOTED_SPEECH_BEFORE = _tail(r"\b(?:sa|sier|sade|säger|siger|sagde|sanoi|says|said|skriver|mener|menar)\s+$")
NAME_AFTER = re.compile(r"^\s*(?:navn|namn|name|nimi|nimissä|nimellä|sin|si|sitt|sine|sina)\b", re.IGNORECASE)
INITIAL = re.compile(r"^(?:[A-ZÆØÅÄÖÜ]\.){1,3}$")
# Capitalised words that open the name of an organisation or a place when another capitalised
# word follows inside a sentence ("Dansk Sygeplejeråd", "Svenska Dagbladet", "Kungliga Operan").
ORG_LEAD = {"dansk", "danske", "norsk", "norske", "svensk", "svenska", "svenske", "finsk", "finska",
            "finske", "nordisk", "nordiska", "nordiske", "europæisk", "europeisk", "europeiska",
            "europæiske", "europeiske", "kongelige", "kungliga", "kongelig", "statens", "nationale", "nasjonale", "nationella", "internationale", "internasjonale", "det", "den",
            # English adjectives opening Nordic company names ("Danish Crown", "Nordic Choice")
            "danish", "swedish", "norwegian", "finnish", "nordic", "scandinavian", "international",
            "national", "royal", "united", "european", "global"}
# A Scandinavian patronymic surname (Poulsen, Svensson, Jakobsen) with or without the genitive -s.
PATRONYMIC = re.compile(r"^(\w+?)(s?sen|s?son)(?:s|'s|’s)?$", re.IGNORECASE)
# Day and month names in any inflection ("Lørdager", "lördagarna", "Saturdays", "søndagens",
# "Januars"), compounds of a day name ("Lørdagsåpent", "Fredagskafé") and the abbreviations of mail
# headers ("On Mon, 7 Dec 2026"). The non-name list holds the base forms only, so an inflected day
# written with a capital inside a sentence read as an unlisted proper noun, a name. Short or
# name-like stems are left out ("Mai", "Juni", "Juli": Julie; "Jan", "Tor": first names).
CALENDAR_WORD = re.compile(
    r"^(?:(?:man|tirs|tis|tys|ons|tors|fre|lør|lör|laur|søn|sön|sun|mån)dag(?:s?[a-zæøåäöé]*|'s|’s)|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day(?:s|'s|’s)?|"
    r"(?:januar|februar|januari|februari|augusti|april|august|september|oktober|october|november|"
    r"desember|december|january|february)(?:s|'s|’s|en|ens|ene)|"
    r"mon|tue|tues|wed|thu|thur|thurs|fri|sat|feb|apr|aug|sep|sept|oct|okt|nov|dec|des)$")
# A day number right before a capitalised word: "5 August", "12. Juni" is a date, not a name.
DAY_NUMBER_BEFORE = re.compile(r"(?<![\d.,:])(?:[1-9]|[12]\d|3[01])\.?\s$")
# a word that is a domain name ("Equinor.com", "nav.no", "Min-Side.kommune.no"): the top-level domain in lower case
DOMAIN = re.compile(r"^[^\W\d_][\w\-]*(?:\.[\w\-]+)*\.[a-z]{2,24}$")
# words that join two names: the second of "Anna and Tom" is a name as surely as the first
COORDINATION = frozenset({"and", "og", "och", "ja", "sekä"})
_WORDISH = re.compile(r"^[^\W\d_][\w'’:\-.]*$")
_SENT_BREAK = {".", "!", "?", ":", ";", "-", "–", "—", '"', "“", "”", "«", "»", "(", "…", "„", "*",
               "•", "|"}


@dataclass
class Word:
    start: int
    end: int
    text: str
    sent_start: bool
    gap: str  # text between the previous word and this one


def words_of(text: str, doc) -> list[Word]:
    """Words from spaCy tokens, re-joining hyphenated names (Ole-Martin) and initials."""
    words: list[Word] = []
    prev_end = 0
    pending = None
    tokens = list(doc) if doc is not None else []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        start, end = tok.idx, tok.idx + len(tok.text)
        # join "Levi" "-" "Montalcini" / "Kenttäurheilijat" "-58:a" when written without spaces
        while (i + 2 < len(tokens) and not tokens[i].whitespace_ and tokens[i + 1].text in ("-", "–")
               and not tokens[i + 1].whitespace_ and tokens[i + 2].text[:1].isalpha()):
            i += 2
            end = tokens[i].idx + len(tokens[i].text)
        value = text[start:end]
        while len(value) > 1 and value[0] in "/\\|" and value[1].isalpha():  # "/Emil" signatures
            start, value = start + 1, value[1:]
        if _WORDISH.match(value) or INITIAL.match(value):
            gap = text[prev_end:start]
            sent = (not words or any(ch in gap for ch in _SENT_BREAK) or "\n" in gap
                    or (words and words[-1].text.endswith((".", "!", "?", ":"))
                        and not INITIAL.match(words[-1].text)))
            if pending is not None:
                sent = sent or pending
            words.append(Word(start, end, value, bool(sent), gap))
            prev_end = end
            pending = None
        else:
            if value in (".", "!", "?", ":", ";", "…") or "\n" in value:
                pending = True
        i += 1
    return words


class NordicPersonRecognizer(NordicRecognizer):
    ENTITY = "PERSON"
    CONTEXT = ("heter", "hedder", "heiter", "navn", "namn", "nimi", "name", "mvh", "hilsen",
               "hälsningar", "terveisin", "regards", "sønn", "datter", "daughter", "son")

    def find(self, text: str, artifacts) -> Iterator[tuple]:
        lex = lexicon()
        finnish = self.supported_language == "fi"
        doc = getattr(artifacts, "tokens", None)
        if doc is None:
            return
        words = words_of(text, doc)
        n = len(words)
        info = [self._classify(w.text, lex, finnish) for w in words]
        conv = self._conventions(words)
        if self.supported_language in MIDSENTENCE_CAPS:
            # a first name that is also a (lower-case) word of one of the six languages ("Ole",
            # "Hans", "August", "Bror") is a name when capitalised inside a Scandinavian sentence
            for k, w in enumerate(words):
                if info[k] == "stop" and not w.sent_start and self._cap(w.text) and not INITIAL.match(w.text) \
                        and conv[k] in MIDSENTENCE_CAPS and not DAY_NUMBER_BEFORE.search(text, 0, w.start):
                    low = w.text.lower()
                    if (low in lex.first or low in lex.ambiguous) and low not in lex.software:
                        info[k] = "amb"
        spans: list[tuple[int, int, float]] = []
        used = [False] * n

        # 1) cue-introduced names (any case)
        for i, w in enumerate(words):
            if used[i]:
                continue
            before = text[max(0, w.start - 60):w.start]
            cue = self._cue(before)
            if cue is None:
                continue
            taken = self._take_after_cue(text, words, info, i, cue, lex)
            if not taken:
                continue
            for k in taken:
                used[k] = True
            score = 0.85 if cue in ("intro", "signoff") else 0.75
            spans.append((words[taken[0]].start, words[taken[-1]].end, score))

        # 2) capitalised runs
        i = 0
        while i < n:
            if used[i] or not self._cap(words[i].text) or info[i] in ("stop", "place", "org") or (
                    i and words[i].gap == " " and words[i - 1].text.lower() in DE_POSSESSIVES
                    and info[i] not in ("first", "sur")):
                # (a capitalised word after a German possessive is a noun: "Mein Mann", "unsere Wohnung")
                i += 1
                continue
            j = i + 1
            while j < n and not used[j] and words[j].gap in (" ",) and (
                    (self._cap(words[j].text) and info[j] not in ("stop", "place", "org"))
                    or (words[j].text.lower() in PARTICLES and j + 1 < n and self._cap(words[j + 1].text))
                    or self._place_as_surname(text, words, info, j, lex)):
                j += 1
            run = list(range(i, j))
            if j < n and info[j] == "org" and words[j].gap == " ":
                i = j + 1  # "Fjordbygg AS", "Passion Capital": organisation
                continue
            score = self._score_run(text, words, info, run, conv[i])
            if score:
                spans.append((words[run[0]].start, words[run[-1]].end, score))
                for k in run:
                    used[k] = True
            i = j

        # 3) lower-case first name + surname pair without a cue ("khalid omar")
        for i in range(n - 1):
            if used[i] or used[i + 1] or words[i + 1].gap != " ":
                continue
            a, b = words[i].text, words[i + 1].text
            if a.islower() and b.islower() and info[i] == "first" and info[i + 1] in ("sur", "first") \
                    and a not in lex.not_names and b not in lex.not_names:
                spans.append((words[i].start, words[i + 1].end, 0.6))
                used[i] = used[i + 1] = True

        # 3b) a capitalised first name joined by "and"/"og"/"och"/"ja"/"&" to a name found above: "Anna and Tom"
        # ("Tom" is also a Scandinavian word, so alone it is ambiguous; after "Anna and" it is not)
        for k in range(1, n):
            if used[k] or words[k].sent_start or not self._cap(words[k].text) \
                    or info[k] not in ("first", "amb") or words[k].text.lower() in lex.software:
                continue
            joined = (words[k].gap == " & " and used[k - 1]) or (
                k >= 2 and used[k - 2] and words[k - 1].text.lower() in COORDINATION
                and words[k - 1].gap == " " and words[k].gap == " ")
            if not joined:
                continue
            end = k
            while end + 1 < n and not used[end + 1] and words[end + 1].gap == " " \
                    and self._cap(words[end + 1].text) and info[end + 1] in ("first", "amb", "sur"):
                end += 1
            for m in range(k, end + 1):
                used[m] = True
            spans.append((words[k].start, words[end].end, 0.7))

        # 4) the NER model (Finnish), asked only about capitalised words still unsettled
        engine = getattr(artifacts, "nlp_engine", None)
        if finnish and hasattr(engine, "ner_spans"):
            probs = engine.word_logprobs(self.supported_language)
            covered = sorted((s, e) for s, e, _ in spans)
            todo = [i for i in ner_candidates(doc, probs) if not _inside(doc[i].idx, covered)]
            labelled = []
            for start, end, label in engine.ner_spans(doc, todo, self.supported_language):
                # the model calls many unseen, inflected foreign names a one-word ORG ("Iglesiaksen",
                # "Koivuselle"): such a label does not rule out a person (step 5 decides)
                if not (label == "ORG" and " " not in text[start:end]):
                    labelled.append((start, end))
                if label not in ("PERSON", "PER"):
                    continue
                low = text[start:end].lower()
                if low in lex.not_names or low in lex.places:
                    continue
                spans.append((start, end, 0.8))
            # 5) what the model left unlabelled: a word Finnish writes capitalised is a proper noun
            # (the model's word frequencies tell: its capitalised spelling is far more common, or
            # inside a sentence it is no known word); not a listed place, nor another kind of
            # entity for the model, so most likely a person
            if probs is not None:
                for i in todo:
                    tok = doc[i]
                    if not _inside(tok.idx, labelled) and _proper_noun(tok.text, probs, _sentence_initial(doc, i)):
                        spans.append((tok.idx, tok.idx + len(tok.text), 0.55))

        yield from self._clean(text, spans)

    # ------------------------------------------------------------------ helpers
    def _conventions(self, words) -> list[str]:
        """Per word, the language whose capitalisation its sentence follows: the recognizer's, or
        "en"/"de" for an English or German sentence in a text read as Scandinavian or English (see
        EN_FUNCTION_WORDS). Finnish is left to its model."""
        lang = self.supported_language
        out = [lang] * len(words)
        if lang not in MIDSENTENCE_CAPS and lang != "en":
            return out
        starts = [k for k, w in enumerate(words) if w.sent_start or k == 0] + [len(words)]
        for a, b in itertools.pairwise(starts):
            # lower-case words and the sentence's first: a capitalised "Will I Am" inside a Swedish
            # sentence is a name (or a title), not English
            low = [w.text.lower().rstrip(".,:;!?") for k, w in enumerate(words[a:b])
                   if k == 0 or not w.text[:1].isupper()]
            en = sum(w in EN_FUNCTION_WORDS for w in low)
            de = sum(w in DE_FUNCTION_WORDS for w in low)
            scand = sum(w in SCAND_FUNCTION_WORDS for w in low)
            if de >= 2 and de > scand and de >= en:
                out[a:b] = ["de"] * (b - a)
            elif en >= 2 and en > scand and lang != "en":
                out[a:b] = ["en"] * (b - a)
        return out

    @staticmethod
    def _cue(before: str) -> str | None:
        if INTRO_CUES.search(before):
            return "intro"
        if SIGNOFF_CUES.search(before):
            return "signoff"
        if RELATION_CUES.search(before):
            return "relation"
        if WEAK_INTRO_CUES.search(before):
            return "weak"
        if CONTACT_CUES.search(before):
            return "contact"
        if GENERIC_CUES.search(before):
            return "generic"
        return None

    def _take_after_cue(self, text, words, info, i, cue, lex) -> list[int]:
        """Indices of the name words right after a cue (empty when they do not look like one)."""
        n = len(words)
        taken: list[int] = []
        apposition = words[i].gap.endswith(", ") or words[i].gap.strip() == ","
        j = i
        while j < n and len(taken) < 4:
            cand, kind = words[j], info[j]
            if j > i and cand.gap not in (" ", "-"):
                break
            low = cand.text.lower()
            cap = self._cap(cand.text)
            if kind == "stop" and cap and low in lex.software and cue in ("intro", "relation"):
                kind = "amb"  # "jeg heter Rasa ...": a software name is a name after a strong cue
            elif kind == "stop" and cap and (low in lex.first or low in lex.ambiguous) and low not in lex.software \
                    and (cue in ("intro", "relation") or (cue == "signoff" and self._closes_line(text, words, j))):
                kind = "amb"  # "Mvh\nOle", "Terveisin Aina": a listed name that is also a word
                # (after a sign-off only at the end of the line: "Thanks. Can you ...")
            if kind == "place" and taken and taken[-1] == j - 1 and self._place_as_surname(text, words, info, j, lex,
                                                                                      named_before=True):
                kind = "sur"  # "Hilsen\nAnders Lund", "jeg heter Kari Voss": the surname of a town
            nxt = info[j + 1] if j + 1 < n and words[j + 1].gap == " " else None
            listed = kind in ("first", "sur") or (kind == "amb" and (cap or taken or nxt in ("first", "sur")))
            if kind in ("stop", "place", "org", "acronym") or cand.text[:1].isdigit():
                break
            if cap and kind in ("first", "sur", "amb", "unknown", "initial"):
                ok = cue in ("intro", "signoff", "relation") or listed or bool(taken) or (
                    cue == "contact" and not cand.sent_start)
            elif listed:
                ok = True
            elif kind == "unknown" and self._name_like_lower(low):
                if taken and not any(self._cap(words[k].text) for k in taken):
                    ok = len(taken) < 3  # "hamid rezaei": lower-case run continues
                elif cue == "intro":
                    ok = True
                elif cue == "signoff":
                    ok = self._ends_message(text, words, j)
                elif cue == "relation" and apposition:
                    ok = self._apposition_closes(text, words, j)
                else:
                    ok = False
            else:
                ok = False
            if not ok:
                break
            taken.append(j)
            j += 1
        if not taken:
            return []
        kinds = [info[k] for k in taken]
        if cue in ("generic", "weak") and not any(k in ("first", "sur") for k in kinds):
            if not (len(taken) >= 2 and "amb" in kinds):
                return []
        if cue == "relation" and kinds == ["amb"] and words[taken[0]].text[:1].islower():
            return []
        if cue in ("generic", "weak", "contact") and STATE_AFTER.match(text, words[taken[-1]].end):
            return []  # "from Austin, Texas": a town before its state
        return taken

    @staticmethod
    def _place_as_surname(text: str, words, info, j: int, lex, named_before: bool = False) -> bool:
        """A listed place right after a first name on the same line is a surname ("Anders Lund", "Kari Voss",
        "Birgitta Lund <e-mail>"): the name ended before it and the surname stayed in the redacted text.
        Not before a municipality word ("Kari Voss kommune" is no sign-off) nor when another capitalised word
        follows ("Ole Oslo Sportsklubb")."""
        if not (0 < j and info[j] == "place" and words[j].gap == " " and (named_before or info[j - 1] in ("first", "sur"))
                and words[j].text.lower() in lex.places and NordicPersonRecognizer._cap(words[j].text)):
            return False
        after = text[words[j].end:words[j].end + 40]
        if PLACE_AFTER.match(after) or re.match(r"^[ \t]+[A-ZÆØÅÄÖÜ][a-zæøåäöü]", after):
            return False
        return True

    @staticmethod
    def _apposition_closes(text, words, j) -> bool:
        """"Far min, niillas gaup, bur i ..." - a comma closes the name within three words."""
        tail = text[words[j].end:words[j].end + 40]
        return bool(re.match(r"^(?:\s+[^\W\d_][\w\-']*){0,2},", tail))

    @staticmethod
    def _cap(word: str) -> bool:
        if INITIAL.match(word):
            return True
        return word[:1].isupper() and not (len(word) > 1 and word.isupper())

    @staticmethod
    def _classify(word: str, lex, finnish: bool) -> str:
        """"initial", "org", "stop", "place", "first", "amb", "sur", "acronym" or "unknown"
        (cached per spelling: the lexicon never changes after loading)."""
        return _classify_cached(word, finnish) if lex is lexicon() else _classify_word(word, lex, finnish)

    @staticmethod
    def _name_like_lower(low: str) -> bool:
        return low.isalpha() and len(low) >= 2 and low not in lexicon().not_names

    @staticmethod
    def _lowercase_run(words, taken) -> bool:
        return all(not words[k].text[:1].isupper() for k in taken)

    @staticmethod
    def _closes_line(text: str, words, j: int) -> bool:
        """Only a capitalised word or two (a surname) and punctuation follow on the line: a
        signature ("Takk!\nOle Hansen"), not a new sentence ("Thanks. Can you help?")."""
        rest = text[words[j].end:].split("\n", 1)[0]
        tail = re.findall(r"[^\W\d_][\w'’\-]*|\d", rest)
        return len(tail) <= 2 and all(w[:1].isupper() for w in tail)

    @staticmethod
    def _ends_message(text: str, words, j: int) -> bool:
        """The word is near the end of the message/line (sign-off position)."""
        rest = text[words[j].end:]
        line = rest.split("\n", 1)[0]
        return len(line.strip(" .!,")) <= 30 and not re.search(r"[.!?]\s+\S", line)

    def _score_run(self, text: str, words, info, run, lang: str | None = None) -> float:
        """The run's score; ``lang``: the capitalisation convention of its sentence (see _conventions)."""
        lang = lang or self.supported_language
        kinds = [info[k] for k in run if words[k].text.lower() not in PARTICLES]
        if not kinds:
            return 0.0
        if all(k == "initial" for k in kinds):
            return 0.0
        first_word = words[run[0]]
        sent_start = first_word.sent_start
        before = text[max(0, first_word.start - 40):first_word.start]
        after = text[words[run[-1]].end:words[run[-1]].end + 40]
        titled = bool(TITLE_BEFORE.search(before))
        speech = bool(SPEECH_AFTER.match(after)) and not re.match(r"^\s*(?:og|och|ja|and)\s+[a-zæøåäö]", after)
        quoted_speech = bool(QUOTED_SPEECH_BEFORE.search(before))
        if len(run) == 1 and STATE_AFTER.match(after) and not titled:  # "Austin, Texas": a town (one word: "Sarah Miller, Texas" stays a name)
            return 0.0
        if "first" in kinds:
            return 0.85
        if NAME_AFTER.match(after) and any(k in ("amb", "sur", "unknown") for k in kinds):
            return 0.7
        if PLACE_AFTER.match(after):  # "Fjordvik kommune", "Bergens kommun"
            return 0.0
        if re.search(r"(?:^|[^\w])(?:The|Der|Die|Das)\s+$", before):  # "The Stone Roses"
            return 0.0
        loc_prep = LOC_PREP_EN if lang in ("en", "de") else LOC_PREP
        if loc_prep.search(before) and not titled and not ("sur" in kinds and len(kinds) >= 2):
            return 0.0
        if "amb" in kinds and len(kinds) >= 2 and all(k in ("amb", "sur", "unknown", "initial", "first") for k in kinds):
            return 0.75
        if "amb" in kinds:
            if titled or (speech and not sent_start) or re.match(r"^\s*(?:her|här|here|tässä|täällä)\b", after, re.I):
                return 0.7
            if not sent_start and lang in MIDSENTENCE_CAPS:
                return 0.6  # "Dag", "Per", "Liv" capitalised inside a sentence: the word would be lower-case
            return 0.0
        # a patronymic surname opening a sentence before a lower-case word ("Poulsens advokat
        # anker", "Svensson vann"): no common noun has that shape
        patronymic_opening = (sent_start and len(run) == 1 and lang in MIDSENTENCE_CAPS
                              and _patronymic(first_word.text) and bool(re.match(r"^\s+[a-zæøåäö]", after)))
        if "sur" in kinds:
            # Finnish capitalises no common noun, so a listed surname opening a sentence is a name
            if not sent_start or len(kinds) >= 2 or titled or speech or self.supported_language == "fi":
                return 0.7
            return 0.6 if patronymic_opening else 0.0
        if all(k in ("unknown", "initial", "acronym") for k in kinds):
            if "acronym" in kinds or self._continues_name_of_thing(words, info, run[0], len(run)):
                return 0.0
            if lang == "de" and not (titled or quoted_speech):
                return 0.0  # German capitalises every noun ("für Ihre Hilfe"): a title or speech is needed
            suffix_like = any(SURNAME_SUFFIX.search(words[k].text.lower()) for k in run)
            if titled or quoted_speech:
                return 0.65
            if patronymic_opening:
                return 0.55
            if len(kinds) >= 2 and not sent_start:
                return 0.6
            if len(kinds) >= 2 and sent_start and (speech or suffix_like):
                return 0.55
            if not sent_start and speech:
                return 0.6
            if not sent_start and suffix_like and lang in ("sv", "da", "nb", "nn", "en"):
                return 0.55
            if not sent_start and lang in MIDSENTENCE_CAPS:
                return 0.55  # Scandinavian writing capitalises proper nouns only; places are listed
        return 0.0

    def _continues_name_of_thing(self, words, info, k: int, length: int = 1) -> bool:
        """Unlisted capitalised words right after a capitalised organisation word, acronym,
        brand or name-opening adjective inside a sentence continue the name of that thing ("FC
        Nordby", "Jyske Bank Arena", "Volvo Cars", "Dansk Sygeplejeråd"), not a person; after a
        place (listed, not also a name like "Jordan"; or inflected) only one such word ("Danmarks
        Radio", "Aarhus Fremad"): sports news writes "Zambias Stoppila Sunzu" (Finnish, which
        puts such words in the genitive, any: "Tampereen Ilves", "Åbo Akademissa Turussa").
        (After a word ending like an institution the Swedish NER dev set lost names, so those
        do not count.)"""
        if k == 0 or words[k].gap != " ":
            return False
        prev = words[k - 1].text
        if not prev[:1].isupper():
            return False
        if info[k - 1] in ("org", "acronym"):
            return True
        lex = lexicon()
        low = prev.lower()
        if low in lex.places:  # not a place that is also a name ("Jordan", "Lund")
            return (length == 1 or self.supported_language == "fi") and low not in lex.any_name
        if info[k - 1] == "place":
            return (length == 1 or self.supported_language == "fi") and any(
                f in lex.places for f in base_forms(prev, self.supported_language == "fi")[1:])
        if info[k - 1] == "stop" and prev.lower() in lexicon().software:  # "Volvo Cars", "Yara International"
            return True
        return info[k - 1] == "stop" and prev.lower() in ORG_LEAD and self.supported_language != "en"

    @staticmethod
    def _clean(text: str, spans) -> Iterator[tuple]:
        for start, end, score in spans:
            value = text[start:end]
            if value.endswith(("'s", "’s")):
                end -= 2
            unit = TRAILING_UNIT.search(text, start, end)
            if unit and UNIT_NUMBER.match(text, unit.end()):  # "Kari Nordmann Apt. 5": unit is address
                end = unit.start()
            while end > start and text[end - 1] in ".,:;-–'’\"":
                end -= 1
            while start < end and text[start] in "-–'’\"(":
                start += 1
            if end - start >= 2:
                yield (start, end, score)


def _proper_noun(word: str, probs, initial: bool) -> bool:
    """A plain capitalised word (no digits, no inner capitals) that the model's word
    log-probabilities show to be a proper noun: its capitalised spelling at least e^2 times as
    common as the lower-case one; inside a sentence also a word absent from the table (inflected
    rare names), which at the start of a sentence is more often a rare compound noun."""
    if len(word) < 3 or not word[:1].isupper() or not word[1:].isalpha() or not word[1:].islower():
        return False
    cap, low = probs.get(word), probs.get(word.lower())
    if cap is not None and low is not None:
        return cap - low >= PROPER_LOGPROB_MARGIN
    if cap is not None:  # only ever seen capitalised: a name, or a verb form that opens sentences
        return not (initial and word.lower().endswith(FI_VERB_ENDINGS))
    if low is not None:
        return False
    return not initial or not (_compound(word.lower(), probs) or word.lower().endswith(FI_VERB_ENDINGS))


def _compound(low: str, probs) -> bool:
    """Two known words written together ("onnettomuus|paikkaa"): a Finnish compound noun."""
    return any(probs.get(low[:k]) is not None and probs.get(low[k:]) is not None
               for k in range(3, len(low) - 3))


def _patronymic(word: str) -> bool:
    """A Scandinavian patronymic surname, listed or built on a listed first name ("Poulsen",
    "Bentsens", "Svenssons"); at least seven letters, so that definite nouns of the shape
    (Dansen, Linsen, Person) do not count."""
    match = PATRONYMIC.match(word)
    if not match or not word[:1].isupper():
        return False
    lex = lexicon()
    base = word.lower().replace("’", "'").removesuffix("'s")
    forms = {base} | ({base[:-1]} if not base.endswith(("sen", "son")) else set())
    if any(f in lex.surnames for f in forms):
        return True
    stem, ending = match.group(1).lower(), match.group(2).lower()
    if len(stem) + len(ending) < 7:
        return False
    names = lex.first | lex.ambiguous
    return stem in names or (ending.startswith("s") and (stem + "s") in names) or \
        (stem.endswith("s") and stem in names)


def _sentence_initial(doc, i: int) -> bool:
    prev = doc[i - 1] if i > 0 else None
    return prev is None or prev.is_space or prev.text in _SENT_OPENERS or "\n" in prev.whitespace_


def _inside(pos: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start <= pos < end for start, end in ranges)


_SENT_OPENERS = {".", "!", "?", ":", ";", "…", '"', "“", "”", "«", "»", "(", "-", "–", "—", "*", "•", "|"}
CAP_LOGPROB_MARGIN = 1.0  # sentence-initial: capitalised spelling >= e^1 times as common as lower-case
PROPER_LOGPROB_MARGIN = 2.0  # a proper noun without the model's label: >= e^2 times
# Finnish finite verb endings (imperative, question, person endings, conditional, past participle):
# "Päivittäkää", "Voitteko", "Toivomme" open sentences and are seen capitalised only
FI_VERB_ENDINGS = ("kaa", "kää", "koon", "köön", "ko", "kö", "mme", "tte", "vat", "vät", "isin",
                   "isit", "isi", "nut", "nyt", "neet", "ttiin", "tiin", "taan", "tään", "daan", "dään")


def ner_candidates(doc, probs=None) -> list[int]:
    """Token indices worth the (slow) Finnish NER model: capitalised words that the lists do not
    settle. Skipped: function words, places, organisation words, acronyms, known first names
    (the lists already mark them), and sentence-initial words that the model's own word
    frequencies (``probs``: log-probability by exact spelling) show to be ordinary words."""
    lex = lexicon()
    out: list[int] = []
    for i, tok in enumerate(doc):
        text = tok.text
        initial = _sentence_initial(doc, i)
        if not text[:1].isupper() or (len(text) > 1 and text.isupper()) or not text[:1].isalpha():
            continue
        kind = NordicPersonRecognizer._classify(text, lex, True)
        if kind in ("stop", "place", "org", "acronym", "first", "sur", "initial"):
            continue
        if initial and probs is not None and kind == "unknown":
            cap, low = probs.get(text), probs.get(text.lower())
            if low is not None and (cap is None or cap - low < CAP_LOGPROB_MARGIN):
                continue
        out.append(i)
    return out


@functools.lru_cache(maxsize=65536)
def _classify_cached(word: str, finnish: bool) -> str:
    return _classify_word(word, lexicon(), finnish)


def _classify_word(word: str, lex, finnish: bool) -> str:
    if INITIAL.match(word):
        return "initial"
    if ORG_WORDS.match(word) or DOMAIN.match(word):  # "Equinor.com": a web address names a company, not a person
        return "org"
    low = word.lower()
    if low in lex.not_names or CALENDAR_WORD.match(low):
        return "stop"
    forms = base_forms(word, finnish)
    if low in lex.places or (forms[1:2] and forms[1] in lex.places and finnish):
        return "place"
    # A lower-case word is a listed name by its own spelling only: its genitive form ("lives" = "Live" + -s,
    # "marks", "bills") is far more often a word of the sentence ("My mother lives at the nursing home").
    # Finnish inflects names in every case and is looked up by its endings as before ("äitini liisan").
    inflected = forms if finnish or word != low else [low]
    for group in ([low], inflected):  # the spelling itself first: "Hansen" is a surname, not "Hans" + -en
        if any(f in lex.first for f in group):
            return "first"
        if any(f in lex.ambiguous for f in group):
            return "amb"
        if any(f in lex.surnames for f in group):
            return "sur"
    if len(word) > 1 and word.isupper() or re.match(r"^[A-ZÆØÅÄÖ]{2,}:|^[A-ZÆØÅÄÖ]+-[a-zæøåäö]", word):
        return "acronym"
    if re.match(r"^[A-ZÆØÅÄÖÜ]{2,}[a-zæøåäöü]", word):  # "ÖTVs", "OBeren": an inflected acronym
        return "acronym"
    tail = re.search(r"-([a-zæøåäöü]+)$", word)
    if (tail and tail.group(1) not in lex.any_name) or THING_SUFFIX.search(low):  # "Secumar-vest", "Kunstmuseum"
        return "place"
    if STREET_WORD.search(low):
        return "place"
    compass = COMPASS_PREFIX.match(low)
    if compass and low[compass.end():] in lex.places:  # "Midtjylland", "Nordsverige", "Itä-Suomi"
        return "place"
    if any(f in lex.places for f in forms):
        return "place"
    # an inflected brand or service ("Vippsin", "Finnairille", "Spotifys"); in Finnish also any
    # inflected non-name of four letters or more ("Kelan", "Eduskunnan" -> listed base forms)
    if any(f in lex.software or (finnish and f in lex.not_names) for f in forms[1:] if len(f) >= 4):
        return "stop"
    return "unknown"
