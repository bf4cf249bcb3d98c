"""Resident mails written for the session-20 exploration of the mail channel (six languages: plain, HTML-only
and multipart mails, inline forwards and forwards attached as messages, replies quoting earlier mails,
out-of-office replies, several questions in one mail, signatures with phone, e-mail and address, national
identity numbers and bank accounts), each with the department, the action, whether the answer goes out
automatically (demo settings; None: either) and what redaction must remove and keep. Real parser, real
redactor, the trained model. The faults they found are fixed in the commits that name them; rows still
wrong are marked xfail with the reason (not strict: a retrained model may fix them). All people, numbers and
addresses are invented; identity and account numbers are checksum-valid but synthetic."""

from __future__ import annotations

import re
from email.message import EmailMessage

import pytest

NO_FNR = "15038510190"
NO_KONTO = "1503.20.01006"
SE_PNR = "19850315-1006"
FI_HETU = "150385-1008"
DK_CPR = "150385-1234"
FI_IBAN = "FI21 1234 5600 0007 85"
SE_IBAN = "SE45 5000 0000 0583 9825 7466"
DK_IBAN = "DK50 0040 0440 1162 43"

OOO = {"Auto-Submitted": "auto-replied", "X-Autoreply": "yes"}

MAILS = [
    # ---- plain answerable questions (auto-reply topics)
    ("x01", "nb", "plain", "answer", "culture", True, "Biblioteket",
     "Hei!\n\nHvilke åpningstider har biblioteket i jula?\n\nMvh\nTorunn Eide\nTlf 912 34 567", ["Torunn Eide", "912 34 567"],
     ["åpningstider", "biblioteket"], {}, False),
    ("x02", "nn", "plain", "answer", "technical", True, "Gjenvinning",
     "Hei\n\nKva tid er gjenvinningsstasjonen open på laurdagar?\n\nHelsing\nSigrun Haugland\nsigrun.haugland@epost.example",
     ["Sigrun Haugland", "sigrun.haugland@epost.example"], ["gjenvinningsstasjonen"], {}, False),
    ("x03", "sv", "plain", "answer", "culture", True, "Simhallen",
     "Hej!\n\nVilka öppettider har simhallen under sportlovet?\n\nVänliga hälsningar\nKarin Sjöberg\n070-123 45 67",
     ["Karin Sjöberg", "070-123 45 67"], ["öppettider", "simhallen"], {}, False),
    ("x04", "da", "plain", "answer", "technical", True, "Parkering",
     "Hej\n\nHvordan søger man om beboerparkering i midtbyen?\n\nVenlig hilsen\nJens Mikkelsen\nTlf. 20 12 34 56",
     ["Jens Mikkelsen", "20 12 34 56"], ["beboerparkering"], {}, False),
    ("x05", "fi", "plain", "answer", "culture", True, "Kirjasto",
     "Hei,\n\nMilloin kirjasto on auki lauantaisin?\n\nYstävällisin terveisin\nAino Virtanen\n040 123 4567",
     ["Aino Virtanen", "040 123 4567"], ["kirjasto"], {}, False),
    ("x06", "en", "plain", "answer", "service_desk", True, "Summer jobs",
     "Hello,\n\nAre there any summer jobs for teenagers at the municipality this year?\n\nKind regards\nOliver Grant\n"
     "1200 Congress Avenue, Austin, TX 78701\n+1 512 555 0143",
     ["Oliver Grant", "1200 Congress Avenue, Austin", "+1 512 555 0143"], ["summer jobs"], {}, False),
    # ---- answerable, not an auto-reply topic
    ("x07", "nb", "plain", "answer", "education", False, "SFO",
     "Hei\n\nHva koster SFO for to barn per måned?\n\nHilsen\nMarte Lie", ["Marte Lie"], ["SFO"], {}, False),
    ("x08", "sv", "plain", "answer", "planning", False, "Bygglov",
     "Hej\n\nBehöver man bygglov för en altan på 20 kvadratmeter?\n\nMvh Per Holm", ["Per Holm"], ["bygglov"], {}, False),
    # ---- HTML-only
    ("x09", "nb", "html", "answer", "culture", True, "Svømmehallen",
     "<html><body><p>Hei,</p><p>Hva koster det for barn &aring; bade i sv&oslash;mmehallen?</p>"
     "<p>Mvh<br>Eva Strand<br>Tlf: 934 56 789</p></body></html>", ["Eva Strand", "934 56 789"], ["svømmehallen"], {}, True),
    ("x10", "en", "html", "answer", "technical", True, "Recycling",
     "<div>Hi,<br><br>When is the recycling station open on Sundays?<br><br>Best regards,<br>Mia Turner<br>"
     "<a href=\"mailto:mia.turner@mail.example\">mia.turner@mail.example</a></div>",
     ["Mia Turner", "mia.turner@mail.example"], ["recycling station"], {}, True),
    ("x11", "da", "html", "route", "finance", False, "Min regning",
     "<p>Hej</p><p>Jeg har f&aring;et en regning for vand som er alt for h&oslash;j. Kan I se p&aring; den?</p>"
     "<p>CPR: " + DK_CPR + "<br>Venlig hilsen<br>Lone Dahl</p>", ["Lone Dahl", DK_CPR], ["regning"], {}, True),
    # ---- own case -> route
    ("x12", "nb", "plain", "route", "education", False, "Barnehageplass",
     "Hei\n\nVi søkte om barnehageplass for datteren vår Ingrid i mars og har ikke fått svar. Fødselsnummeret hennes er "
     + NO_FNR + ".\n\nMvh\nKjetil Berg", ["Ingrid", NO_FNR, "Kjetil Berg"], ["barnehageplass"], {}, False),
    ("x13", "sv", "plain", "route", "welfare", False, "Ekonomiskt bistånd",
     "Hej\n\nJag ansökte om ekonomiskt bistånd för tre veckor sedan. Mitt personnummer är " + SE_PNR +
     " och pengarna kan sättas in på " + SE_IBAN + ".\n\nHälsningar\nAhmed Yusuf",
     ["Ahmed Yusuf", SE_PNR, SE_IBAN], ["bistånd"], {}, False),
    ("x14", "fi", "plain", "route", "finance", False, "Lasku",
     "Hei\n\nSain laskun jätehuollosta, mutta maksoin sen jo. Henkilötunnukseni on " + FI_HETU + " ja tilini " +
     FI_IBAN + ". Voitteko tarkistaa?\n\nTerveisin\nPekka Nieminen", ["Pekka Nieminen", FI_HETU, FI_IBAN], ["laskun"], {},
     False),
    ("x15", "nb", "plain", "route", "finance", False, "Refusjon",
     "Hei\n\nJeg har betalt eiendomsskatten to ganger. Kan dere betale tilbake til konto " + NO_KONTO +
     "?\n\nMvh\nRune Solberg\nStorgata 14, 8006 Bodø", ["Rune Solberg", "1503.20.01006", "Storgata 14"],
     ["eiendomsskatten"], {}, False),
    ("x16", "da", "plain", "route", "welfare", False, "Boligstøtte",
     "Hej\n\nJeg har fået afslag på boligstøtte og vil klage over afgørelsen. Mit kontonummer er " + DK_IBAN +
     ".\n\nMed venlig hilsen\nSøren Kristensen", ["Søren Kristensen", DK_IBAN], ["boligstøtte"], {}, False),
    ("x17", "en", "plain", "route", "planning", False, "Building permit",
     "Dear Sir or Madam,\n\nWe applied for a building permit for a carport in May and have heard nothing since. "
     "Our case number is 2026/1142.\n\nSincerely,\nDaniel Reeves\n45 Baker Street, London NW1 6XE",
     ["Daniel Reeves", "45 Baker Street"], ["building permit"], {}, False),
    # ---- forwarded mails
    ("x18", "nb", "forward", "answer", "technical", None, "VS: Søppel",
     "Se under, naboen min spurte meg.\n\n-------- Videresendt melding --------\nFra: Arnt Bakke <arnt.bakke@epost.example>\n"
     "Dato: 3. des. 2026 kl. 09:12\nEmne: Søppel\nTil: Hilde Vik <hilde.vik@epost.example>\n\n"
     "Hvilken dag blir restavfallet hentet i Fjellveien?\n", ["Arnt Bakke", "arnt.bakke@epost.example", "Hilde Vik"],
     ["restavfallet"], {}, False),
    ("x19", "sv", "forward", "route", "health_care", False, "VB: Hemtjänst",
     "Hej, jag vidarebefordrar min mammas mejl.\n\n---------- Vidarebefordrat meddelande ----------\n"
     "Från: Birgitta Lund <birgitta.lund@post.example>\nDatum: 2 dec. 2026\nÄmne: Hemtjänst\n\n"
     "Ingen från hemtjänsten har kommit på tre dagar. Jag behöver hjälp med maten.\n",
     ["Birgitta Lund", "birgitta.lund@post.example"], ["hemtjänsten"], {}, False),
    ("x20", "en", "forward", "answer", "culture", None, "Fwd: library",
     "FYI, my colleague asked this.\n\n---------- Forwarded message ---------\nFrom: Grace Lee <grace.lee@mail.example>\n"
     "Date: Tue, 1 Dec 2026\nSubject: library\n\nHow do I renew my library books online?\n",
     ["Grace Lee", "grace.lee@mail.example"], ["library"], {}, False),
    # ---- replies quoting earlier mails
    ("x21", "nb", "reply", "route", "education", False, "SV: Skoleskyss",
     "Takk for svaret. Da sender jeg søknaden i morgen.\n\nDen 2. des. 2026 kl. 14:02 skrev Fjordvik kommune "
     "<postmottak@fjordvik.example>:\n> Du kan søke om skoleskyss på nettsidene våre.\n> Hilsen Oppvekst",
     [], ["søknaden"], {"In-Reply-To": "<case-12@fjordvik.example>"}, False),
    ("x22", "sv", "reply", "route", "technical", False, "Sv: Snöröjning",
     "Det är fortfarande inte plogat på vår gata, Björkvägen 7. Kan ni skicka någon?\n\n"
     "Den 1 dec. 2026 skrev Fjordvik kommun:\n> Vi plogar inom 24 timmar efter snöfall.",
     ["Björkvägen 7"], ["plogat"], {"In-Reply-To": "<case-15@fjordvik.example>"}, False),
    ("x23", "en", "reply", "route", "culture", False, "Re: Swimming course",
     "Yes please, book my son Jack on the Tuesday course.\n\nOn 30 Nov 2026, Fjordvik Culture wrote:\n"
     "> Would you like us to book a place on the swimming course?",
     ["Jack"], ["Tuesday course"], {"In-Reply-To": "<case-18@fjordvik.example>"}, False),
    # ---- out-of-office and other set-aside
    ("x24", "nb", "ooo", "set_aside", None, False, "Fravær: Svar på henvendelse",
     "Jeg er på ferie til 4. januar og leser ikke e-post. Ved hastesaker, ring 55 50 10 00.\n\nHilsen Anne Moe",
     ["Anne Moe"], [], OOO, False),
    ("x25", "en", "ooo", "set_aside", None, False, "Automatic reply: Your enquiry",
     "I am out of the office until Monday with limited access to e-mail.\n\nRegards, Paul", [], [], OOO, False),
    ("x26", "fi", "ooo", "set_aside", None, False, "Poissa: kysely",
     "Olen lomalla 10.12. asti. Kiireellisissä asioissa soita 040 765 4321.", ["040 765 4321"], [], OOO, False),
    ("x27", "sv", "ooo", "set_aside", None, False, "Frånvaro",
     "Hej! Jag är föräldraledig till och med 31 januari och läser inte min e-post.\nMed vänlig hälsning\nSara",
     [], [], {"Auto-Submitted": "auto-replied"}, False),
    # ---- several questions
    ("x28", "nb", "multi", "answer", "culture", False, "Bibliotek og bad",
     "Hei!\n\nNår er biblioteket åpent på søndager? Og hva koster det å bade i svømmehallen for voksne?\n\nMvh\nLiv Aas",
     ["Liv Aas"], ["biblioteket", "svømmehallen"], {}, False),
    ("x29", "da", "multi", "route", "education", False, "Skole",
     "Hej\n\nHvordan søger man om skoleskift? Og hvorfor har jeg ikke fået svar på min ansøgning om SFO til min søn?\n\n"
     "Venlig hilsen\nMaja Poulsen", ["Maja Poulsen"], ["skoleskift"], {}, False),
    ("x30", "en", "multi", "answer", "technical", False, "Two questions",
     "Hi,\n\nWhat are the opening hours of the recycling station, and can I get a parking permit for my street?\n\n"
     "Thanks,\nLucy Ward", ["Lucy Ward"], ["recycling station"], {}, False),
    ("x31", "fi", "multi", "answer", "education", False, "Päiväkoti",
     "Hei\n\nMiten haetaan päiväkotipaikkaa? Paljonko päivähoito maksaa kuukaudessa?\n\nKiitos\nLaura Mäkinen",
     ["Laura Mäkinen"], ["päiväkotipaikkaa"], {}, False),
    # ---- background + answerable question (gap 1)
    ("x32", "nb", "background", "answer", "culture", True, "Bibliotek",
     "Hei\n\nVi har nettopp flyttet til Fjordvik med to barn. Når er biblioteket åpent på lørdager?\n\nMvh\nHege Lunde",
     ["Hege Lunde"], ["biblioteket"], {}, False),
    ("x33", "sv", "background", "answer", "culture", True, "Simhallen",
     "Hej\n\nVi flyttade hit från Austin, Texas i somras. Vilka öppettider har simhallen?\n\nHälsningar\nEmma Nilsson",
     ["Emma Nilsson"], ["simhallen", "Austin"], {}, False),
    ("x34", "en", "background", "answer", "technical", None, "Recycling",
     "Hello,\n\nWe are renovating our kitchen this winter. When is the recycling station open?\n\nBest,\nNoah Price",
     ["Noah Price"], ["recycling station"], {}, False),
    ("x35", "nb", "incident", "answer", "culture", False, "Svømmehallen",
     "Hei\n\nSønnen min skled og slo seg i garderoben i svømmehallen i går. Når er svømmehallen åpen?\n\nMvh\nIda Holm",
     ["Ida Holm"], ["svømmehallen"], {}, False),
    ("x36", "da", "incident", "answer", "culture", False, "Bibliotek",
     "Hej\n\nMit lånerkort er blevet stjålet, og nogen har lånt bøger på det. Hvornår har biblioteket åbent?\n\n"
     "Hilsen\nAnders Lund", ["Anders Lund"], ["biblioteket"], {}, False),
    # ---- when-clause questions without "?" (gap 2)
    ("x37", "nb", "when", "answer", "health_care", None, "Mor",
     "Hei\n\nNår mor kommer hjem fra sykehuset neste uke, hvordan søker vi om hjemmesykepleie for henne\n\n"
     "Mvh\nGunnar Ruud", ["Gunnar Ruud"], ["hjemmesykepleie"], {}, False),
    ("x38", "sv", "when", "answer", "education", None, "Skolskjuts",
     "Hej\n\nNär Elsa börjar i skolan i augusti, hur ansöker man om skolskjuts\n\nMvh\nJohan Ek",
     ["Elsa", "Johan Ek"], ["skolskjuts"], {}, False),
    # ---- signatures with phone, e-mail and address; IDs in odd places
    ("x39", "nb", "signature", "answer", "technical", None, "Brøyting",
     "Hei\n\nNår blir fortauene brøytet etter snøfall?\n\n--\nBjørn Hagen\nSeniorrådgiver, Fjordbygg AS\n"
     "Mob: +47 912 34 567 | bjorn@hagenbygg.example\nSjøgata 3, 8006 Bodø",
     ["Bjørn Hagen", "+47 912 34 567", "bjorn@hagenbygg.example", "Sjøgata 3"], ["fortauene"], {}, False),
    ("x40", "en", "signature", "answer", "culture", None, "Library card",
     "Hi,\n\nHow do I get a library card?\n\nCheers,\nAva Collins\nPhone: 07700 900123\nEmail: ava.collins@mail.example",
     ["Ava Collins", "07700 900123", "ava.collins@mail.example"], ["library card"], {}, False),
    ("x41", "nn", "plain", "route", "health_care", False, "Sjukeheim",
     "Hei\n\nMor mi, Solveig Nes (fnr " + "02079110046" + "), har fått avslag på sjukeheimsplass. Eg vil klage på vedtaket.\n\n"
     "Helsing\nOla Nes", ["Solveig Nes", "02079110046", "Ola Nes"], ["sjukeheimsplass"], {}, False),
    ("x42", "fi", "plain", "route", "health_care", False, "Kotihoito",
     "Hei\n\nÄitini Helvi Korhonen tarvitsee kotihoitoa. Kuka voi soittaa minulle numeroon 050 987 6543?\n\n"
     "Terveisin\nJari Korhonen", ["Helvi Korhonen", "050 987 6543", "Jari Korhonen"], ["kotihoitoa"], {}, False),
    ("x43", "da", "plain", "answer", "health_care", None, "Lægevagt",
     "Hej\n\nHvilket nummer skal jeg ringe til lægevagten om natten?\n\nMvh\nKaren Holm\nTlf 20 98 76 54",
     ["Karen Holm", "20 98 76 54"], ["lægevagten"], {}, False),
    ("x44", "sv", "multi", "route", "finance", False, "Faktura och parkering",
     "Hej\n\nVar kan man köpa parkeringstillstånd? Jag har också fått en faktura för vatten som är fel, "
     "fakturanummer 88812.\n\nMvh\nLars Berg\nStorgatan 12, 111 22 Stockholm",
     ["Lars Berg", "Storgatan 12"], ["parkeringstillstånd"], {}, False),
]


