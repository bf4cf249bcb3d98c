"""An admin deletes by conversation or case number: app rows, encrypted originals, accepted replies
and the Rasa tracker's events go; the transparency log keeps labels and counts without the link.
A tracker store that cannot be reached is recorded and retried by the next retention run.
The page deletes in two steps: the number typed shows what would be deleted; only the confirmation deletes."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, func, select, text

from tests.conftest import csrf_token, login
from tests.privacy.deletion_helpers import (
    FNR,
    confirm_form,
    conversation_with_case,
    mail_conversation,
)

ADMIN = ("admin@fjordvik.example", "demo-admin")
CASEWORKER = ("skole@fjordvik.example", "demo-skole")


def _tracker(path) -> str:
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id TEXT, data TEXT)"))
    engine.dispose()
    return url


def _tracker_rows(url: str, sender: str) -> int:
    engine = create_engine(url)
    with engine.begin() as conn:
        n = conn.execute(text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}).scalar()
    engine.dispose()
    return n


def _counts(app) -> dict:
    from web.extensions import db
    from web.models import (
        AcceptedReply,
        Case,
        CaseOriginal,
        Conversation,
        Message,
        TransparencyRecord,
    )

    with app.app_context():
        return {m.__name__: db.session.scalar(select(func.count()).select_from(m))
                for m in (Conversation, Message, Case, CaseOriginal, AcceptedReply, TransparencyRecord)}


def _preview(client, **fields):
    """The first step: the reference typed into the form; the answer shows what would be deleted."""
    page = client.get("/admin/delete")
    assert page.status_code == 200
    return client.post("/admin/delete", data={"csrf_token": csrf_token(page.get_data(as_text=True)), **fields})


def _post_delete(client, **fields):
    """Both steps: look up, then confirm what the page showed."""
    preview = _preview(client, **fields)
    assert preview.status_code == 200, preview.get_data(as_text=True)
    return client.post("/admin/delete", data=confirm_form(preview.get_data(as_text=True)), follow_redirects=True)


@pytest.mark.parametrize("by", ["conversation", "case"])
def test_admin_deletes_everything_of_a_conversation(app, client, resident, tmp_path, by):
    app.config["RASA_TRACKER_URL"] = tracker = _tracker(tmp_path / "tracker.db")
    person, case_id = conversation_with_case(app, resident, tracker)
    from web.extensions import db
    from web.models import AcceptedReply

    with app.app_context():  # an accepted reply learned from this case (suggester memory)
        db.session.add(AcceptedReply(municipality_id=1, case_id=case_id, question="q", reply="r"))
        db.session.commit()
    before = _counts(app)
    assert before["CaseOriginal"] == 1 and before["AcceptedReply"] == 1
    login(client, *ADMIN)
    resp = _post_delete(client, **({"conversation": person.id} if by == "conversation" else {"case": str(case_id)}))
    assert resp.status_code == 200
    assert "Slettet" in resp.get_data(as_text=True) or "Deleted" in resp.get_data(as_text=True)
    after = _counts(app)
    assert after == {**{k: 0 for k in after}, "TransparencyRecord": before["TransparencyRecord"]}
    assert _tracker_rows(tracker, person.id) == 0
    assert person.messages().status_code == 404  # the widget sees the conversation is gone


def test_unknown_target_deletes_nothing_and_says_so(app, client, resident):
    conversation_with_case(app, resident)
    before = _counts(app)
    login(client, *ADMIN)
    page = client.get("/admin/delete")
    resp = client.post("/admin/delete", data={"csrf_token": csrf_token(page.get_data(as_text=True)),
                                              "conversation": "does-not-exist"})
    assert resp.status_code == 400
    assert _counts(app) == before
    resp = client.post("/admin/delete", data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert resp.status_code == 400 and _counts(app) == before


def test_an_id_copied_with_a_control_character_finds_its_conversation(app, client, resident):
    """A NUL in the typed id was a 500 on Postgres (tests/scale); cleaned, the id finds the conversation,
    which the page shows for confirmation before anything is deleted."""
    person, _case_id = conversation_with_case(app, resident)
    login(client, *ADMIN)
    preview = _preview(client, conversation=f"\x00{person.id[:10]}\x00{person.id[10:]}\x1b")
    assert preview.status_code == 200, preview.get_data(as_text=True)
    fields = confirm_form(preview.get_data(as_text=True))
    # the page repeats the reference without the control characters (a browser would send a NUL back as U+FFFD)
    assert fields["shown"] == person.id and fields["conversation"] == person.id
    resp = client.post("/admin/delete", data=fields, follow_redirects=True)
    assert resp.status_code == 200 and person.messages().status_code == 404


def test_caseworkers_cannot_delete_or_export(app, client, resident):
    login(client, *CASEWORKER)
    assert client.get("/admin/delete").status_code == 403
    assert client.get("/admin/transparency/export.csv").status_code == 403


def test_unreachable_tracker_is_recorded_and_retried_by_retention(app, client, resident, tmp_path):
    from web.extensions import db
    from web.models import AuditEvent
    from web.services import retention
    from web.services.deletion import PENDING

    good = _tracker(tmp_path / "tracker.db")
    person, _ = conversation_with_case(app, resident, good)
    app.config["RASA_TRACKER_URL"] = f"sqlite:///{tmp_path / 'missing-dir' / 'tracker.db'}"  # cannot open
    login(client, *ADMIN)
    _post_delete(client, conversation=person.id)
    with app.app_context():
        pending = db.session.scalars(select(AuditEvent).where(AuditEvent.action == PENDING)).all()
        assert [e.target for e in pending] == [person.id]
        app.config["RASA_TRACKER_URL"] = good
        counts = retention.run()
        assert counts["tracker_pending"] == 0
        assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == PENDING)).all() == []
    assert _tracker_rows(good, person.id) == 0


def test_resident_delete_from_widget(app, resident, tmp_path):
    app.config["RASA_TRACKER_URL"] = tracker = _tracker(tmp_path / "tracker.db")
    person, _ = conversation_with_case(app, resident, tracker)
    resp = person.client.delete(f"/api/v1/conversations/{person.id}", headers=person.headers)
    assert resp.status_code == 200 and resp.get_json() == {"deleted": True}
    counts = _counts(app)
    assert counts["Conversation"] == counts["Message"] == counts["CaseOriginal"] == 0
    assert _tracker_rows(tracker, person.id) == 0


def test_deleting_an_email_conversation_drops_the_mails_sender_subject_and_text_at_once(app, client):
    """A mail case deleted on request: its mail rows kept the encrypted sender address, its hash and the
    subject until the next retention run (every 6 hours, or never without the supervisor)."""
    from privacy.crypto import encrypt
    from web.extensions import db
    from web.mail_models import MailItem
    from web.models import Case, Conversation, Message
    from web.services import mail as mail_svc

    with app.app_context():
        conv = Conversation(municipality_id=1, channel="mail", state="handoff")
        conv.messages.append(Message(sender="resident", text="Hvor langt har søknaden kommet?"))
        case = Case(municipality_id=1, department="education", reason="personal_case")
        conv.cases.append(case)
        db.session.add(conv)
        db.session.flush()
        for direction, mid in (("in", "<q@example.org>"), ("out", "<a@fjordvik.example>")):
            db.session.add(MailItem(municipality_id=1, direction=direction, message_id=mid, conversation_id=conv.id,
                                    case_id=case.id, sender=encrypt("kari.nordmann@example.org", mail_svc._key()),
                                    sender_hash=mail_svc.sender_hash("kari.nordmann@example.org"),
                                    subject="Søknad barnehage <PERSON>", text="Hei", action="route"))
        db.session.commit()
        case_id = case.id
    login(client, *ADMIN)
    assert "Slettet" in _post_delete(client, case=str(case_id)).get_data(as_text=True)
    with app.app_context():
        rows = db.session.scalars(select(MailItem)).all()
        assert len(rows) == 2 and {r.action for r in rows} == {"route"}  # the triage decision stays for analytics
        assert [(r.sender, r.sender_hash, r.subject, r.text, r.conversation_id, r.case_id) for r in rows] == \
            [(b"", "", "", "", None, None)] * 2


def _made_conversation(app, texts, departments) -> tuple[str, list[int]]:
    """A conversation with the resident's (already redacted) ``texts`` and one case per department."""
    from web.extensions import db
    from web.models import Case, Conversation, Message

    with app.app_context():
        conv = Conversation(municipality_id=1, state="handoff")
        for text in texts:
            conv.messages.append(Message(sender="resident", text=text, route="handoff"))
        for department in departments:
            conv.cases.append(Case(municipality_id=1, department=department, reason="personal_case"))
        db.session.add(conv)
        db.session.commit()
        return conv.public_id, [c.id for c in conv.cases]


