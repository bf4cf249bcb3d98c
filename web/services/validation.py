"""Validation of resident input: clear 4xx errors that name the problem."""

from __future__ import annotations

import json
import unicodedata

from flask import Request

from tinget.text import clean
from web.errors import ApiError


def json_body(request: Request) -> dict:
    raw = request.get_data(cache=False)
    if not raw:
        raise ApiError(400, "empty_body", "The request body is empty; send JSON like {\"text\": \"...\"}.")
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(400, "invalid_encoding", f"The body is not valid UTF-8 (byte {exc.start}).") from exc
    try:
        data = json.loads(decoded)
    except json.JSONDecodeError as exc:
        raise ApiError(400, "invalid_json", f"The body is not valid JSON: {exc.msg} at position {exc.pos}.") from exc
    except RecursionError as exc:
        raise ApiError(400, "invalid_json", "The body nests JSON too deeply.") from exc
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise ApiError(400, "invalid_json", "The body holds a number that is too large.") from exc
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json", "The body must be a JSON object.")
    return data


def message_text(data: dict, max_chars: int) -> str:
    text = data.get("text")
    if text is None:
        raise ApiError(400, "missing_text", "The field 'text' is missing.")
    if not isinstance(text, str):
        raise ApiError(400, "invalid_text", "The field 'text' must be a string.")
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise ApiError(400, "invalid_text", "The text contains invalid characters (lone surrogates).")
    # Control characters other than line breaks and tabs carry no meaning for a resident's question:
    # dropped, never the message. Here and not only by the column type: before the checks for empty and
    # too long, and before the text goes to Rasa and the redactor.
    text = clean(unicodedata.normalize("NFC", text)).replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ApiError(400, "empty_text", "The message is empty.")
    if len(text) > max_chars:
        raise ApiError(413, "text_too_long", f"The message has {len(text)} characters; the limit is {max_chars}.")
    return text


def button_payload(data: dict) -> str | None:
    """The payload of a quick-reply button the resident pressed (optional; checked against the offer later)."""
    payload = data.get("payload")
    if payload in (None, ""):
        return None
    if not isinstance(payload, str) or len(payload) > 500:
        raise ApiError(400, "invalid_payload", "The field 'payload' must be a short string.")
    return payload


def language(value, allowed: tuple[str, ...], default: str) -> str:
    if value in (None, ""):
        return default
    if not isinstance(value, str) or value not in allowed:
        shown = value[:20] if isinstance(value, str) else type(value).__name__
        raise ApiError(400, "invalid_lang", f"Unknown language '{shown}'; use one of {', '.join(allowed)}.")
    return value


def email_address(data: dict) -> str | None:
    """The resident's optional e-mail address for a copy of the caseworker's reply ("" removes it)."""
    from web.services.chat_mail import MAX_EMAIL_CHARS, valid_address

    if "email" not in data or data["email"] is None:
        return None
    value = data["email"]
    if not isinstance(value, str):
        raise ApiError(400, "invalid_email", "The field 'email' must be a string.")
    value = value.strip()
    if value and not valid_address(value):
        raise ApiError(400, "invalid_email",
                       f"That does not look like an e-mail address (name@example.no, at most {MAX_EMAIL_CHARS} characters).")
    return value