def _msg(mid, subject, body, html=None, headers=None, attach_msg=None) -> bytes:
    """plain (+ HTML alternative), HTML only (body None), optionally a message attached (From, Subject, text)."""
    m = EmailMessage()
    m["From"], m["To"] = f"Resident <r.{mid}@mail.example>", "postmottak@fjordvik.example"
    m["Subject"], m["Message-ID"] = subject, f"<{mid}@mail.example>"
    m["Date"] = "Mon, 07 Dec 2026 10:00:00 +0100"
    for k, v in (headers or {}).items():
        m[k] = v
    if body is not None:
        m.set_content(body)
        if html:
            m.add_alternative(html, subtype="html")
    else:
        m.set_content(html, subtype="html")
    if attach_msg is not None:
        inner = EmailMessage()
        inner["From"], inner["Subject"], inner["To"] = attach_msg[0], attach_msg[1], "x@y.example"
        inner.set_content(attach_msg[2])
        m.add_attachment(inner)
    return m.as_bytes()


ROWS = [
 # id, raw, action, dep, auto, secrets, keep
 ("y01", _msg("y01", "Fwd: spørsmål", "Hei, se vedlagt melding fra naboen.", attach_msg=("Per Holm <per.holm@epost.example>", "Brøyting", "Hei\nNår blir Bakkeveien brøytet?\nMvh Per Holm, tlf 913 45 678")),
  "answer", "technical", None, ["Per Holm", "per.holm@epost.example", "913 45 678"], []),
 ("y02", _msg("y02", "Bibliotek", "Hei\n\nNår åpner biblioteket på søndag?\n\nMvh\nSiri Moe\nTlf 915 55 123",
   html="<html><head><style>p{color:red}</style></head><body><p>Hei</p><p>N&aring;r &aring;pner biblioteket p&aring; s&oslash;ndag?</p><table><tr><td>Mvh<br>Siri Moe<br>Tlf 915 55 123</td></tr></table></body></html>"),
  "answer", "culture", True, ["Siri Moe", "915 55 123"], ["biblioteket"]),
 ("y03", _msg("y03", "Kysymys", None, html="<div>Hei,<br><br>Mist&auml; saa uimahallin kausikortin?<br><br>Terveisin<br>Mikko Heikkinen<br>puh. 044 555 1234<br>mikko.heikkinen@posti.example</div>"),
  "answer", "culture", None, ["Mikko Heikkinen", "044 555 1234", "mikko.heikkinen@posti.example"], ["uimahallin"]),
 ("y04", _msg("y04", "Søknad for 15038510190", "Hei\n\nJeg har sendt søknad om startlån og lurer på hvor lang saksbehandlingstiden er.\n\nMvh\nTone Dahl"),
  "route", "welfare", False, ["15038510190", "Tone Dahl"], ["startlån"]),
 ("y05", _msg("y05", "Personnummer", "Hej\n\nMin son har personnummer 850315-1006 och jag undrar hur man söker plats på fritids.\n\nMvh\nEva Ek"),
  "answer", "education", None, ["850315-1006", "Eva Ek"], ["fritids"]),
 ("y06", _msg("y06", "Tilbagebetaling", "Hej\n\nJeg har betalt for meget i daginstitutionstakst. Mit CPR er 1503851234 og konto 1234 0012345678.\n\nHilsen\nBo Jensen"),
  "route", "education", False, ["1503851234", "0012345678", "Bo Jensen"], ["daginstitutionstakst"]),
 ("y07", _msg("y07", "Konto", "Hei\n\nKan dere sette refusjonen inn på 15032001006?\n\nMvh Lise Aas"),
  "route", "finance", False, ["15032001006", "Lise Aas"], ["refusjonen"]),
 ("y08", _msg("y08", "Automatisk svar: Spørsmål om skole", "Takk for din e-post. Jeg er på kurs og svarer når jeg er tilbake 14. desember.\n\nMed vennlig hilsen\nGro Lie\nRektor"),
  "set_aside", None, False, ["Gro Lie"], []),
 ("y09", _msg("y09", "Re: Byggesak", "Hei igjen\n\n> Vi trenger tegninger av tilbygget.\n> Hilsen Plan og bygg\n\nTegningene kommer i posten i morgen.\n\nMvh Arne Bø",
   headers={"In-Reply-To": "<case-44@fjordvik.example>"}), "route", "planning", False, ["Arne Bø"], ["Tegningene"]),
 ("y10", _msg("y10", "To spørsmål", "Hei\n\nNår er biblioteket åpent i morgen? Og hva koster det å bade i svømmehallen?\n\nMvh Kari"),
  "answer", "culture", False, [], ["biblioteket"]),
 ("y11", _msg("y11", "Faktura", "Hei\n\nVi er et firma, Fjordbygg AS, org.nr. 912 345 678. Hvordan søker vi om byggetillatelse for et lager?\n\nMvh\nFjordbygg AS\nTlf 55 12 34 56"),
  "answer", "planning", False, ["55 12 34 56"], ["912 345 678", "Fjordbygg"]),
 ("y12", _msg("y12", "Swimming", "Hi,\n\nCould you tell me when the swimming pool opens on Saturdays?\n\nThanks,\nJack Hughes\n+46 (0)70-123 45 67"),
  "answer", "culture", None, ["Jack Hughes", "70-123 45 67"], ["swimming pool"]),
 ("y13", _msg("y13", "Hjemmehjelp", "Hei\n\nMin far, Olav Strand (f. 12.03.1938), bor alene i Fjellveien 22 og trenger hjemmehjelp. Hvordan søker man?\n\nMvh\nHilde Strand"),
  "answer", "health_care", None, ["Olav Strand", "12.03.1938", "Fjellveien 22", "Hilde Strand"], ["hjemmehjelp"]),
 ("y14", _msg("y14", "Päivähoito", "Hei\n\nHenkilötunnukseni on 150385-1008. Haluaisin tietää, milloin päivähoitomaksu erääntyy.\n\nTerveisin\nSanna Koski"),
  "answer", "education", None, ["150385-1008", "Sanna Koski"], ["päivähoitomaksu"]),
 ("y15", _msg("y15", "Spørsmål", "Hei\n\nKan du sende svaret til kari punktum nordmann snabel-a epost punktum no? Når blir søppelet hentet?\n\nKari"),
  "answer", "technical", None, ["kari punktum nordmann"], ["søppelet"]),
 ("y16", _msg("y16", "SV: Søknad om SFO", "Hei\n\nHer er vedtaket dere ba om.\n\n-----Opprinnelig melding-----\nFra: Oppvekst <oppvekst@fjordvik.example>\nSendt: 1. desember 2026\nEmne: Søknad om SFO\n\nKan du sende oss vedtaket?",
   headers={"In-Reply-To": "<case-50@fjordvik.example>"}), "route", "education", False, [], []),
]

