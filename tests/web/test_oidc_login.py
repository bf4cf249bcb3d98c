"""Optional OpenID Connect login against a tiny local provider started by the test (discovery, authorize,
token, JWKS, an RS256-signed id_token with nonce): the button appears only when configured, a known user
gets in, an unknown one, a forged state and a token signed with another key do not."""

from __future__ import annotations

import secrets
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from tests.conftest import make_app
from tests.processes import ServerThread
from tests.web.test_console import SCHOOL

CLIENT_ID, CLIENT_SECRET = "tinget-test", "provider-secret-for-tests"


class Provider(ServerThread):
    """An OpenID provider in a thread on a free loopback port."""

    def __init__(self):
        from flask import Flask, jsonify, redirect, request
        from joserfc import jwt
        from joserfc.jwk import RSAKey
        from werkzeug.serving import make_server

        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig", "alg": "RS256"})
        self.signing_key = self.key  # a test may swap in a key the JWKS does not hold
        self.email = SCHOOL[0]
        self.codes: dict[str, dict] = {}
        app = Flask("provider")
        super().__init__(make_server("127.0.0.1", 0, app, threaded=True))
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify(issuer=self.issuer, authorization_endpoint=f"{self.issuer}/authorize",
                           token_endpoint=f"{self.issuer}/token", jwks_uri=f"{self.issuer}/jwks",
                           response_types_supported=["code"], subject_types_supported=["public"],
                           id_token_signing_alg_values_supported=["RS256"],
                           token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post"])

        @app.get("/authorize")
        def authorize():
            args = request.args
            assert args["client_id"] == CLIENT_ID and args["response_type"] == "code" and "openid" in args["scope"]
            code = secrets.token_urlsafe(16)
            self.codes[code] = {"nonce": args.get("nonce"), "redirect_uri": args["redirect_uri"]}
            return redirect(f"{args['redirect_uri']}?{urlencode({'code': code, 'state': args['state']})}")

        @app.post("/token")
        def token():
            auth = request.authorization
            cid, secret = (auth.username, auth.password) if auth else (request.form.get("client_id"),
                                                                          request.form.get("client_secret"))
            grant = self.codes.pop(request.form.get("code", ""), None)
            if (cid, secret) != (CLIENT_ID, CLIENT_SECRET) or grant is None \
                    or grant["redirect_uri"] != request.form.get("redirect_uri"):
                return jsonify(error="invalid_grant"), 400
            now = int(time.time())
            claims = {"iss": self.issuer, "sub": "user-42", "aud": CLIENT_ID, "iat": now, "exp": now + 300,
                      "nonce": grant["nonce"], "email": self.email, "email_verified": True, "name": "Test Person"}
            id_token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, self.signing_key)
            return jsonify(access_token=secrets.token_urlsafe(16), token_type="Bearer", expires_in=300,  # noqa: S106
                           id_token=id_token)

        @app.get("/jwks")
        def jwks():
            return jsonify(keys=[self.key.as_dict(private=False)])



@pytest.fixture
def provider():
    with Provider() as p:
        yield p


@pytest.fixture
def oidc_app(tmp_path, provider):
    app = make_app(tmp_path, OIDC_ISSUER=provider.issuer, OIDC_CLIENT_ID=CLIENT_ID, OIDC_CLIENT_SECRET=CLIENT_SECRET,
                   OIDC_PROVIDER_NAME="Fjordvik ID")
    yield app
    with app.app_context():
        from web.extensions import db

        db.engine.dispose()


def _sign_in(client, *, tamper_state=False):
    start = client.get("/auth/oidc/login?next=/console/?status=all")
    assert start.status_code == 302
    at_provider = requests.get(start.headers["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302
    back = urlsplit(at_provider.headers["Location"])
    query = parse_qs(back.query)
    if tamper_state:
        query["state"] = ["forged-state"]
    return client.get(f"{back.path}?{urlencode({k: v[0] for k, v in query.items()})}")


def test_without_settings_there_is_no_oidc_button(client):
    assert "oidc-login" not in client.get("/auth/login").get_data(as_text=True)
    assert client.get("/auth/oidc/login").status_code == 404
    assert client.get("/auth/oidc/callback?code=x&state=y").status_code == 404


def test_known_user_signs_in_with_the_provider(oidc_app):
    client = oidc_app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'id="oidc-login"' in page and "Fjordvik ID" in page
    resp = _sign_in(client)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/console/?status=all")
    queue = client.get("/console/")
    assert queue.status_code == 200 and "Sverre Skule" in queue.get_data(as_text=True)


def test_unknown_user_forged_state_and_foreign_key_are_refused(oidc_app, provider):
    from joserfc.jwk import RSAKey

    client = oidc_app.test_client()
    provider.email = "nobody@elsewhere.example"
    assert _sign_in(client).status_code == 403
    assert client.get("/console/").status_code == 302

    provider.email = SCHOOL[0]
    resp = _sign_in(client, tamper_state=True)
    assert resp.status_code == 302 and "/auth/login" in resp.headers["Location"]
    assert client.get("/console/").status_code == 302

    provider.signing_key = RSAKey.generate_key(2048, parameters={"kid": "k1"})  # not the key in the JWKS
    resp = _sign_in(client)
    assert resp.status_code == 302 and "/auth/login" in resp.headers["Location"]
    assert client.get("/console/").status_code == 302
