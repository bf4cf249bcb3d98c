"""Optional OpenID Connect login (Authlib): authorization code flow against the configured issuer.

The provider's discovery document, JWKS and the id_token's signature, issuer, audience, expiry and
nonce are checked by Authlib. The signed-in person must already be an active Tinget user with the same
e-mail address: the provider proves who it is, Tinget decides what they may see.
"""

from __future__ import annotations

from authlib.integrations.flask_client import OAuth
from flask import current_app

NAME = "oidc"


def enabled(app=None) -> bool:
    cfg = (app or current_app).config
    return bool(cfg.get("OIDC_ISSUER") and cfg.get("OIDC_CLIENT_ID") and cfg.get("OIDC_CLIENT_SECRET"))


def init_app(app) -> None:
    app.jinja_env.globals["oidc_enabled"] = lambda: enabled(app)
    if not enabled(app):
        return
    oauth = OAuth(app)  # one registry per app: tests and several apps in a process never share a client
    app.extensions["tinget.oidc"] = oauth
    issuer = app.config["OIDC_ISSUER"].rstrip("/")
    oauth.register(NAME, client_id=app.config["OIDC_CLIENT_ID"], client_secret=app.config["OIDC_CLIENT_SECRET"],
                   server_metadata_url=f"{issuer}/.well-known/openid-configuration",
                   client_kwargs={"scope": app.config["OIDC_SCOPES"]})


def client():
    return current_app.extensions["tinget.oidc"].create_client(NAME)
