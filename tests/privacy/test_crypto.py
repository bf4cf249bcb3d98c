"""Case originals are encrypted at rest with the configured key; a wrong key fails clearly."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from privacy.crypto import DecryptionError, decrypt, encrypt
from tests.privacy import synthetic as syn

FNR = syn.no_fnr(random.Random(11))


def test_round_trip_and_wrong_key():
    token = encrypt(f"fnr {FNR}", "key-one")
    assert FNR.encode() not in token
    assert decrypt(token, "key-one") == f"fnr {FNR}"
    assert decrypt(token.decode(), "key-one") == f"fnr {FNR}"
    with pytest.raises(DecryptionError, match="wrong key or damaged ciphertext"):
        decrypt(token, "key-two")
    with pytest.raises(DecryptionError):
        decrypt(token[:-3] + b"AAA", "key-one")


def test_empty_key_is_refused():
    with pytest.raises(ValueError, match="encryption key is required"):
        encrypt("x", "")


def test_case_original_is_stored_encrypted_with_the_configured_key(app, resident):
    from web.extensions import db
    from web.models import CaseOriginal, Message

    text = f"Jeg heter Kari Nordmann, fødselsnummer {FNR}. Hva skjer med saken min?"
    reply = resident().say(text)  # Rasa is dead in tests: the message becomes a case
    assert reply.status_code in (200, 201), reply.get_json()
    with app.app_context():
        stored = db.session.scalars(select(Message).where(Message.sender == "resident")).one()
        assert FNR not in stored.text and "<NATIONAL_ID>" in stored.text
        original = db.session.scalars(select(CaseOriginal)).one()
        assert FNR.encode() not in original.ciphertext
        assert decrypt(original.ciphertext, app.config["ENCRYPTION_KEY"]) == text
        with pytest.raises(DecryptionError):
            decrypt(original.ciphertext, app.config["ENCRYPTION_KEY"] + "-wrong")