KNOWN_GAPS = {
    "x23": "a reply in a thread: the department comes from the existing case in production, not from the text",
    "y05": "ID number and question in one sentence: after_school_care 0.41, below the topic bar",
    "y06": "Danish 'daginstitutionstakst' names no service the model or mail.vocabulary knows: service desk",
    "y09": "a bottom-posted reply in a thread: the department comes from the existing case in production",
    "y13": "'Hvordan søker man?' after the sentence that names home help has no topic of its own",
    "y15": "'Kan du sende svaret til <EMAIL>?' reads as a matter outside the catalogue (out_of_scope): routed",
    "y16": "a reply in a thread: the department comes from the existing case in production",
}


def _build(row) -> bytes:
    mid, _lang, _shape, _action, _dep, _auto, subject, body, _secrets, _keep, headers, html = row
    msg = EmailMessage()
    msg["From"] = f"Resident <resident.{mid}@mail.example>"
    msg["To"] = "postmottak@fjordvik.example"
    msg["Subject"] = subject
    msg["Date"] = "Mon, 07 Dec 2026 10:00:00 +0100"
    msg["Message-ID"] = f"<{mid}@mail.example>"
    for k, v in headers.items():
        msg[k] = v
    msg.set_content(body, subtype="html" if html else "plain")
    return msg.as_bytes()


