"""Mail shapes from the session-20 exploration (own synthetic mails, six languages): a Norwegian or Danish
forward ("VS:") was taken for a reply in an existing thread, and an English "Best," sign-off stayed in the
question's sentence. All names and addresses are invented."""

from __future__ import annotations

import pytest

from mail.parse import read_mail, split_signature
from mail.triage import thread_subject
from tests.mail.conftest import build

NB_FORWARD = ("Se under, naboen min spurte meg.\n\n-------- Videresendt melding --------\n"
              "Fra: Arnt Bakke <arnt.bakke@epost.example>\nDato: 3. des. 2026 kl. 09:12\nEmne: Søppel\n\n"
              "Hvilken dag blir restavfallet hentet i Fjellveien?\n")
DA_FORWARD = ("Til orientering.\n\n---------- Videresendt besked ----------\nFra: Lis Bach <lis.bach@post.example>\n"
              "Emne: Genbrug\n\nHvornår har genbrugspladsen åbent om søndagen?\n")
FI_FORWARD = ("Välitän naapurin kysymyksen.\n\n---------- Välitetty viesti ----------\n"
              "Lähettäjä: Eeva Salo <eeva.salo@posti.example>\nAihe: Kirjasto\n\nMilloin kirjasto on auki?\n")
FI_REPLY = ("Kiitos, mutta kukaan ei ole vieläkään soittanut.\n\n"
            "Fjordvikin kunta kirjoitti 1.12.2026:\n> Otamme teihin yhteyttä tällä viikolla.")
NB_REPLY = ("Ja, det passer fint.\n\nDen 2. des. 2026 kl. 14:02 skrev Fjordvik kommune <postmottak@fjordvik.example>:\n"
            "> Vil du at vi sender deg skjemaet?")

# (subject, body, a reply in a thread by its subject)
SUBJECTS = [
    ("VS: Søppel", NB_FORWARD, False),      # nb videresendt: a forward
    ("VS: Genbrug", DA_FORWARD, False),     # da videresendt
    ("VL: Kirjasto", FI_FORWARD, False),    # fi välitetty: always a forward
    ("VS: Kotihoito", FI_REPLY, True),      # fi vastaus: a reply (nothing forwarded)
    ("SV: Skjema", NB_REPLY, True),         # nb/sv/da svar
    ("Re: Form", NB_REPLY, True),
    ("Søppel", NB_FORWARD, False),
]


@pytest.mark.parametrize(("subject", "body", "reply"), SUBJECTS)
def test_vs_is_a_reply_only_without_a_forwarded_message(subject, body, reply):
    mail = read_mail(build(body, subject))
    assert thread_subject(mail) is reply, (subject, mail.forwarded_text()[:80])


# (text, own words, signature)
CLOSINGS = [
    ("Hello,\n\nWhen is the recycling station open?\n\nBest,\nNoah Price",
     "Hello,\n\nWhen is the recycling station open?", "Best,\nNoah Price"),
    ("Hi,\n\nHow do I book the sports hall?\n\nAll the best\nAmy Stone\n07700 900456",
     "Hi,\n\nHow do I book the sports hall?", "All the best\nAmy Stone\n07700 900456"),
    # "best" inside a sentence is no sign-off
    ("Hi,\n\nWhat is the best way to apply\nfor a parking permit?\n\nRegards\nAmy",
     "Hi,\n\nWhat is the best way to apply\nfor a parking permit?", "Regards\nAmy"),
]


@pytest.mark.parametrize(("text", "own", "signature"), CLOSINGS)
def test_an_english_best_alone_on_its_line_opens_the_signature(text, own, signature):
    assert split_signature(text) == (own, signature)


def test_a_forwarded_question_under_vs_is_answered_not_routed_as_a_thread(model_available):
    """The neighbour's question forwarded with "VS:" was routed ("reply in an existing thread")."""
    from bot.training import current_model
    from mail.nlu import load_nlu
    from mail.triage import MailSettings, triage_many
    from web.demo import DEMO_MAIL_SETTINGS

    nlu = load_nlu(current_model(), None)
    settings = MailSettings.from_settings({"mail": DEMO_MAIL_SETTINGS})
    mails = [read_mail(build(NB_FORWARD, "VS: Søppel")), read_mail(build(DA_FORWARD, "VS: Genbrug"))]
    for d in triage_many(mails, nlu, settings):
        assert d.action == "answer" and d.department == "technical", d.reason


