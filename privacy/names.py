"""Name lexicon for PERSON: first names, surnames, names-that-are-words, non-names and places
and names of software (privacy/data/*.txt, written for this project), loaded once on first use."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

DATA = Path(__file__).with_name("data")
_lock = threading.Lock()
_lexicon = None

SURNAME_SUFFIX = re.compile(
    r"(?:s?sen|s?son|sdottir|sdóttir|berg|bergh|ström|strøm|qvist|kvist|quist|gren|grén|lund|lund|"
    r"dahl|dal|holm|stad|heim|nes|næs|rud|land|bakk|bakken|haug|haugen|moen|sæter|seter|seth|"
    r"gaard|gård|gard|borg|stedt|stedt|felt|feldt|fors|hed|hielm|hjelm|mark|vall|skog|"
    r"lin|blad|blom|man|mann|ling|ius|ell|én|ér|"
    r"nen|inen|ainen|äinen|lainen|läinen|la|lä|sto|stö|maa|mäki|niemi|salo|korpi|vaara|järvi|"
    r"aho|oja|harju|koski|lahti|ranta|vuori|"
    r"ski|ska|cki|cka|wicz|icz|vić|vic|ović|ic|ić|ov|ova|ev|eva|in|ina|enko|uk|chuk|czuk|"
    r"escu|ez|es|ides|opoulos|akis|oğlu|yan|ian|zadeh|pour|"
    r"stein|ton|well|ley|worth|field|ford|wood|ham|by|bye)$")


def _read(name: str) -> set[str]:
    words: set[str] = set()
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        words.update(w.lower() for w in line.split())
    return words


@dataclass
class Lexicon:
    first: set[str]
    surnames: set[str]
    ambiguous: set[str]
    not_names: set[str]
    places: set[str]
    software: set[str]

    @cached_property
    def any_name(self) -> set[str]:
        return self.first | self.surnames | self.ambiguous


def lexicon() -> Lexicon:
    global _lexicon
    if _lexicon is None:
        with _lock:
            if _lexicon is None:
                ambiguous = _read("ambiguous_names.txt")
                first = _read("first_names.txt") - ambiguous
                software = _read("software_names.txt")
                _lexicon = Lexicon(first=first, surnames=_read("surnames.txt"), ambiguous=ambiguous,
                                   not_names=_read("not_names.txt") | software, places=_read("places.txt"),
                                   software=software)
    return _lexicon


def not_personal(names) -> list[str]:
    """Public names (a municipality's, its places': tinget.models.Municipality.public_names) that may be kept
    when the redactor takes them for a person: those of one word the lexicon knows as no one's name
    ("Fjordvik", "Havbakken"; not "Lia", a first name too), and names of several words ("Lia skule")."""
    lex = lexicon()
    return [n for n in names if " " in n.strip() or n.strip().lower() not in lex.any_name]


# Finnish case endings (longest first); names are looked up with the ending removed.
FI_ENDINGS = ("lleen", "ineen", "ssaan", "ssään", "staan", "stään", "lla", "llä", "lle", "lta",
              "ltä", "ssa", "ssä", "sta", "stä", "ksi", "kin", "han", "hän", "hin", "iin", "na",
              "nä", "ta", "tä", "en", "in", "n", "a", "ä", "t")


def base_forms(word: str, finnish: bool = False) -> list[str]:
    """Lower-cased candidate lemmas: the word, without genitive -s/-'s, without Finnish endings."""
    w = word.lower().replace("’", "'")
    forms = [w]
    if w.endswith("'s") or w.endswith("s'"):
        forms.append(w[:-2])
    elif w.endswith(("s", ":s")) and len(w) > 3:
        forms.append(w.rstrip("s").rstrip(":") if w.endswith(":s") else w[:-1])
    if ":" in w:
        forms.append(w.split(":")[0])
    if finnish:
        for ending in FI_ENDINGS:
            if w.endswith(ending) and len(w) - len(ending) >= 2:
                stem = w[: -len(ending)]
                forms.append(stem)
                if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] in "aeiouyäö":
                    forms.append(stem[:-1])  # Tampereella -> tamperee -> tampere
                if stem[-1] in "aeiouyäö":
                    if len(stem) > 2 and stem[-2] in "kpt":  # gradation: Pekan -> Pekka, Antin -> Antti
                        forms.append(stem[:-1] + stem[-2] + stem[-1])
                else:
                    forms.extend((stem + "a", stem + "i", stem + "e", stem + "o", stem + "ä"))
                if "ng" in stem[-4:]:  # gradation nk -> ng: Helsingissä -> Helsinki
                    k = stem.rindex("ng")
                    forms.append(stem[:k] + "nk" + stem[k + 2:])
                    if stem.endswith("gi"):
                        forms.append(stem[:k] + "nki")
                if stem.endswith("de") and len(stem) > 3:  # gradation t -> d: Lahden -> Lahti
                    forms.append(stem[:-2] + "ti")
                if stem.endswith("se") and len(stem) > 4:  # Virtasen, Koivuselle -> Virtanen, Koivunen
                    forms.append(stem[:-2] + "nen")
                elif stem.endswith("s") and ending in ("ta", "tä") and len(stem) > 3:  # Virtasta
                    forms.append(stem[:-1] + "nen")
    return forms
