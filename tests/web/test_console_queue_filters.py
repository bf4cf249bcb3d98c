"""The queue's filters as a caseworker uses them (and as a hand-edited address gives them): the search
finds the text typed, "%" and "_" included; a long search text or an unknown filter is said in the
caseworker's language, never a bare error or a silently empty list; a mail's subject stands apart from
its text in the preview."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import login
from tests.web.test_console import SCHOOL, _open_case


@pytest.fixture
def two_cases(app, resident):
    _c1, percent = _open_case(app, resident, text="Rabatten er 50% på SFO, stemmer det?")
    _c2, plain = _open_case(app, resident, text="Når starter skoleskyssen etter ferien?")
    return percent, plain


def _listed(page: str, case_id: int) -> bool:
    return f'href="/console/cases/{case_id}"' in page


@pytest.mark.parametrize(("q", "finds_percent", "finds_plain"),
                         [("%", True, False), ("_", False, False), ("50%", True, False), ("0%_p", False, False),
                          ("skoleskyss", False, True)])
def test_search_treats_percent_and_underscore_as_text(app, client, two_cases, q, finds_percent, finds_plain):
    percent, plain = two_cases
    login(client, *SCHOOL)
    page = client.get("/console/", query_string={"q": q, "status": "all"}).get_data(as_text=True)
    assert (_listed(page, percent), _listed(page, plain)) == (finds_percent, finds_plain)


def test_a_long_search_is_cut_with_a_message_and_the_box_has_a_limit(app, client, two_cases):
    percent, plain = two_cases
    login(client, *SCHOOL)
    resp = client.get("/console/", query_string={"q": "skoleskyssen" + "x" * 5000, "lang": "nb"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Søketeksten var for lang: bare de første 200 tegnene ble søkt etter." in page
    assert 'maxlength="200"' in page
    assert not _listed(page, plain)  # the cut text still has the x's after the word: no match, no error
    page = client.get("/console/", query_string={"q": "skoleskyssen " + " " * 300}).get_data(as_text=True)
    assert _listed(page, plain) and "for lang" not in page  # trailing spaces are not "too long"


def test_unknown_status_shows_the_open_cases_and_says_so(app, client, two_cases):
    percent, plain = two_cases
    login(client, *SCHOOL)
    page = client.get("/console/?status=bogus&lang=sv").get_data(as_text=True)
    assert "Okänt statusfilter: de öppna ärendena visas." in page
    assert _listed(page, percent) and _listed(page, plain)
    assert '<option value="open" selected>' in page
    page = client.get("/console/?department=planning&lang=en").get_data(as_text=True)  # not one of SCHOOL's
    assert "That department is not one of yours: showing all your departments." in page
    assert _listed(page, percent)
    assert "Unknown status" not in client.get("/console/?status=closed&lang=en").get_data(as_text=True)


def test_a_mails_subject_stands_apart_from_its_text_in_the_preview(app, client, two_cases):
    from web.extensions import db
    from web.models import Message

    percent, _plain = two_cases
    with app.app_context():  # as web.services.mail stores a mail: subject, blank line, text; the subject in meta
        msg = db.session.scalars(select(Message).where(Message.text.like("Rabatten%"))).one()
        msg.text, msg.meta = "Gamal sofa\n\nHei! Kor kan eg levere ein gamal sofa?", {"channel": "mail",
                                                                                       "subject": "Gamal sofa"}
        db.session.commit()
    login(client, *SCHOOL)
    page = client.get("/console/").get_data(as_text=True)
    assert '<strong class="subject">Gamal sofa</strong> — Hei! Kor kan eg levere ein gamal sofa?' in page
