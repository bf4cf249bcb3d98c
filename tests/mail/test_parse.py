"""Parsing delivered mails: bodies, quotes and signatures, attachments, and bad input that must not crash."""

from __future__ import annotations

from email.message import EmailMessage

from mail.parse import html_to_text, parse_bytes, read_mail, split_quoted, split_signature


def _mail(body: str = "Hei", subject: str = "Spørsmål", **headers) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = headers.pop("from_", "Kari Nordmann <kari@example.org>")
    msg["To"] = "postmottak@fjordvik.example"
    msg["Subject"] = subject
    msg["Message-ID"] = headers.pop("message_id", "<abc123@example.org>")
    for k, v in headers.items():
        msg[k.replace("_", "-")] = v
    msg.set_content(body)
    return msg


def test_plain_mail_headers_and_body():
    m = parse_bytes(_mail("Når er biblioteket åpent på lørdag?\n\nMvh\nKari").as_bytes())
    assert m.message_id == "abc123@example.org"
    assert m.from_addr == "kari@example.org"
    assert m.own_text == "Når er biblioteket åpent på lørdag?"
    assert m.signature.startswith("Mvh")


def test_quoted_replies_are_split_in_all_languages():
    cases = [
        "Ja takk, gjør det.\n\nDen 3. juni 2026 kl. 10:12 skrev Servicetorget <post@fjordvik.example>:\n> Vil du at vi skal sende skjemaet?",
        "Yes please.\n\nOn Wed, 3 Jun 2026 at 10:12, Service desk <post@fjordvik.example>\nwrote:\n> Shall we send the form?",
        "Ja tack.\n\nDen 3 juni 2026 10:12 skrev Kundcenter <post@asby.example>:\n> Ska vi skicka blanketten?",
        "Kyllä kiitos.\n\nTi 3.6.2026 klo 10.12 Asiakaspalvelu <post@example.fi> kirjoitti:\n> Lähetämmekö lomakkeen?",
        "Ja takk.\n\n-----Original Message-----\nFrom: Servicetorget\nSent: 3 June 2026\nSubject: skjema\n\nVil du ha skjemaet?",
        "Ja takk.\n\nFra: Servicetorget <post@fjordvik.example>\nSendt: tirsdag 6. januar 2026 10:15\nTil: meg\nEmne: skjema\n\nVil du ha skjemaet?",
        "Ja tack.\n\nFrån: Kundcenter <post@asby.example>\nSkickat: den 6 januari 2026\nÄmne: blankett\n\nVill du ha blanketten?",
        "Kyllä.\n\nLähettäjä: Asiakaspalvelu <post@example.fi>\nLähetetty: 6. tammikuuta 2026\nAihe: lomake\n\nHaluatko lomakkeen?",
    ]
    for text in cases:
        own, quoted, _ = split_quoted(text)
        assert own.split("\n")[0] in text.split("\n")[0] and "\n" not in own, (text, own)
        assert quoted, text


def test_inline_forward_is_context_not_own_text():
    own, quoted, forward = split_quoted("Se under.\n\n---------- Forwarded message ---------\nFrom: Per\nHva koster SFO?")
    assert own == "Se under." and forward and "SFO" in quoted


def test_signatures_and_device_lines_are_stripped():
    for closing in ("Mvh", "Med vennlig hilsen", "Med vänliga hälsningar", "Ystävällisin terveisin",
                    "Med venleg helsing", "Med venlig hilsen", "Kind regards"):
        body, sig = split_signature(f"Hva koster SFO?\n\n{closing}\nKari Nordmann\nTlf 900 00 000")
        assert body == "Hva koster SFO?" and sig.startswith(closing)
    body, _ = split_signature("Hva koster SFO?\n\nSendt fra min iPhone")
    assert body == "Hva koster SFO?"
    # a closing word in the middle of a long mail is not a signature
    long = "Hilsen fra oss alle.\n" + "\n".join(f"Linje {i} med innhold om saken vår" for i in range(12))
    assert split_signature(long)[0] == long


def test_html_only_mail_with_script_gives_text_without_the_script():
    msg = EmailMessage()
    msg["From"], msg["Subject"], msg["Message-ID"] = "a@example.org", "Hei", "<h1@example.org>"
    msg.set_content("<html><head><style>p{color:red}</style><script>alert('x')</script></head><body>"
                    "<p>Er biblioteket &aring;pent?</p><div style='display:none'>skjult tekst</div>"
                    "<script>document.write('ond')</script><blockquote>gammel tekst</blockquote></body></html>",
                    subtype="html")
    m = parse_bytes(msg.as_bytes())
    assert m.html_only and m.had_script
    assert m.own_text == "Er biblioteket åpent?"
    assert "alert" not in m.text and "ond" not in m.text and "skjult" not in m.text
    assert "gammel tekst" in m.quoted
    assert html_to_text("<p>a<br>b</p>")[0] == "a\nb"