def test_a_typed_number_shows_what_would_be_deleted_and_deletes_nothing(app, client, resident):
    """A typo in the case number used to delete another resident's conversation at once. Now the first
    POST shows that conversation (case, department, date, messages, the first line of the handed-over
    message, redacted) and deletes nothing; the confirmation deletes it and nothing else."""

    from web.extensions import db
    from web.models import Case, Conversation

    wanted, _ = conversation_with_case(app, resident)
    other, other_case = conversation_with_case(app, resident)  # the number typed by mistake
    with app.app_context():
        conv = db.session.scalars(select(Conversation).where(Conversation.public_id == other.id)).one()
        first = conv.messages[0].text.splitlines()[0]
        n_messages, department, started = len(conv.messages), db.session.get(Case, other_case).department, \
            conv.created_at.strftime("%Y-%m-%d %H:%M")
    assert FNR not in first and "Kari Nordmann" not in first  # stored redacted
    before = _counts(app)
    login(client, *ADMIN)
    client.get("/admin/?lang=en")
    resp = _preview(client, case=f"#{other_case}")
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert _counts(app) == before, "the first POST deleted something"
    shown = page[page.index('id="delete-preview"'):page.index("</dl>")]
    assert f"#{other_case}" in shown and other.id in shown and started in shown
    assert f"{n_messages} messages" in shown
    from tinget.models import Department

    with app.app_context():
        name = db.session.scalars(select(Department).where(Department.key == department,
                                                           Department.municipality_id == 1)).one().name("en")
    assert name in shown
    assert first.split("<PERSON>")[0] in shown and "[name removed]" in shown  # the redacted message, as staff read it
    assert FNR not in page and "Kari Nordmann" not in page  # the encrypted original is not shown
    assert "Check before deleting" in page and "Delete permanently" in page
    fields = confirm_form(page)
    assert fields["case"] == f"#{other_case}" and fields["shown"] == other.id and fields["confirm"]

    resp = client.post("/admin/delete", data=fields, follow_redirects=True)
    assert resp.status_code == 200 and "Deleted:" in resp.get_data(as_text=True)
    assert other.messages().status_code == 404
    assert wanted.messages().status_code == 200  # the other conversation is untouched


