"""The admin's mail settings page (/admin/mail), through the real app on a temporary database: what the
admin sees, what saving changes (the next mail's automatic reply), bad input refused with nothing stored,
and the connection tests against a real SMTP server (aiosmtpd) and a real IMAP server (Dovecot)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.admin.helpers import admin_client
from tests.conftest import csrf_token, login, make_app
from tests.mail.conftest import build, free_port
from tests.web.test_i18n import compiled_catalogues  # noqa: F401  (autouse: builds stale .mo files)

ADMIN = ("admin@fjordvik.example", "demo-admin")
CASEWORKER = ("skole@fjordvik.example", "demo-skole")


@pytest.fixture
def app(smtp_app):
    return smtp_app


@pytest.fixture
def admin(app):
    return admin_client(app)


def _page(client) -> str:
    resp = client.get("/admin/mail")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def _form(html: str) -> dict:
    """The settings form as the browser would send it unchanged."""
    main = html.split('<form method="post" class="stack"', 1)[1].split("</form>", 1)[0]
    data: dict = {"csrf_token": csrf_token(html), "auto_reply_intents": []}
    for tag in re.findall(r"<input[^>]*>", main):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or name.group(1) == "csrf_token":
            continue
        value = re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if kind and kind.group(1) == "checkbox":
            if "checked" in tag:
                if name.group(1) == "auto_reply_intents":
                    data["auto_reply_intents"].append(value.group(1))
                else:
                    data[name.group(1)] = "y"
        else:
            data[name.group(1)] = value.group(1) if value else ""
    return data


def _save(client, **changes):
    data = {**_form(_page(client)), **changes}
    return client.post("/admin/mail", data=data)


def _mail_settings(app) -> dict:
    from tinget.models import Municipality
    from web.extensions import db

    with app.app_context():
        m = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
        return dict((m.settings or {}).get("mail") or {})


def test_page_shows_the_topics_by_their_article_titles_and_the_current_settings(admin):
    html = _page(admin)
    assert "<h1>Mail settings</h1>" in html
    # the demo municipality answers library questions automatically: its box is ticked, named by the article
    library = re.search(r'<input[^>]*value="library"[^>]*>\s*<label[^>]*>([^<]+)</label>', html)
    assert library and "checked" in library.group(0)
    assert library.group(1).strip() != "library", "the admin reads the article's title, not the intent key"
    from web.demo import DEMO_MAIL_SETTINGS

    assert sorted(_form(html)["auto_reply_intents"]) == sorted(DEMO_MAIL_SETTINGS["auto_reply_intents"])
    assert 'value="0.90"' in html and 'value="30"' in html
    # the installation's SMTP server (this test's sink) is named; no password is set for it
    assert "use the installation&#39;s: 127.0.0.1:" in html or "use the installation's: 127.0.0.1:" in html
    assert "Password: none set" in html and "TINGET_SMTP_PASSWORD" in html


def test_page_in_finnish(admin):
    html = admin.get("/admin/mail?lang=fi").get_data(as_text=True)
    assert "<h1>Sähköpostiasetukset</h1>" in html and "Automaattiset vastaukset" in html


def test_only_an_admin_sees_the_page(app):
    client = app.test_client()
    assert client.get("/admin/mail").status_code == 302  # to the login page
    login(client, *CASEWORKER)
    assert client.get("/admin/mail").status_code == 403
    assert client.post("/admin/mail/test/smtp").status_code in (400, 403)


def test_saving_changes_the_settings_and_audits_only_the_names(app, admin):
    resp = _save(admin, auto_reply_intents=["library", "snow_clearing"], min_confidence="0,85",
                 set_aside_days="14", imap_host="imap.fjordvik.example", imap_port="", imap_user="postmottak",
                 imap_folder="", imap_secure="y", sender="postmottak@fjordvik.example")
    assert resp.status_code == 302
    assert "Mail settings saved." in admin.get(resp.headers["Location"]).get_data(as_text=True)
    s = _mail_settings(app)
    assert s["auto_reply_intents"] == ["snow_clearing", "library"] or set(s["auto_reply_intents"]) == {
        "library", "snow_clearing"}
    assert s["auto_reply_min_confidence"] == 0.85 and s["set_aside_days"] == 14
    assert s["imap"] == {"host": "imap.fjordvik.example", "port": 993, "user": "postmottak", "ssl": True,
                         "folder": "INBOX"}
    assert s["from"] == "postmottak@fjordvik.example"
    assert "smtp" not in s, "no own SMTP host: the installation's stays in use"

    from web.extensions import db
    from web.models import AuditEvent

    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "mail_settings")).one()
        assert event.actor == ADMIN[0]
        assert set(event.details["changed"]) == {"auto_reply_intents", "auto_reply_min_confidence",
                                                 "set_aside_days", "imap", "from"}
        assert "postmottak" not in str(event.details), "values are not copied into the audit log"
    # the page shows what was saved
    html = _page(admin)
    assert 'value="imap.fjordvik.example"' in html and 'value="0.85"' in html
    # saving again unchanged changes nothing
    resp = _save(admin)
    assert "Nothing was changed." in admin.get(resp.headers["Location"]).get_data(as_text=True)


def test_emptying_the_host_falls_back_to_the_installation(app, admin):
    _save(admin, smtp_host="smtp.fjordvik.example", smtp_port="587", smtp_secure="y")
    assert _mail_settings(app)["smtp"]["port"] == 587
    _save(admin, smtp_host="")
    assert "smtp" not in _mail_settings(app)
    from web.services.mail import municipality_for
    from web.services.smtp import smtp_settings

    with app.app_context():
        assert smtp_settings(municipality_for("fjordvik")).host == "127.0.0.1"


BAD = [  # (changes, the message shown, the field marked invalid)
    ({"min_confidence": "1.5"}, "The lowest confidence is a number from 0.50 to 1.00", "min_confidence"),
    ({"min_confidence": "nan"}, "The lowest confidence is a number from 0.50 to 1.00", "min_confidence"),
    ({"min_confidence": ""}, "The lowest confidence is a number from 0.50 to 1.00", "min_confidence"),
    ({"set_aside_days": "0"}, "Set-aside mail is kept from 1 to 365 days.", "set_aside_days"),
    ({"set_aside_days": "ten"}, "Set-aside mail is kept from 1 to 365 days.", "set_aside_days"),
    ({"auto_reply_intents": ["library", "drop_table"]}, "Choose topics from the list.", None),
    ({"auto_reply_intents": ["personal_case"]}, "Choose topics from the list.", None),
    ({"imap_host": "mail server.example"}, "Incoming mail (IMAP): Enter a server name", "imap_host"),
    ({"imap_host": "<script>alert(1)</script>"}, "Incoming mail (IMAP): Enter a server name", "imap_host"),
    ({"smtp_host": "smtp.example", "smtp_port": "70000"}, "Outgoing mail (SMTP): The port is a whole number",
     "smtp_port"),
    ({"smtp_host": "smtp.example", "smtp_port": "25; rm"}, "Outgoing mail (SMTP): The port is a whole number",
     "smtp_port"),
    ({"imap_host": "imap.example", "imap_user": "a\x00b"}, "Incoming mail (IMAP): User name and folder", "imap_user"),
    ({"sender": "not-an-address"}, "Enter a valid e-mail address as the sender", "sender"),
    ({"sender": "x" * 5000 + "@example.org"}, "Sender address of replies", None),
]


@pytest.mark.parametrize("changes, message, field", BAD, ids=[str(c)[:40] for c, _m, _f in BAD])
def test_bad_input_is_refused_with_a_message_and_nothing_is_stored(app, admin, changes, message, field):
    before = _mail_settings(app)
    resp = _save(admin, **changes)
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert message in html.replace("&#39;", "'")
    assert 'role="alert"' in html
    assert "<script>alert(1)" not in html
    assert _mail_settings(app) == before
    if field:  # the field is marked for screen readers (WCAG 3.3.1) and keeps what was typed
        tag = re.search(rf'<input[^>]*name="{field}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in tag


def test_a_post_without_csrf_token_is_refused(app, admin):
    before = _mail_settings(app)
    data = _form(_page(admin))
    data.pop("csrf_token")
    assert admin.post("/admin/mail", data={**data, "set_aside_days": "3"}).status_code == 400
    assert _mail_settings(app) == before


@pytest.mark.usefixtures("model_available")
def test_a_topic_unticked_is_no_longer_answered_automatically(app, admin, smtp_sink):
    from web.services import mail as svc

    def intake(n):
        raw = build("Hei! Når er biblioteket åpent på lørdag?\n\nMvh\nKari", "Bibliotek",
                    message_id=f"<lib{n}@example.org>", sender=f"kari{n}@example.org")
        with app.app_context():
            return svc.intake(svc.municipality_for("fjordvik"), [raw])[0]

    assert intake(1)["auto_reply"] is True and len(smtp_sink.messages) == 1
    settings = _mail_settings(app)
    _save(admin, auto_reply_intents=[i for i in settings["auto_reply_intents"] if i != "library"])
    result = intake(2)
    assert result["status"] == "answer" and result["auto_reply"] is False
    assert len(smtp_sink.messages) == 1, "no automatic reply once the admin unticked the topic"


# ------------------------------------------------------------------------------ connection tests
def _test(client, kind) -> str:
    token = csrf_token(_page(client))
    resp = client.post(f"/admin/mail/test/{kind}", data={"csrf_token": token})
    assert resp.status_code == 302
    return client.get(resp.headers["Location"]).get_data(as_text=True).replace("&#39;", "'")


def test_smtp_test_connects_to_the_installations_server_and_sends_nothing(admin, smtp_sink):
    html = _test(admin, "smtp")
    assert f"Connected and logged in to 127.0.0.1:{smtp_sink.port}. No mail was read or sent." in html
    assert smtp_sink.messages == []


def test_smtp_test_says_when_nothing_answers(admin):
    port = free_port()  # nothing listens there
    _save(admin, smtp_host="127.0.0.1", smtp_port=str(port))
    html = _test(admin, "smtp")
    assert f"Could not connect to 127.0.0.1:{port}." in html and 'role="alert"' in html


def test_test_without_any_server_says_so(tmp_path):
    app = make_app(tmp_path)  # no SMTP or IMAP server in the installation either
    client = app.test_client()
    login(client, *ADMIN)
    client.get("/admin/?lang=en")
    assert "No server is set, here or in the installation's configuration." in _test(client, "imap")
    assert "No server is set" in _test(client, "smtp")
    assert client.post("/admin/mail/test/pop3", data={"csrf_token": csrf_token(_page(client))}).status_code == 404


@pytest.mark.parametrize("password_ok, folder, expected", [
    (True, "", "Connected and logged in to 127.0.0.1:{port}. No mail was read or sent."),
    (True, "Arkiv", "Logged in to 127.0.0.1:{port}, but the folder does not exist."),
    (False, "", "127.0.0.1:{port} refused the user name or password."),
])
def test_imap_test_logs_in_to_a_real_postbox(tmp_path, imap_server, password_ok, folder, expected):
    # the municipality's own postbox: its own password (TINGET_IMAP_PASSWORD_FJORDVIK), not the installation's
    app = make_app(tmp_path, MAIL_IMAP_PASSWORD="the-installations-password", MAIL_IMAP_PASSWORDS={  # noqa: S106
        "FJORDVIK": imap_server.password if password_ok else "wrong-password"})
    client = app.test_client()
    login(client, *ADMIN)
    client.get("/admin/?lang=en")
    _save(client, imap_host="127.0.0.1", imap_port=str(imap_server.port), imap_user=imap_server.user,
          imap_folder=folder, imap_secure="")
    assert expected.format(port=imap_server.port) in _test(client, "imap")
