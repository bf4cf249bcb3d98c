from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import current_app, jsonify, request

from web.api import bp
from web.errors import ApiError
from web.extensions import limiter
from web.services import conversations, inquiry, validation


def _token() -> str | None:
    return request.headers.get("X-Conversation-Token") or request.args.get("token")


def _per_conversation() -> str:
    """The conversation's own bucket, for requests that carry its token: the limit is checked before the
    token is, and keyed by the id alone, anyone who knew a conversation's id could use up its resident's
    messages with a wrong token. A wrong token fills a bucket of its own (then gets 403 for the token, or
    429). The token is hashed: the limiter's store (Redis in a region) never holds a usable one."""
    token = _token() or ""
    mark = hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()[:16] if token else "-"
    return "conversation:" + str((request.view_args or {}).get("public_id", ""))[:64] + ":" + mark


def _limit(name: str):
    return lambda: current_app.config[name]


@bp.post("/conversations")
@limiter.limit(_limit("RATE_LIMIT_NEW_CONVERSATIONS"))
def create_conversation():
    data = validation.json_body(request) if request.get_data(cache=True) else {}
    municipality = conversations.municipality_for(data.get("municipality"))
    lang = validation.language(data.get("lang"), current_app.config["LANGUAGES"], municipality.default_lang)
    email = validation.email_address(data)
    conv = conversations.start(municipality, lang, fixed=bool(data.get("lang_fixed")), email=email)
    return jsonify(id=conv.public_id, token=conv.token, lang=conv.lang, state=conv.state,
                   poll_interval_ms=current_app.config["POLL_INTERVAL_MS"]), 201


@bp.post("/conversations/<public_id>/messages")
@limiter.limit(_limit("RATE_LIMIT_MESSAGES"), key_func=_per_conversation)
def post_message(public_id: str):
    conv, known = conversations.get_for_message(public_id, _token())
    data = validation.json_body(request)
    text = validation.message_text(data, current_app.config["MAX_MESSAGE_CHARS"])
    email = validation.email_address(data)
    if email is not None:
        from web.services.chat_mail import store_address

        store_address(conv, email)
    if data.get("lang"):
        conv.lang = validation.language(data["lang"], current_app.config["LANGUAGES"], conv.lang)
        conv.lang_fixed = bool(data.get("lang_fixed", conv.lang_fixed))
    outcome = inquiry.receive(conv, text, validation.button_payload(data), known)
    return jsonify(message=conversations.serialize(outcome.resident_message),
                   replies=[conversations.serialize(m) for m in outcome.replies], route=outcome.route,
                   **conversations.state_of(conv, None if outcome.touched_case else known)), 201


@bp.post("/conversations/<public_id>/email")
@limiter.limit(_limit("RATE_LIMIT_MESSAGES"), key_func=_per_conversation)
def set_email(public_id: str):
    """The resident's optional address for an e-mail copy of the caseworker's reply ("" removes it)."""
    from web.extensions import db
    from web.services.chat_mail import store_address

    conv = conversations.get(public_id, _token())
    data = validation.json_body(request)
    email = validation.email_address(data)
    if email is None:
        raise ApiError(400, "missing_email", "The field 'email' is missing.")
    store_address(conv, email)
    db.session.commit()
    return jsonify(email=bool(email))


@bp.get("/conversations/<public_id>/messages")
@limiter.limit(_limit("RATE_LIMIT_POLLS"), key_func=_per_conversation)
def list_messages(public_id: str):
    conv = conversations.get(public_id, _token())
    after = request.args.get("after", "0")
    after_id = int(after) if after.isdigit() else 0
    return jsonify(messages=[conversations.serialize(m) for m in conversations.messages_after(conv, after_id)],
                   **conversations.state_of(conv))


@bp.route("/<path:_any>", methods=["OPTIONS"])
def preflight(_any):
    return "", 204


@bp.get("/widget/config")
def widget_config():
    from tinget import language
    from web.widget_strings import LANGUAGE_NAMES, STRINGS

    municipality = conversations.municipality_for(request.args.get("municipality"))
    lang = request.args.get("lang") if request.args.get("lang") in STRINGS else municipality.default_lang
    # families: languages whose readers read each other's texts; the widget's texts do not flip between them.
    return jsonify(lang=lang, strings=STRINGS[lang], languages=LANGUAGE_NAMES,
                   families=[list(family) for family in language.LANGUAGE_FAMILIES], municipality={
        "name": municipality.name, "phone": municipality.settings.get("phone", ""),
        "privacy_policy_url": municipality.privacy_policy_url})


@bp.delete("/conversations/<public_id>")
def delete_conversation(public_id: str):
    from web.services import deletion

    conv = conversations.get(public_id, _token())
    deletion.delete_conversation(conv, actor="resident")
    return jsonify(deleted=True)


@cache
def _openapi() -> dict:
    import yaml

    return yaml.safe_load((Path(__file__).parent / "openapi.yaml").read_text(encoding="utf-8"))


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3 description of this API (kept in web/api/openapi.yaml)."""
    return jsonify(_openapi())