def test_confirmation_needs_its_token_and_the_conversation_shown(app, client, resident):
    person, case_id = conversation_with_case(app, resident)
    someone_else, _ = _made_conversation(app, ["Hei"], ["education"])
    before = _counts(app)
    login(client, *ADMIN)
    fields = confirm_form(_preview(client, case=str(case_id)).get_data(as_text=True))
    no_token = {k: v for k, v in fields.items() if k != "csrf_token"}
    assert client.post("/admin/delete", data=no_token).status_code == 400
    assert _counts(app) == before
    # the number now names another conversation than the one shown (a freed case number given to a new case)
    resp = client.post("/admin/delete", data={**fields, "shown": someone_else})
    assert resp.status_code == 400
    assert "nothing was deleted" in resp.get_data(as_text=True) or "ingenting ble slettet" in resp.get_data(as_text=True)
    assert _counts(app) == before
    assert client.post("/admin/delete", data=fields, follow_redirects=True).status_code == 200
    assert person.messages().status_code == 404


DELETED = {  # one message and one case; three messages and two cases
    "nb": ("Slettet: 1 melding og 1 sak.", "Slettet: 3 meldinger og 2 saker.", "1 melding"),
    "nn": ("Sletta: 1 melding og 1 sak.", "Sletta: 3 meldingar og 2 saker.", "1 melding"),
    "sv": ("Raderat: 1 meddelande och 1 ärende.", "Raderat: 3 meddelanden och 2 ärenden.", "1 meddelande"),
    "da": ("Slettet: 1 besked og 1 sag.", "Slettet: 3 beskeder og 2 sager.", "1 besked"),
    "fi": ("Poistettu: 1 viesti ja 1 asia.", "Poistettu: 3 viestiä ja 2 asiaa.", "1 viesti"),
    "en": ("Deleted: 1 message and 1 case.", "Deleted: 3 messages and 2 cases.", "1 message"),
}


