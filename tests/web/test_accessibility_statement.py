"""The accessibility statement tells a reader who cannot use the assistant how else to reach the
municipality: its own phone number and e-mail address (from its settings), as links."""

from __future__ import annotations


def test_statement_gives_the_municipalitys_phone_and_email(client):
    page = client.get("/accessibility?lang=sv").get_data(as_text=True)
    assert "Kontakta Fjordvik kommune" in page
    assert '<a href="tel:+4755501000">+47 55 50 10 00</a>' in page
    assert '<a href="mailto:postmottak@fjordvik.example">postmottak@fjordvik.example</a>' in page
    assert "Öppettider" in page and "08:00–15:30" in page


def test_changed_settings_show_and_an_unknown_municipality_has_no_contact_block(app, client):
    from web.extensions import db
    from web.services.mail import municipality_for

    with app.app_context():
        m = municipality_for("fjordvik")
        m.settings = {**m.settings, "phone": "+47 55 50 99 99", "email": "hjelp@fjordvik.example"}
        db.session.commit()
    page = client.get("/accessibility?lang=en").get_data(as_text=True)
    assert "+47 55 50 99 99" in page and "hjelp@fjordvik.example" in page and "Contact Fjordvik kommune" in page
    page = client.get("/accessibility?municipality=nowhere&lang=en").get_data(as_text=True)
    assert "tel:" not in page and "WCAG 2.1" in page
