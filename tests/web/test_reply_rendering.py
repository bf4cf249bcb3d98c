"""How a caseworker's words reach the resident and the console, found by an exploratory test: the reply's
own line breaks (greeting, a list right under a line, the signature) were joined into one paragraph by
Markdown ("Ystävällisin terveisin Talous Fjordvik kommune")."""

from __future__ import annotations

import re

from kb.render import reply_markdown_to_html
from tests.conftest import csrf_token, login
from tests.web.test_console import SCHOOL, _open_case

REPLY = "Hei,\nlisäksi:\n- kohta 1\n- kohta 2\n\nYstävällisin terveisin\nTalous\nFjordvik kommune"


def _lines(html: str) -> list[str]:
    """The lines a browser shows: white space in the source is one space, block ends and <br> break lines."""
    text = re.sub(r"<br\s*/?>|</(p|li|ul|ol)>", "\n", re.sub(r"\s+", " ", html))
    return [line.strip() for line in re.sub(r"<[^>]+>", "", text).splitlines() if line.strip()]


def test_a_reply_keeps_its_line_breaks_and_lists():
    html = reply_markdown_to_html(REPLY)
    assert _lines(html) == ["Hei,", "lisäksi:", "kohta 1", "kohta 2", "Ystävällisin terveisin", "Talous",
                            "Fjordvik kommune"]
    assert "<ul>\n<li>kohta 1</li>\n<li>kohta 2</li>\n</ul>" in html


def test_a_reply_stays_safe_and_keeps_markdown():
    html = reply_markdown_to_html("**Viktig:** [søknad](https://fjordvik.example/s)\n<script>x()</script>"
                                  "\n[x](javascript:alert(1))")
    assert "<strong>Viktig:</strong>" in html and 'href="https://fjordvik.example/s"' in html
    assert "<script" not in html and "javascript" not in html


def test_a_date_at_the_start_of_a_line_is_no_list_but_a_list_after_a_line_ends_there():
    html = reply_markdown_to_html("Vi har stengt\n17. mai og\n2. juni.")
    assert "<ol" not in html and _lines(html) == ["Vi har stengt", "17. mai og", "2. juni."]
    html = reply_markdown_to_html("Ta med:\n1. pass\n2. skjema\nVelkommen!")
    assert _lines(html) == ["Ta med:", "pass", "skjema", "Velkommen!"] and "<p>Velkommen!</p>" in html


def test_the_resident_and_the_console_get_the_lines_of_a_sent_reply(app, client, resident):
    conv, case_id = _open_case(app, resident)
    login(client, *SCHOOL)
    token = csrf_token(client.get(f"/console/cases/{case_id}").get_data(as_text=True))
    client.post(f"/console/cases/{case_id}/reply", data={"text": REPLY, "csrf_token": token})
    sent = [m for m in conv.messages().get_json()["messages"] if m["sender"] == "caseworker"]
    assert len(sent) == 1 and sent[0]["text"] == REPLY
    assert _lines(sent[0]["html"])[-3:] == ["Ystävällisin terveisin", "Talous", "Fjordvik kommune"]
    page = client.get(f"/console/cases/{case_id}").get_data(as_text=True)
    assert sent[0]["html"] in page


def test_replies_stored_before_the_renderer_changed_are_rendered_again_once(app, client, resident):
    """`tinget replies rerender`: a reply stored with the old joined-up html is shown with its lines in the
    widget's API and the console; a reply stored without html, and the text, are left as they were."""
    from sqlalchemy import select

    from kb.render import markdown_to_html
    from web.cli import cli
    from web.extensions import db
    from web.models import Message

    conv, case_id = _open_case(app, resident)
    login(client, *SCHOOL)
    page = client.get(f"/console/cases/{case_id}").get_data(as_text=True)
    client.post(f"/console/cases/{case_id}/reply", data={"text": REPLY, "csrf_token": csrf_token(page)})
    with app.app_context():
        reply = db.session.scalars(select(Message).where(Message.sender == "caseworker")).one()
        reply.html = markdown_to_html(REPLY)  # as stored before c61b742
        plain = Message(conversation_id=reply.conversation_id, sender="caseworker", text="Uten html\nto linjer",
                        html="", lang="nb", meta={})
        db.session.add(plain)
        db.session.commit()
        reply_id, plain_id = reply.id, plain.id
    assert "Ystävällisin terveisin Talous Fjordvik kommune" in " ".join(_lines(markdown_to_html(REPLY)))

    runner = app.test_cli_runner()
    assert "1 of 1 caseworker replies would be rendered again." in runner.invoke(cli, ["replies", "rerender", "--dry-run"]).output
    with app.app_context():
        assert db.session.get(Message, reply_id).html == markdown_to_html(REPLY)
    assert "1 of 1 caseworker replies were rendered again." in runner.invoke(cli, ["replies", "rerender"]).output
    assert "0 of 1" in runner.invoke(cli, ["replies", "rerender"]).output, "once: a second run changes nothing"
    with app.app_context():
        assert db.session.get(Message, reply_id).html == reply_markdown_to_html(REPLY)
        assert db.session.get(Message, reply_id).text == REPLY
        assert db.session.get(Message, plain_id).html == ""
    [shown] = [m for m in conv.messages().get_json()["messages"] if m["sender"] == "caseworker" and m["html"]]
    assert _lines(shown["html"])[-3:] == ["Ystävällisin terveisin", "Talous", "Fjordvik kommune"]
    page = client.get(f"/console/cases/{case_id}").get_data(as_text=True)
    assert "<br />\nTalous<br />\nFjordvik kommune" in page or "<br>\nTalous<br>\nFjordvik kommune" in page


def test_addresses_written_out_become_links_also_on_reserved_names():
    """The demo municipality's pages (fjordvik.example) and an intranet's (.internal) were plain text: bleach
    links only public top-level domains. A public one still links, and a word with a dot stays a word."""
    html = reply_markdown_to_html("Se https://fjordvik.example/avfall og https://www.oslo.kommune.no/renovasjon,"
                                  " eller https://sak.kommune.internal/skjema.")
    for url in ("https://fjordvik.example/avfall", "https://www.oslo.kommune.no/renovasjon",
                "https://sak.kommune.internal/skjema"):
        assert f'<a href="{url}" rel="noopener noreferrer" target="_blank">{url}</a>' in html
    assert "<a" not in reply_markdown_to_html("fjordvik.examples og kl.ti og eksempel.testing")