def test_the_deletion_message_counts_in_singular_and_plural(app, client):
    """"Slettet: 1 meldinger og 1 saker" was the message for one message and one case, in every language."""
    login(client, *ADMIN)
    for lang, (one, many, preview_one) in DELETED.items():
        client.get(f"/admin/?lang={lang}")
        single, _ = _made_conversation(app, ["Når får jeg svar?"], ["education"])
        several, _ = _made_conversation(app, ["Hei", "Når får jeg svar?", "Takk"], ["education", "health_care"])
        preview = _preview(client, conversation=single).get_data(as_text=True)
        assert f"<dd>{preview_one}</dd>" in preview, lang
        page = client.post("/admin/delete", data=confirm_form(preview), follow_redirects=True).get_data(as_text=True)
        assert one in page, (lang, page[page.find("flash"):][:200])
        assert many in _post_delete(client, conversation=several).get_data(as_text=True), lang


MAIL_PREVIEW = {  # the labels of a mail conversation's preview, per language
    "nb": ("E-poster", "mottatt: 2", "sendt: 1", "en adresse hos example.org", "Emne (anonymisert)",
           "Tekst (anonymisert, begynnelsen)", "Vedlegg"),
    "nn": ("E-postar", "motteke: 2", "sendt: 1", "ei adresse hos example.org", "Emne (anonymisert)",
           "Tekst (anonymisert, byrjinga)", "Vedlegg"),
    "sv": ("E-postmeddelanden", "mottagna: 2", "skickade: 1", "en adress hos example.org", "Ämne (avidentifierat)",
           "Text (avidentifierad, början)", "Bilagor"),
    "da": ("E-mails", "modtaget: 2", "sendt: 1", "en adresse hos example.org", "Emne (anonymiseret)",
           "Tekst (anonymiseret, begyndelsen)", "Vedhæftninger"),
    "fi": ("Sähköpostit", "vastaanotettu: 2", "lähetetty: 1", "osoite verkkotunnuksessa example.org",
           "Aihe (anonymisoitu)", "Teksti (anonymisoitu, alku)", "Liitteet"),
    "en": ("E-mails", "received: 2", "sent: 1", "an address at example.org", "Subject (redacted)",
           "Text (redacted, beginning)", "Attachments"),
}