def test_attachments_are_listed_not_stored_even_at_20_mb():
    msg = _mail("Her er dokumentene mine.")
    msg.add_attachment(b"\0" * (20 * 1024 * 1024), maintype="application", subtype="pdf", filename="skjema.pdf")
    m = parse_bytes(msg.as_bytes())
    assert [(a.name, a.content_type, a.size) for a in m.attachments] == [("skjema.pdf", "application/pdf", 20 * 1024 * 1024)]
    assert m.own_text == "Her er dokumentene mine." and len(m.text) < 100


def test_unknown_charset_is_read_and_recorded():
    raw = (b"From: a@example.org\r\nSubject: test\r\nMessage-ID: <cs@example.org>\r\n"
           b"Content-Type: text/plain; charset=x-klingon\r\n\r\nHva koster SFO p\xe5 skolen?\r\n")
    m = parse_bytes(raw)
    assert "unknown_charset:x-klingon" in m.problems
    assert m.own_text == "Hva koster SFO på skolen?"


def test_malformed_mime_never_raises_and_keeps_the_text():
    raw = (b"From: a@example.org\r\nSubject: =?utf-8?q?broken=\r\nContent-Type: multipart/mixed; boundary=\"zzz\"\r\n"
           b"\r\nNo boundary ever comes.\r\nHva koster SFO?\r\n")
    m = parse_bytes(raw)
    assert any(p.startswith("malformed_mime") for p in m.problems)
    assert "Hva koster SFO?" in m.text
    assert m.message_id.startswith("sha256:")  # no Message-ID: a stable hash of the content
    assert parse_bytes(raw).message_id == m.message_id
    for junk in (b"", b"\xff\xfe\x00garbage", b"Content-Type: text/plain; charset=utf-8\r\n\r\n\xc3("):
        parse_bytes(junk)  # never raises


def test_forward_as_attachment_gives_context_and_is_listed():
    inner = _mail("Hva koster SFO?", subject="Spørsmål om SFO", message_id="<inner@example.org>")
    outer = _mail("Videresender fra min mann.", subject="Fwd: SFO")
    outer.add_attachment(inner)
    m = parse_bytes(outer.as_bytes())
    assert "SFO" in m.forwarded and m.attachments[0].content_type == "message/rfc822"


def test_read_mail_redacts_at_once():
    m = read_mail(_mail("Jeg heter Kari Nordmann og har fødselsnummer 30068908414. Ring 912 34 567.\n\nMvh Kari",
                        subject="Søknad fra Kari Nordmann").as_bytes())
    assert "30068908414" not in m.own_text and "912 34 567" not in m.own_text
    assert "<NATIONAL_ID>" in m.own_text and m.redactions.get("NATIONAL_ID") == 1
    assert "30068908414" in m.original  # the unredacted words, only for the encrypted case original


NUL_MAIL = (b"From: Kari <kari@example.org>\r\nTo: postmottak@fjordvik.example\r\n"
            b"Subject: =?utf-8?b?U8O4awBuYWQ=?= \x01om\x00 SFO\r\n"  # "Søk\0nad" encoded, then raw bytes
            b"Message-ID: <nul\x00id@example.org>\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
            b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHva koster\x00 SFO\x1b[0m?\x0bTakk.\r\n"
            b"--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"s\x00knad.pdf\"\r\n\r\n"
            b"%PDF\r\n--b--\r\n")


def test_control_characters_are_dropped_from_every_text_of_a_mail():
    """A NUL in a subject, a body or a Message-ID reached the database (Postgres refuses it: the intake
    failed on that mail at every poll, and the mails after it in the batch waited with it)."""
    m = read_mail(NUL_MAIL)
    texts = [m.subject, m.own_text, m.text, m.message_id, m.from_addr, *m.references, m.in_reply_to,
             *(a.name for a in m.attachments), *m.problems]
    assert not [t for t in texts if any(c in t for c in "\x00\x01\x0b\x1b")], texts
    assert m.subject == "Søknad om SFO" and m.message_id == "nulid@example.org"
    assert m.own_text == "Hva koster SFO[0m?\nTakk."  # the vertical tab was a line break
    assert m.attachments[0].name == "sknad.pdf" and m.from_addr == "kari@example.org"


def test_a_sender_address_with_a_control_character_is_not_used():
    """Cleaned, 'kari\\0@…' would be 'kari@…', perhaps someone else: no address, so no reply is sent."""
    m = parse_bytes(NUL_MAIL.replace(b"<kari@example.org>", b"<kari\x00@example.org>"))
    assert m.from_addr == "" and "control_character_in_address:from" in m.problems
