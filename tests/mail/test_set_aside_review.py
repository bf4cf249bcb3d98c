"""The console's set-aside mail page through the real app: what triage set aside, with the reason, and
a one-click restore into a case (audited, once), for caseworkers and admins of the municipality only."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.conftest import csrf_token, login
from tests.e2e.conftest import axe, browser, live_server, log_in  # noqa: F401  (browser fixtures, reused)
from tests.mail.conftest import build

SERVICE = ("service@fjordvik.example", "demo-service")
SCHOOL = ("skole@fjordvik.example", "demo-skole")


def _seed(app):
    from web.services import mail as svc

    raws = [
        build("Høstens turer! Meld deg av: https://turlag.example/avmeld", "Nyhetsbrev fra turlaget",
              sender="nyhetsbrev@turlag.example", List_Unsubscribe="<https://turlag.example/avmeld>",
              message_id="<news@turlag.example>"),
        build("Jeg er på ferie til 10. august og leser ikke e-post.", "Automatisk svar: Søknad",
              sender="ola@example.org", Auto_Submitted="auto-replied", message_id="<ooo@example.org>"),
        build("Hei, når åpner biblioteket på lørdag?", "Bibliotek", sender="kari@example.org",
              message_id="<q@example.org>"),
    ]
    with app.app_context():
        results = svc.intake(svc.municipality_for("fjordvik"), raws)
    assert [r["status"] for r in results] == ["set_aside", "set_aside", "answer"]


def _items(app):
    from web.extensions import db
    from web.mail_models import MailItem

    with app.app_context():
        return {i.message_id: (i.id, i.released_at is not None, i.case_id)
                for i in db.session.scalars(select(MailItem).where(MailItem.action == "set_aside"))}


def test_caseworker_reviews_and_restores_a_set_aside_mail_once(mail_app):
    _seed(mail_app)
    client = mail_app.test_client()
    login(client, *SERVICE)
    page = client.get("/console/mail/set-aside?lang=en").get_data(as_text=True)
    assert "Set-aside mail" in page and 'href="/console/mail/set-aside"' in page  # in the navigation
    assert "Newsletter" in page and "Automatic reply" in page and "List-Unsubscribe" in page
    assert "turlag.example" in page and "nyhetsbrev@turlag.example" not in page  # the domain, not the address
    assert "Høstens turer" in page and "biblioteket" not in page  # the answered mail is not here
    news_id, _released, _case = _items(mail_app)["news@turlag.example"]
    # filter by kind
    only_ooo = client.get("/console/mail/set-aside?kind=auto_reply&lang=en").get_data(as_text=True)
    assert "Automatisk svar" in only_ooo and "Høstens turer" not in only_ooo
    # one click: restore into the (default) service desk
    resp = client.post(f"/console/mail/set-aside/{news_id}/restore",
                       data={"department": "service_desk", "csrf_token": csrf_token(page)})
    assert resp.status_code == 302 and re.search(r"/console/cases/\d+$", resp.headers["Location"])
    case_page = client.get(resp.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert "Høstens turer" in case_page and "Restored from the set-aside mail (Newsletter): List-Unsubscribe or List-Id header" in case_page
    _id, released, case_id = _items(mail_app)["news@turlag.example"]
    assert released and case_id
    # no longer waiting; listed under restored, linked to its case
    waiting = client.get("/console/mail/set-aside?lang=en").get_data(as_text=True)
    assert "Høstens turer" not in waiting
    restored = client.get("/console/mail/set-aside?state=restored&lang=en").get_data(as_text=True)
    assert f'href="/console/cases/{case_id}"' in restored
    # a second click (another tab, a colleague) makes no second case
    again = client.post(f"/console/mail/set-aside/{news_id}/restore",
                        data={"department": "service_desk", "csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "restored already" in again.get_data(as_text=True)
    from web.extensions import db
    from web.models import AuditEvent, Case

    with mail_app.app_context():
        assert db.session.scalar(select(db.func.count(Case.id)).where(Case.reason == "mail_released")) == 1
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "restore_set_aside_mail")).all()
        assert event.actor == SERVICE[0] and event.target == f"mail:{news_id}"
        assert event.details == {"case_id": case_id, "department": "service_desk", "kind": "newsletter"}
        from web.services import mail as svc

        assert svc.triage_stats(svc.municipality_for("fjordvik"))["overrides"]["action"] == 1


def test_restore_into_another_department_and_bad_requests(mail_app):
    _seed(mail_app)
    client = mail_app.test_client()
    login(client, *SCHOOL)  # education only
    page = client.get("/console/mail/set-aside?lang=en").get_data(as_text=True)
    ooo_id, *_ = _items(mail_app)["ooo@example.org"]
    token = csrf_token(page)
    # unknown department, missing CSRF token, unknown mail: nothing happens
    bad = client.post(f"/console/mail/set-aside/{ooo_id}/restore", data={"department": "nope", "csrf_token": token},
                      follow_redirects=True)
    assert "Choose a department" in bad.get_data(as_text=True)
    assert client.post(f"/console/mail/set-aside/{ooo_id}/restore", data={"department": "culture"}).status_code in (
        302, 400)
    assert client.post("/console/mail/set-aside/99999/restore",
                       data={"department": "culture", "csrf_token": token}).status_code == 404
    assert not _items(mail_app)["ooo@example.org"][1]
    # restored into a queue the caseworker does not see: back to the list with a notice
    resp = client.post(f"/console/mail/set-aside/{ooo_id}/restore", data={"department": "culture", "csrf_token": token},
                       follow_redirects=True)
    assert "is now case #" in resp.get_data(as_text=True)
    from web.extensions import db
    from web.models import Case

    with mail_app.app_context():
        case = db.session.get(Case, _items(mail_app)["ooo@example.org"][2])
        assert case.department == "culture" and case.conversation.channel == "mail"


def test_page_in_every_language(mail_app):
    _seed(mail_app)
    client = mail_app.test_client()
    login(client, *SERVICE)
    expected = {"nb": ("E-post lagt til side", "Nyhetsbrev", "Gjenopprett som sak"),
                "nn": ("E-post lagd til sides", "Nyheitsbrev", "Gjenopprett som sak"),
                "sv": ("E-post lagd åt sidan", "Nyhetsbrev", "Återställ som ärende"),
                "da": ("E-mail lagt til side", "Nyhedsbrev", "Gendan som sag"),
                "fi": ("Sivuun siirretyt sähköpostit", "Uutiskirje", "Palauta asiaksi"),
                "en": ("Set-aside mail", "Newsletter", "Restore as a case")}
    for lang, words in expected.items():
        page = client.get(f"/console/mail/set-aside?lang={lang}").get_data(as_text=True)
        assert f'<html lang="{lang}">' in page
        for word in words:
            assert word in page, (lang, word)
        # every department select has its own label; every restore button names its mail
        assert page.count('<label for="department-') == page.count('<select id="department-') == 2


def test_only_logged_in_users_of_the_municipality(mail_app):
    _seed(mail_app)
    anonymous = mail_app.test_client()
    assert anonymous.get("/console/mail/set-aside").status_code in (302, 401)
    news_id, *_ = _items(mail_app)["news@turlag.example"]
    assert anonymous.post(f"/console/mail/set-aside/{news_id}/restore").status_code in (302, 400, 401)
    # a row of another municipality is not found, not forbidden (no hint that it exists)
    from tinget.models import Municipality
    from web.extensions import db
    from web.mail_models import MailItem

    with mail_app.app_context():
        other = Municipality(slug="elvdal", name="Elvdal kommune")
        db.session.add(other)
        db.session.flush()
        db.session.get(MailItem, news_id).municipality_id = other.id
        db.session.commit()
    client = mail_app.test_client()
    login(client, *SERVICE)
    assert "Høstens turer" not in client.get("/console/mail/set-aside?lang=en").get_data(as_text=True)
    page = client.get("/console/mail/set-aside").get_data(as_text=True)
    assert client.post(f"/console/mail/set-aside/{news_id}/restore",
                       data={"department": "service_desk", "csrf_token": csrf_token(page)}).status_code == 404


def test_set_aside_page_and_mail_analytics_pass_axe(app, live_server, browser, axe):  # noqa: F811
    """Rendered by headless Chromium: no WCAG 2.1 A/AA violations, no CSP errors (the mail settings page too)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    _seed_without_smtp(app)
    log_in(browser, live_server.url, "admin@fjordvik.example", "demo-admin")
    for page in ("/console/mail/set-aside", "/admin/analytics", "/admin/mail"):
        browser.get(live_server.url + page)
        assert axe(browser) == [], page
        errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "favicon" not in e["message"]]
        assert not errors, errors
    browser.get(live_server.url + "/console/mail/set-aside")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#set-aside tbody tr")) == 2
    browser.find_elements(By.CSS_SELECTOR, "#set-aside button[type=submit]")[0].click()  # one click
    # the click only starts the POST; wait for the redirect to the new case instead of reading the URL at once
    WebDriverWait(browser, 15).until(lambda d: "/console/cases/" in d.current_url)