CASES = ([(r[0], _build(r), r[3], r[4], r[5], r[8], r[9]) for r in MAILS]
         + [(r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in ROWS])


@pytest.fixture(scope="module")
def decided(model_available):
    from bot.training import current_model
    from mail.nlu import load_nlu
    from mail.parse import read_mail
    from mail.triage import MailSettings, triage_many
    from web.demo import DEMO_MAIL_SETTINGS

    mails = [read_mail(raw) for _id, raw, *_ in CASES]
    decisions = triage_many(mails, load_nlu(current_model(), None), MailSettings.from_settings({"mail": DEMO_MAIL_SETTINGS}))
    return {case[0]: (mail, d) for case, mail, d in zip(CASES, mails, decisions, strict=True)}


def _params():
    for case in CASES:
        marks = [pytest.mark.xfail(reason=KNOWN_GAPS[case[0]], strict=False)] if case[0] in KNOWN_GAPS else []
        yield pytest.param(*case, id=case[0], marks=marks)


@pytest.mark.parametrize(("mid", "raw", "action", "department", "auto", "secrets", "keep"), list(_params()))
def test_resident_mail_is_triaged_and_redacted(decided, mid, raw, action, department, auto, secrets, keep):
    mail, d = decided[mid]
    assert (d.action, d.department) == (action, department), d.reason
    if auto is not None:
        assert d.auto_reply is auto, d.reason
    whole = "\n".join([mail.subject, mail.own_text, mail.quoted, mail.forwarded, mail.signature, mail.text,
                       mail.forwarded_text(), *(a.name for a in mail.attachments)])
    assert [s for s in secrets if s in whole] == [], whole
    # each word of a name or address too: "Hilsen\nAnders Lund" was redacted to "<PERSON> Lund"
    words = {w for s in secrets for w in re.findall(r"[^\W\d_]{3,}", s) if w[0].isupper()}
    assert [w for w in sorted(words) if re.search(rf"(?<![\w@.]){w}(?![\w@])", whole)] == [], whole
    assert [k for k in keep if k not in whole] == [], whole
