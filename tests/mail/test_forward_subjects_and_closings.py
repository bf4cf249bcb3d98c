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