# ------------------------------------------------------------------ sentences and questions
# (text, segments): an abbreviation before a number or a placeholder ends no sentence, and a greeting on its
# own line is not joined to the question on the next line (the piece was dropped as a greeting).
SEGMENTS = [
    ("Min far, <PERSON> (f. <BIRTH_DATE>), bor alene og trenger hjemmehjelp. Hvordan søker man om det?",
     ["Min far, <PERSON> (f. <BIRTH_DATE>), bor alene og trenger hjemmehjelp.", "Hvordan søker man om det?"]),
    ("Vi kommer kl. 10 i morgen. Når åpner dere?", ["Vi kommer kl. 10 i morgen.", "Når åpner dere?"]),
    ("Det ligger ca. 5 km unna, dvs. for langt å gå. Hvem kjører barna?",
     ["Det ligger ca. 5 km unna, dvs. for langt å gå.", "Hvem kjører barna?"]),
    ("Hon bor t.ex. 3 km bort. Hur söker man skolskjuts?", ["Hon bor t.ex. 3 km bort.", "Hur söker man skolskjuts?"]),
    ("Hei\nNår blir Bakkeveien brøytet?\nMvh <PERSON>", ["Når blir Bakkeveien brøytet? Mvh <PERSON>"]),  # short: joined
    ("Hej\nHvornår bliver storskrald hentet?", ["Hvornår bliver storskrald hentet?"]),
    ("Hei Kari\nkan du hjelpe meg med søknaden", ["kan du hjelpe meg med søknaden"]),
]


@pytest.mark.parametrize(("text", "expected"), SEGMENTS)
def test_abbreviations_and_greeting_lines_do_not_cut_or_drop_a_sentence(text, expected):
    from mail.classify import segments

    assert segments(text) == expected


@pytest.mark.parametrize("text", [
    "Haluaisin tietää, milloin päivähoitomaksu erääntyy",   # Finnish sets a comma before the question word
    "En tiedä, miten koulukuljetusta haetaan",
    "Jeg lurer på, hvordan man søger om fritidshjem",
])
def test_an_indirect_question_with_a_comma_before_its_question_word_is_a_question(text):
    from mail.classify import is_question

    assert is_question(text)


def test_a_message_forwarded_as_an_attachment_is_read_not_routed_as_documents(model_available):
    """'Se vedlagt melding fra naboen' with the neighbour's mail attached (message/rfc822): "vedlagt" was own-case
    wording and the attached message counted as the sender's attachment, so the mail was routed to the service
    desk. A real document beside it still routes."""
    import email.policy
    from email.message import EmailMessage

    from bot.training import current_model
    from mail.nlu import load_nlu
    from mail.triage import MailSettings, triage_many

    def forward(with_document: bool) -> bytes:
        msg = EmailMessage(policy=email.policy.default)
        msg["From"], msg["To"], msg["Subject"] = "Kari Lie <kari.lie@example.org>", "postmottak@fjordvik.example", "Fwd"
        msg.set_content("Hei, se vedlagt melding fra naboen.")
        inner = EmailMessage()
        inner["From"], inner["Subject"] = "Per Holm <per.holm@epost.example>", "Brøyting"
        inner.set_content("Hei\nNår blir Bakkeveien brøytet?\nMvh Per Holm, tlf 913 45 678")
        msg.add_attachment(inner)
        if with_document:
            msg.add_attachment(b"%PDF-1.4 placeholder", maintype="application", subtype="pdf", filename="skjema.pdf")
        return msg.as_bytes()

    nlu = load_nlu(current_model(), None)
    plain, with_doc = triage_many([read_mail(forward(False)), read_mail(forward(True))], nlu, MailSettings())
    assert plain.action == "answer" and plain.department == "technical", plain.reason
    assert with_doc.action == "route", with_doc.reason
