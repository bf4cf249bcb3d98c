"""Encryption at rest for case originals: Fernet (AES-128-CBC + HMAC) with a key derived from the
configured secret (``TINGET_ENCRYPTION_KEY``)."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken


class DecryptionError(ValueError):
    pass


def _fernet(key: str) -> Fernet:
    if not key:
        raise ValueError("an encryption key is required")
    derived = hashlib.pbkdf2_hmac("sha256", key.encode(), b"tinget-case-originals", 100_000)
    return Fernet(base64.urlsafe_b64encode(derived))


_CACHE: dict[str, Fernet] = {}


def _cached(key: str) -> Fernet:
    if key not in _CACHE:
        _CACHE[key] = _fernet(key)
    return _CACHE[key]


def encrypt(text: str, key: str) -> bytes:
    return _cached(key).encrypt(text.encode("utf-8"))


def decrypt(token: bytes | str, key: str) -> str:
    raw = token.encode() if isinstance(token, str) else bytes(token)
    try:
        return _cached(key).decrypt(raw).decode("utf-8")
    except InvalidToken as exc:
        raise DecryptionError("wrong key or damaged ciphertext") from exc