def _seed_without_smtp(app):
    from web.services import mail as svc

    raws = [
        build("Høstens turer! Meld deg av: https://turlag.example/avmeld", "Nyhetsbrev fra turlaget",
              sender="nyhetsbrev@turlag.example", List_Unsubscribe="<https://turlag.example/avmeld>"),
        build("Jeg er på ferie til 10. august og leser ikke e-post.", "Automatisk svar: Søknad",
              sender="ola@example.org", Auto_Submitted="auto-replied"),
        build("Hei, når åpner biblioteket på lørdag?", "Bibliotek", sender="kari@example.org"),
    ]
    with app.app_context():
        svc.intake(svc.municipality_for("fjordvik"), raws)


def test_the_evidence_is_shown_in_the_readers_language_and_an_old_text_as_stored(mail_app):
    """The evidence was the triage's English text under a translated label ("Bevis: List-Unsubscribe/List-Id
    header"). It is read back as a code and shown in the page's language; a text no rule wrote stays."""
    _seed(mail_app)
    from web.extensions import db
    from web.mail_models import MailItem

    with mail_app.app_context():  # a row stored with a reason no current template produces
        item = db.session.scalars(select(MailItem).where(MailItem.message_id == "ooo@example.org")).one()
        item.reason = "set aside (auto_reply): an old rule's words"
        db.session.commit()
    client = mail_app.test_client()
    login(client, *SERVICE)
    page = client.get("/console/mail/set-aside?lang=nb").get_data(as_text=True)
    assert "List-Unsubscribe- eller List-Id-felt (en e-postliste)" in page
    assert "List-Unsubscribe/List-Id header" not in page
    assert "set aside (auto_reply): an old rule&#39;s words" in page  # shown as stored
    page = client.get("/console/mail/set-aside?lang=fi").get_data(as_text=True)
    assert "List-Unsubscribe- tai List-Id-otsake (postituslista)" in page


