"""The reply the app composes for a resident's mail (automatic or a caseworker's)."""

from __future__ import annotations

import email
import email.policy

import pytest

from mail.outbound import compose_reply


def test_reply_names_its_language():
    """Content-Language was set before set_content, which clears every Content-* header: no reply carried it,
    so a mail client or screen reader could not tell a Finnish answer from a Norwegian one."""
    for automatic in (True, False):
        msg = compose_reply(from_addr="postmottak@fjordvik.example", from_name="Fjordvik kommune",
                            to="matti.laine@example.org", subject="Jätehuolto", body="Hei,\n\nJätteet haetaan tiistaisin.",
                            in_reply_to="abc@example.org", automatic=automatic, lang="fi")
        sent = email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)
        assert sent["Content-Language"] == "fi"
        assert sent.get_content().startswith("Hei,") and sent["Subject"] == "Re: Jätehuolto"


@pytest.mark.parametrize(("stored", "sent"), [
    ("Bostøtte for <PERSON> fnr <NATIONAL_ID> født <BIRTH_DATE>", "Re: Bostøtte for … fnr … født …"),
    ("Faktura till <ADDRESS>, ring <PHONE>", "Re: Faktura till …, ring …"),
    ("<PERSON>", "Re: …"),
    ("Re: Søknad om <BANK_ACCOUNT>-endring", "Re: Søknad om …-endring"),
    ("Lomake <3 kiitos", "Re: Lomake <3 kiitos"),  # not a placeholder
    ("Jätehuolto", "Re: Jätehuolto"),
])
def test_the_reply_subject_leaves_out_the_redaction_placeholders(stored, sent):
    """The subject is stored redacted (intake), and the reply's subject is built from it: the resident got
    'Re: Bostøtte for <PERSON> fnr <NATIONAL_ID> født <BIRTH_DATE>' (exploratory test)."""
    msg = compose_reply(from_addr="postmottak@fjordvik.example", from_name="Fjordvik kommune",
                        to="kari.nordmann@example.org", subject=stored, body="Hei", in_reply_to="a@example.org")
    assert msg["Subject"] == sent
