"""Schemathesis against the app's own OpenAPI description (web/api/openapi.yaml): generated valid and
invalid requests to every described operation never get a 5xx, and every response matches the
description (status code, content type, body schema). Bounded: a few dozen examples per operation."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import make_app

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("fuzz"), RASA_TIMEOUT=1)
    yield app
    with app.app_context():
        from web.extensions import db

        db.session.remove()
        db.engine.dispose()


# Loaded from the file at collection (schemathesis' lazy fixture loader does not work with pytest 9);
# the test below checks that the app serves this same document.
SPEC_FILE = Path(__file__).resolve().parents[2] / "web" / "api" / "openapi.yaml"
schema = schemathesis.openapi.from_dict(yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8")))


def test_the_description_is_served_and_names_every_api_route(fuzz_app):
    served = fuzz_app.test_client().get("/api/v1/openapi.json").get_json()
    assert served == yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))
    described = served["paths"]
    routes = {str(r.rule).replace("<public_id>", "{public_id}") for r in fuzz_app.url_map.iter_rules()
              if str(r.rule).startswith("/api/") and "<path:" not in str(r.rule)}
    assert routes <= set(described), f"routes missing from web/api/openapi.yaml: {routes - set(described)}"


@schema.parametrize()
@settings(max_examples=20, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_generated_requests_get_no_5xx_and_match_the_description(case, fuzz_app):
    case.operation.schema.app = fuzz_app  # the schema is loaded from the file, before the app exists
    if "public_id" in (case.path_parameters or {}):
        # A real conversation, so generated bodies reach validation, redaction and the bot path
        # (unknown ids and wrong tokens are covered by the crafted-input table).
        conv = fuzz_app.test_client().post("/api/v1/conversations", json={"municipality": "fjordvik"}).get_json()
        case.path_parameters["public_id"] = conv["id"]
        case.headers = {**(case.headers or {}), "X-Conversation-Token": conv["token"]}
    case.call_and_validate(checks=CHECKS, app=fuzz_app)
