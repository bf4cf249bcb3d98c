"""Messages about the conversation itself, not about a service: the bot answers them from a system text and
opens no case.

- an acknowledgement with nothing else in it ("ok", "ja", "greit", "nei", "nei takk", "got it"): typed after an
  answer it went to the classifier, which read "ok" as out_of_scope (0.72) and "ja" as a greeting it was unsure
  of, and both opened a case and paused the bot ("a caseworker will answer you"); ``acknowledged`` (or
  ``goodbye`` for a "no, that was all", ``thanks`` when it thanks);
- a question about the languages the bot speaks ("snakker du engelsk?", "can I write in Norwegian?", "kan eg
  skrive nynorsk?", "I don't speak Norwegian"): read as out_of_scope, a newcomer's first message opened a case
  and the real question that followed was only added to it; ``languages``;
- a question about what the bot can help with ("hva kan du hjelpe med?", "what can I ask you?"), or a bare
  plea for help ("kan du hjelpe meg?", "jeg trenger hjelp", "i need help"): got the social assistance article
  (0.54, 0.52), a "NAV or the emergency doctor?" question, or a case; ``capabilities``.

Only a whole message counts: every sentence of it must be one of these (or a greeting, "sorry", "can you help
me?"), so "ok, men hva koster det?" or "I don't speak Norwegian, can someone call me?" go on as before.
Patterns are on folded text (kb.places.fold: lower case, no diacritics); the acknowledgements in the six
languages, the rest in bokmål, nynorsk and English. Pure functions, no database.
"""

from __future__ import annotations

import re

from kb.places import fold

_END = r"[\s.!?,:;)(\-–…👍👌🙂😊😀😃😄🙏☺😉\ufe0f]*"
_THANKS = r"(?:tusen takk|mange takk|takk (?:skal du ha|for (?:det|hjelpa|hjelpen|svaret|svar))|takk|tak|thanks|thank you|thx|ty|cheers)"
_YES = (r"ok(?:ay|ei|ey|i)?|k|ja|jo|jepp|jada|jaha|ja vel|javel|ja ok|ja da|ok da|okei da|greit|greitt|det er greit|den er grei|"
        r"fint|flott|supert?|perfekt|topp|aha|ah|skjonner|skjonar|forstar|jeg skjonner|jeg forstar|eg skjonar|eg forstar|"
        r"yes|yep|yeah|yup|sure|fine|alright|all right|right|great|perfect|cool|nice|got it|i see|understood|noted|"
        # sv, da, fi (folded): "okej", "ok så", "just det", "forstået", "selvä", "hyvä on", "juu", "ymmärrän"
        r"okej|oki|okidoki|ok sa|bra|just det|forstas|forstaet|selvfolgelig|selva|selva sitten|hyva|hyva on|juu|joo|"
        r"ymmarran|ymmarretty|jahas")
_NO = (r"nei|neida|nei da|nei takk|nope|no|no thanks|no thank you|nei det var alt|nei, det var alt|det var alt|det var det|"
       r"that'?s all|that is all|nothing else|ingenting|ingenting meir|ingenting mer|ikke noe mer|ikkje noko meir|"
       r"nei ellers takk|nei elles takk")
ACKNOWLEDGED = re.compile(rf"^(?:{_YES})(?:{_END}(?:{_YES}))*{_END}$")
THANKED = re.compile(rf"^(?:(?:{_YES}){_END})*{_THANKS}{_END}(?:(?:{_YES}){_END})*$")
DECLINED = re.compile(rf"^(?:{_NO})(?:{_END}{_THANKS})?{_END}$")

# Languages a resident may name, folded ("bokmål" is "bokmal"); the answer lists the six the bot speaks.
_LANG = (r"(?:engelsk|english|norsk|nynorsk|bokmal|norwegian|svensk|swedish|dansk|danish|finsk|finnish|suomi|"
         r"polsk|polish|ukrainsk|ukrainian|russisk|russian|arabisk|arabic|tysk|german|fransk|french|spansk|spanish|"
         r"somali|tigrinja|tigrinya|litauisk|lithuanian|litauisk|thai|tyrkisk|turkish|persisk|persian|farsi|dari|"
         r"urdu|kurdisk|kurdish|vietnamesisk|vietnamese|andre sprak|anna sprak|other languages?|another language)")
