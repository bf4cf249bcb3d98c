"""The notes the app writes on a case (closed, reopened, reassigned, e-mail not sent, restored from the
set-aside mail) in the caseworker's language, departments by their names, old rows too; a caseworker's
own note exactly as written."""

from __future__ import annotations

from tests.conftest import csrf_token, login
from tests.web.test_console import ADMIN, _open_case


def _notes(page: str) -> str:
    return page.split('<ul class="notes">', 1)[1].split("</ul>", 1)[0]


def _add_notes(app, case_id, *notes):
    from web.extensions import db
    from web.models import CaseNote

    with app.app_context():
        for kind, text in notes:
            db.session.add(CaseNote(case_id=case_id, kind=kind, text=text))
        db.session.commit()


def test_close_reopen_and_reassign_notes_in_the_readers_language(app, client, resident):
    _conv, case_id = _open_case(app, resident, department="service_desk")
    login(client, *ADMIN)
    page = client.get(f"/console/cases/{case_id}?lang=sv").get_data(as_text=True)
    token = csrf_token(page)
    client.post(f"/console/cases/{case_id}/close", data={"csrf_token": token})
    client.post(f"/console/cases/{case_id}/reply", data={"text": "Ett tillägg.", "csrf_token": token})
    client.post(f"/console/cases/{case_id}/reassign",
                data={"department": "culture", "reason": "gäller biblioteket", "csrf_token": token})
    notes = _notes(client.get(f"/console/cases/{case_id}?lang=sv").get_data(as_text=True))
    assert "Ärendet är avslutat." in notes and "Återöppnat av ett svar." in notes
    assert "Flyttat från Kundtjänst till Kultur och fritid: gäller biblioteket" in notes
    assert "Closed." not in notes and "Reopened" not in notes and "service_desk" not in notes
    # the stored text stays the English one (the audit trail and exports read it)
    from web.extensions import db
    from web.models import CaseNote

    with app.app_context():
        stored = [n.text for n in db.session.query(CaseNote).filter_by(case_id=case_id).order_by(CaseNote.id)]
    assert stored == ["Closed.", "Reopened by a reply.", "service_desk → culture: gäller biblioteket"]


def test_old_rows_translate_and_a_caseworkers_own_note_is_shown_as_written(app, client, resident):
    _conv, case_id = _open_case(app, resident, department="service_desk")
    _add_notes(app, case_id,
               ("status", "Reopened: the resident wrote again."),
               ("status", "The e-mail could not be sent (no SMTP server configured); the reply is kept here."),
               ("status", "Restored from the set-aside mail (newsletter): set aside (newsletter): "
                          "List-Unsubscribe/List-Id header"),
               ("status", "Restored from the set-aside mail (spam): set aside (spam): spam/phishing cues: "
                          "log-in or payment lure, link"),
               ("reassign", "health_care → service_desk: feil avdeling"),
               ("note", "Closed."))
    login(client, *ADMIN)
    notes = _notes(client.get(f"/console/cases/{case_id}?lang=fi").get_data(as_text=True))
    assert "Avattu uudelleen: asukas kirjoitti uudelleen." in notes
    assert "Sähköpostia ei lähetetty (postipalvelinta ei ole määritetty)" in notes
    assert "Palautettu sivuun siirretyistä viesteistä (Uutiskirje): List-Unsubscribe- tai List-Id-otsake" in notes
    assert "(Roskaposti tai tietojenkalastelu): Roskapostin tai tietojenkalastelun merkkejä" in notes
    assert "Siirretty: Terveys ja hoiva → Asiakaspalvelu: feil avdeling" in notes
    assert "set aside" not in notes and "SMTP" not in notes and "health_care" not in notes
    assert ": Closed.</li>" in notes  # a caseworker wrote "Closed.": their words, not the app's note


def test_adding_a_note_is_said(app, client, resident):
    """The page came back with the note at the foot of the list and nothing said: a screen reader heard nothing."""
    from tests.conftest import csrf_token

    _conv, case_id = _open_case(app, resident, department="service_desk")
    login(client, *ADMIN)
    page = client.get(f"/console/cases/{case_id}?lang=sv").get_data(as_text=True)
    resp = client.post(f"/console/cases/{case_id}/notes", data={"csrf_token": csrf_token(page),
                                                                "text": "Ringde dottern."}, follow_redirects=True)
    page = resp.get_data(as_text=True)
    assert '<p class="flash flash-success" role="status">Anteckningen har lagts till.</p>' in page
    assert "Ringde dottern." in _notes(page)