def test_the_preview_of_a_mail_case_shows_its_mails(app, client):
    """The preview of a mail case showed only the subject (a mail's message starts with it): now it shows
    how many mails came in and went out, the sender's domain (not the address), the subject, the
    beginning of the text and how many attachments, in all six languages; redacted text only."""
    import html

    case_id, subject, address = mail_conversation(app)
    before = _counts(app)
    login(client, *ADMIN)
    for lang, labels in MAIL_PREVIEW.items():
        client.get(f"/admin/?lang={lang}")
        page = html.unescape(_preview(client, case=str(case_id)).get_data(as_text=True))
        shown = page[page.index('id="delete-preview"'):page.index("</dl>")]
        for label in labels:
            assert label in shown, (lang, label, shown)
        assert f"<dd>{subject}</dd>" in shown
        assert re.search(r"Hei, jeg heter <span class=\"redacted\">\[[^]<]+\]</span> og lurer på hvor langt søknaden "
                         r"har kommet\.", shown)  # the redacted text, the name said in the UI language
        assert "<dd>1</dd>" in shown  # one attachment
        assert address not in page and "kari.nordmann" not in page
    assert _counts(app) == before  # the preview deletes nothing


def test_the_preview_of_a_chat_case_shows_no_mail_rows(app, client):
    _made_conversation(app, ["Når får jeg svar?"], ["education"])
    conv_id, _ = _made_conversation(app, ["Når får jeg svar?"], ["education"])
    login(client, *ADMIN)
    client.get("/admin/?lang=en")
    page = _preview(client, conversation=conv_id).get_data(as_text=True)
    assert "Message handed over (redacted)" in page and "<dd>Når får jeg svar?</dd>" in page
    assert "E-mails" not in page and "Sender" not in page


@pytest.mark.parametrize("pasted", [
    "sak {n}", "Case {n}", "(sak {n})", "[#{n}]", "Re: Svar på henvendelsen til Fjordvik kommune (sak {n})",
    "http://localhost/console/cases/{n}", "https://tinget.example:8443/console/cases/{n}?lang=nb#reply",
])
def test_a_case_number_as_it_is_passed_on_finds_its_conversation(app, client, resident, pasted):
    """A resident asks by e-mail to have the conversation deleted and quotes the reply's subject ("… (sak 12)"),
    or a caseworker forwards the console link: the page said "No such conversation or case" to anything but
    the bare number. The number in it is found, and shown before anything is deleted, as always."""
    person, case_id = conversation_with_case(app, resident)
    login(client, *ADMIN)
    client.get("/admin/?lang=en")
    resp = _preview(client, case=pasted.format(n=case_id))
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Check before deleting" in page and person.id in page
    resp = client.post("/admin/delete", data=confirm_form(page), follow_redirects=True)
    assert "Deleted:" in resp.get_data(as_text=True) and person.messages().status_code == 404


def test_two_numbers_in_the_reference_find_nothing(app, client, resident):
    """Which of two numbers would be meant is not guessed ("sak 12 av 2026")."""
    _, case_id = conversation_with_case(app, resident)
    login(client, *ADMIN)
    client.get("/admin/?lang=en")
    resp = _preview(client, case=f"sak {case_id} av 2026")
    assert resp.status_code == 400 and "No such conversation or case" in resp.get_data(as_text=True)


def test_an_admin_reaches_the_deletion_of_a_case_from_its_console_page(app, client, resident):
    """There was no way from a case to its deletion: the admin copied the number into another page. The case
    page links admins (not caseworkers) to the deletion page with the number filled in; nothing is deleted
    before the preview and its confirmation."""
    person, case_id = conversation_with_case(app, resident)
    worker = app.test_client()
    login(worker, "service@fjordvik.example", "demo-service")  # the case's department, service_desk
    seen = worker.get(f"/console/cases/{case_id}")
    assert seen.status_code == 200 and 'id="delete-on-request"' not in seen.get_data(as_text=True)
    login(client, *ADMIN)
    case_page = client.get(f"/console/cases/{case_id}?lang=sv").get_data(as_text=True)
    link = re.search(r'<a id="delete-on-request" href="([^"]+)">Radera det här samtalet på begäran…</a>', case_page)
    assert link
    form_page = client.get(link.group(1).replace("&amp;", "&"))
    html = form_page.get_data(as_text=True)
    assert form_page.status_code == 200 and f'name="case" size="10" type="text" value="{case_id}"' in html
    assert person.messages().status_code == 200  # nothing deleted by following the link