_LANGUAGE_SENTENCES = [
    # nb/nn: "snakker du engelsk?", "forstår du norsk", "kan du svare på engelsk?", "kan du engelsk"
    rf"(?:snakker|snakkar|prater|pratar|forstar|skjonner|skjonar|kan|skriver|skriv|svarer|svarar) (?:du|dere|de)"
    rf"(?: ogsa| og| og sa)?(?: (?:snakke|snakka|skrive|svare|svara|forsta|prate|prata))?(?: pa)? {_LANG}",
    # "kan jeg skrive på engelsk?", "kan eg skrive nynorsk til deg?", "går det an å skrive på engelsk?"
    rf"(?:kan|far|ma|gar det an a) (?:jeg|eg|vi|me|ein|en|man)? ?(?:skrive|snakke|snakka|sporre|sporje|sporja|prate|prata)"
    rf"(?: til deg| med deg)?(?: pa)? {_LANG}(?: til deg| med deg)?",
    # "jeg snakker ikke norsk", "eg kan ikkje norsk", "min norsk er dårlig"
    rf"(?:jeg|eg|i) (?:snakker|snakkar|kan|forstar|skjonner|skjonar) (?:ikke|ikkje|ikkje so|ikke sa|lite|litt|bare|berre) "
    rf"(?:godt |so godt |sa godt |mykje |mye )?{_LANG}(?: (?:godt|so godt|sa godt))?",
    # en: "do you speak english?", "can you answer in norwegian", "can I write in English?"
    rf"(?:do|can|could|will) you (?:also )?(?:speak|understand|write|answer|reply|talk|read)(?: in| to me in)? {_LANG}",
    rf"(?:can|may|could) (?:i|we) (?:write|ask|speak|talk|chat)(?: to you| with you)? (?:in|on) {_LANG}",
    rf"i (?:don'?t|do not|dont|can'?t|cannot) (?:speak|understand|read|write) (?:much |good |any )?{_LANG}",
    rf"i (?:only )?speak (?:only )?{_LANG}(?: only)?|my {_LANG} is (?:not (?:very )?good|bad|poor)",
    # "english please", "på engelsk?", "in english?"
    rf"(?:pa |in )?{_LANG}(?: please| pls| takk| tack)?",
]
_CAPABILITY_SENTENCES = [
    r"(?:hva|kva|ka) (?:kan|slags sporsmal kan|for sporsmal kan) (?:du|dere|de|jeg|eg|man|ein|en) "
    r"(?:hjelpe|hjelpa|svare|svara|sporre|sporje|sporja|gjere|gjore)(?: meg| deg| dykk)?(?: med| pa| om)?(?: her| da)?",
    r"(?:hva|kva|ka) (?:vet|veit|kan) du(?: om)?",
    r"what (?:can|could) (?:you|i|we) (?:do|help(?: me)?(?: with)?|answer|ask(?: you)?(?: about)?)(?: here)?|"
    r"what (?:do you know|are you for|kind of questions can you answer|questions can you answer)",
    # a bare plea for help, to the bot: "kan du hjelpe meg?", "jeg trenger hjelp", "hjelp", "i need help" (got the
    # social assistance article, a "NAV or emergency?" question, or a case for "kan du hjelpe meg?")
    r"(?:kan|kunne|can|could|will) (?:du|dere|de|you) (?:hjelpe|hjelpa|help) (?:meg|me|oss|us)(?: litt| a bit| please)?",
    r"(?:(?:jeg|eg|i|vi|me|we) )?(?:trenger|treng|need|vil ha|ville hatt) (?:litt |noe |noko |some )?(?:hjelp|help)"
    r"(?: please| takk)?|(?:hjelp|help)(?: meg| me)?(?: please| takk)?",
]
# Sentences that may stand beside the question without changing what the message asks.
_FILLER = (r"(?:hei|hallo|heisann|hei hei|god dag|god morgon|god morgen|god kveld|hi|hello|hey|good morning|"
           r"unnskyld|orsak|beklager|sorry|excuse me|please|vennligst|takk|thanks|"
           r"kan du hjelpe meg|kan du hjelpa meg|can you help me|could you help me|help me please|jeg trenger hjelp|"
           r"eg treng hjelp|i need help)")
LANGUAGE_QUESTION = re.compile(rf"^(?:{'|'.join(_LANGUAGE_SENTENCES)})$")
CAPABILITY_QUESTION = re.compile(rf"^(?:{'|'.join(_CAPABILITY_SENTENCES)})$")
FILLER = re.compile(rf"^{_FILLER}$")
_SENTENCE = re.compile(r"[.!?;:\n]+|,\s*")


def _sentences(text: str) -> list[str]:
    folded = fold(text or "").replace("’", "'")
    return [s.strip(" -–…\"'«»()") for s in _SENTENCE.split(folded) if s.strip(" -–…\"'«»()")]


def _only(pattern: re.Pattern, text: str) -> bool:
    """Every sentence is ``pattern`` or filler, and at least one is ``pattern``."""
    sentences = _sentences(text)
    return (any(pattern.match(s) for s in sentences)
            and all(pattern.match(s) or FILLER.match(s) for s in sentences))


def kind(text: str) -> str:
    """The system text that answers ``text`` when it is about the conversation itself: "languages",
    "capabilities", "thanks", "goodbye", "acknowledged"; "" for anything else (the dialogue goes on as usual)."""
    if _only(LANGUAGE_QUESTION, text):
        return "languages"
    if _only(CAPABILITY_QUESTION, text):
        return "capabilities"
    whole = " ".join(_sentences(text))
    if not whole:
        return ""
    if DECLINED.match(whole):
        return "goodbye"
    if THANKED.match(whole):
        return "thanks"
    if ACKNOWLEDGED.match(whole):
        return "acknowledged"
    return ""
