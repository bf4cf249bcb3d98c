"""What the redactor removed, as staff read it: a resident's stored words keep the redactor's placeholders
("<ADDRESS>", the CSV export and the bot's training data use them), but the console, analytics, teach and
deletion pages showed those English capitals in a Norwegian UI. They now say what was removed in the UI
language, as the widget does. Real app on a temporary SQLite; Rasa is down, so each message is a case."""

from __future__ import annotations

import re

import pytest

from privacy.types import LABELS
from tests.conftest import Resident, login

ADMIN = ("admin@fjordvik.example", "demo-admin")
SAID = "Når hentes søpla i Fjordvikveien 3? Ring meg på 412 34 567, hilsen Kari Nordmann <b>x</b>"
SHOWN = ('<span class="redacted">[adresse fjernet]</span>', '<span class="redacted">[telefonnummer fjernet]</span>',
         '<span class="redacted">[navn fjernet]</span>')


@pytest.mark.parametrize("lang, text, html", [
    ("nb", "Ring <PHONE>", 'Ring <span class="redacted">[telefonnummer fjernet]</span>'),
    ("sv", "<PERSON>, <NATIONAL_ID>", '<span class="redacted">[namn borttaget]</span>, '
                                     '<span class="redacted">[personnummer borttaget]</span>'),
    ("fi", "<EMAIL> ja <BANK_ACCOUNT>", '<span class="redacted">[sähköpostiosoite poistettu]</span> ja '
                                        '<span class="redacted">[tilinumero poistettu]</span>'),
    ("en", "born <BIRTH_DATE> at <ADDRESS>", 'born <span class="redacted">[date of birth removed]</span> at '
                                             '<span class="redacted">[address removed]</span>'),
    ("nb", "<script>x</script> <UNKNOWN> <PHONE", "&lt;script&gt;x&lt;/script&gt; &lt;UNKNOWN&gt; &lt;PHONE"),
    ("nb", "", ""),
])
def test_placeholders_are_said_in_the_ui_language_and_the_rest_stays_text(app, lang, text, html):
    from flask_babel import force_locale

    from web.labels import redacted

    with app.test_request_context(), force_locale(lang):
        assert str(redacted(text)) == html
        assert all("[" in str(redacted(f"<{label}>")) for label in LABELS)


def test_the_console_and_analytics_say_what_was_removed(app):
    Resident(app.test_client()).say(SAID)
    client = app.test_client()
    login(client, *ADMIN)
    queue = client.get("/console/").get_data(as_text=True)
    assert SHOWN[0] in queue and "&lt;ADDRESS&gt;" not in queue
    case_id = re.search(r"/console/cases/(\d+)", queue).group(1)
    case = client.get(f"/console/cases/{case_id}").get_data(as_text=True)
    assert all(s in case for s in SHOWN) and "&lt;b&gt;x&lt;/b&gt;" in case and "&lt;PHONE&gt;" not in case
    analytics = client.get("/admin/analytics").get_data(as_text=True)
    assert all(s in analytics for s in SHOWN)
    assert "(ingen intensjon)" in analytics and "(none)" not in analytics  # the bot was down: no intent


def test_a_case_without_an_intent_shows_none_and_no_confidence(app):
    """The bot was down: no intent was predicted, and the case page said "– (0.00)"."""
    Resident(app.test_client()).say("Hei, jeg lurer på noe")
    client = app.test_client()
    login(client, *ADMIN)
    case_id = re.search(r"/console/cases/(\d+)", client.get("/console/").get_data(as_text=True)).group(1)
    page = client.get(f"/console/cases/{case_id}").get_data(as_text=True)
    assert re.search(r"<dt>Intensjon</dt><dd>–</dd>", page) and "(0.00)" not in page


def test_the_transparency_log_names_the_kinds_of_removed_data_in_the_ui_language(app):
    """It said "ADDRESS×1 PHONE×1 PERSON×1" and a confidence of 0.00 for a message with no intent."""
    Resident(app.test_client()).say(SAID)
    client = app.test_client()
    login(client, *ADMIN)
    page = client.get("/admin/transparency").get_data(as_text=True)
    assert "adresse ×1, telefonnummer ×1, navn ×1" in page and "ADDRESS" not in page
    assert "0.00" not in page