def test_every_rule_of_the_triage_has_translated_evidence(mail_app):
    """Each evidence template (and each spam cue) reads back to its code and has its own Swedish text."""
    from flask_babel import force_locale

    from mail.classify import CUES, EVIDENCE, evidence, parse_evidence
    from web.labels import set_aside_evidence

    cues = ", ".join(t.format(brand="Vipps") for t in CUES.values())
    reasons = {code: f"set aside (x): {evidence(code, value='v', header='x-autoreply', type='t', name='n', cues=cues)}"
               for code in EVIDENCE}
    with mail_app.test_request_context(), force_locale("sv"):
        for code, reason in reasons.items():
            assert parse_evidence(reason)[0] == code, reason
            assert set_aside_evidence(reason) != reason.split(": ", 1)[1], reason
        spam = set_aside_evidence(reasons["spam_cues"])
        assert spam.startswith("Tecken på skräppost") and "nämner Vipps men kommer från en annan domän" in spam


def test_the_restore_buttons_name_says_what_was_removed_from_the_subject(mail_app):
    """The button's name for a screen reader repeats the subject: it read the raw placeholder ("<PERSON>")
    where the subject on screen says "[name removed]"."""
    from web.services import mail as svc

    raw = build("Jeg er på ferie til 10. august.", "Automatisk svar: Kari Nordmann er på ferie",
                sender="kari@example.org", Auto_Submitted="auto-replied", message_id="<ooo2@example.org>")
    with mail_app.app_context():
        assert svc.intake(svc.municipality_for("fjordvik"), [raw])[0]["status"] == "set_aside"
    client = mail_app.test_client()
    login(client, *SERVICE)
    page = client.get("/console/mail/set-aside?lang=en").get_data(as_text=True)
    button = re.search(r'Restore as a case<span class="visually-hidden">(.*?)</span></button>', page, re.S).group(1)
    assert "Kari Nordmann" not in page
    assert "&lt;PERSON&gt;" not in button and "[name removed]" in button, button
