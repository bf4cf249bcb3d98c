"""Writes the synthetic test mails in this folder (``python tests/mail/data/make_mails.py``).

Written for Tinget's own tests, independent of the shared dev set: each mail exercises one triage
rule in one of the six languages, including resident mails that look like what gets set aside
(absence from school, a login problem, a link to a photo) and must never be set aside.
All people, addresses and numbers are synthetic.
"""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

HERE = Path(__file__).parent
TO = "Postmottak Fjordvik kommune <postmottak@fjordvik.example>"

MAILS = [
    # id, lang, action, department, intents, headers, subject, body, note
    ("t01", "nb", "answer", "culture", ["library"], {}, "Bibliotek",
     "Hei!\n\nHar biblioteket åpent på lørdager i sommer?\n\nMvh\nSiri Dahl", "general opening hours"),
    ("t02", "nn", "answer", "technical", ["recycling_station"], {}, "Gamal sofa",
     "Hei\n\nKor kan eg levere ein gamal sofa og eit kjøleskap?\n\nHelsing\nOdd Vik\n\nSendt fra min iPhone", "where to deliver bulky waste"),
    ("t03", "sv", "answer", "culture", ["swimming_sports"], {}, "Badhuset",
     "Hej!\nVad kostar det för barn att bada i simhallen?\n\nMed vänliga hälsningar\nLisa Berg", "swimming prices"),
    ("t04", "da", "answer", "education", ["kindergarten_apply"], {}, "Børnehave",
     "Hej\n\nHvornår er fristen for at søge børnehaveplads til august?\n\nVenlig hilsen\nMette Holm", "application deadline"),
    ("t05", "fi", "answer", "technical", ["waste_collection"], {}, "Jätehuolto",
     "Hei,\n\nMinä päivänä roskat haetaan Fjordvikin keskustassa?\n\nYstävällisin terveisin\nMatti Laine", "waste pickup day"),
    ("t06", "en", "answer", "service_desk", ["job_vacancies"], {}, "Summer jobs",
     "Hello,\n\nDoes the municipality have summer jobs for students this year?\n\nKind regards\nTom Hill", "general job question"),
    ("t07", "nb", "answer", "finance", ["property_tax"], {}, "Eiendomsskatt",
     "Hei. Hvordan klager man på eiendomsskatten generelt, og hva er fristen?\n\nHilsen Per", "how to complain in general"),
    ("t08", "nb", "route", "education", ["kindergarten_apply"], {}, "Søknad barnehage",
     "Hei\n\nVi søkte om barnehageplass for sønnen vår i februar og har ikke fått svar ennå. "
     "Når får vi vite noe?\n\nMvh\nKari og Ola Nordmann", "own application status"),
    ("t09", "sv", "route", "finance", ["invoice_payment"], {}, "Fel faktura",
     "Hej\n\nJag har fått en faktura som jag redan har betalat. Kan ni kontrollera det?\n\nHälsningar\nJonas Ek",
     "own invoice"),
    ("t10", "en", "route", "planning", ["building_permit"], {}, "Appeal",
     "Hello,\n\nWe received a refusal of our building permit for a garage last week. We want to appeal the decision.\n\n"
     "Best regards\nAnna and Mark Lee", "appeal of own decision"),
    ("t11", "da", "route", "welfare", ["social_assistance"], {}, "Min ansøgning",
     "Hej\n\nJeg søgte om økonomisk hjælp for tre uger siden og har ikke hørt noget. Jeg har ingen penge til mad.\n\n"
     "Venlig hilsen\nSara Jensen", "own application, urgent"),
    ("t12", "nb", "route", "service_desk", [], {}, "Skjenkebevilling",
     "Hei\n\nVi skal åpne kafé i sentrum og lurer på hvordan vi søker om skjenkebevilling for øl og vin.\n\n"
     "Mvh\nKafé Bryggen", "alcohol licence: outside the catalogue"),
    ("t13", "nb", "route", "education", ["school_transport"], {"In-Reply-To": "<case-77@fjordvik.example>"},
     "SV: Skoleskyss",
     "Ja, det passer fint. Send meg skjemaet.\n\nDen 3. november 2026 kl. 10:12 skrev Oppvekst <oppvekst@fjordvik.example>:\n"
     "> Vil du at vi sender deg søknadsskjemaet for skoleskyss?", "yes-reply in an open case thread"),
    ("t14", "nb", "answer", "education", ["school_placement"], {}, "Fravær fra skolen",
     "Hei\n\nHvilken skole hører vi til hvis vi flytter til Fjordvik sentrum?\n\nMvh\nEirik", "absence word in subject, a question: never set aside"),
    ("t15", "nb", "route", "technical", ["road_fault_report"], {}, "Hull i veien",
     "Hei\n\nDet er et stort hull i veien utenfor huset mitt i Storgata 12, og bilen min fikk skade på felgen i går. "
     "Jeg vil kreve erstatning. Bilde: https://bilder.example/hull.jpg\n\nMvh\nGeir Lund", "damage claim with a link: never set aside"),
    ("t16", "nb", "route", "planning", ["building_permit"], {}, "Innlogging",
     "Hei\n\nJeg får ikke logget inn for å sende inn byggesøknaden min om tilbygg. Kan dere hjelpe meg?\n\n"
     "Mvh\nLise Moe", "login problem, own application: never set aside"),
    ("t17", "sv", "set_aside", None, [], {"Auto-Submitted": "auto-replied"}, "Automatiskt svar: Bygglov",
     "Jag är på semester till 15 augusti. Vid brådskande ärenden ring växeln.\n\nPer Holm", "auto-reply header"),
    ("t18", "fi", "set_aside", None, [], {}, "Poissa",
     "Olen lomalla 20.7. asti enkä lue sähköpostia.\n\nMatti Laine", "absence subject and notice, no header"),
    ("t19", "en", "set_aside", None, [], {"Precedence": "bulk", "List-Id": "<news.example.com>"}, "Weekly news",
     "This week in municipal technology: five trends.\nUnsubscribe: https://news.example.com/u", "newsletter headers"),
    ("t20", "nb", "set_aside", None, [], {"Reply-To": "support@bankid-sikker.example"}, "Din BankID utløper",
     "Hei\n\nDin BankID utløper i dag. Logg inn her for å bekrefte identiteten din: https://bankid-sikker.example/login\n\n"
     "Dette er en automatisk melding.", "phishing imitating BankID"),
    ("t21", "en", "set_aside", None, [], {}, "You have won!",
     "Congratulations! You have won 1,000,000 EUR in our lottery. Claim your prize at https://win.example/claim",
     "lottery spam"),
    ("t22", "nb", "set_aside", None, [], {}, "", "", "no content"),
    ("t23", "nn", "answer", "health_care", ["emergency_medical"], {}, "",
     "kva er telefonnummeret til legevakta om natta?", "empty subject, short question"),
    ("t24", "en", "route", "health_care", ["home_care_services"], {}, "Home care stopped",
     "Hello\n\nMy mother has had home nursing twice a day, but nobody has come since Monday and nobody told us why. "
     "Please call me.\n\nRegards\nJohn Smith", "own home care stopped"),
]


def write() -> None:
    labels = []
    for n, (mid, lang, action, dep, intents, headers, subject, body, note) in enumerate(MAILS):
        msg = EmailMessage()
        sender = {"t17": "per.holm@bygg.example", "t19": "news@news.example.com",
                  "t20": "varsel@bankid-varsel.example", "t21": "prize@win.example"}.get(mid, f"resident{n}@example.org")
        msg["From"] = sender
        msg["To"] = TO
        msg["Subject"] = subject
        msg["Date"] = f"Mon, 02 Nov 2026 {8 + n % 10:02d}:{n:02d}:00 +0100"
        msg["Message-ID"] = f"<{mid}.{n}@example.org>"
        for k, v in headers.items():
            msg[k] = v
        msg.set_content(body or "\n")
        (HERE / f"{mid}.eml").write_bytes(msg.as_bytes().replace(b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n"))
        labels.append({"id": mid, "lang": lang, "action": action, "department": dep, "intents": intents, "note": note})
    (HERE / "labels.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in labels), encoding="utf-8")


if __name__ == "__main__":
    write()
