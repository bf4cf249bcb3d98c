from __future__ import annotations

import math
import time
from urllib.parse import urlsplit

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from web.auth import bp
from web.auth.forms import LoginForm, NewPasswordForm
from web.extensions import limiter
from web.labels import password_refusal
from web.services import users


def _safe_next(target: str | None) -> str:
    if target and not urlsplit(target).netloc and target.startswith("/"):
        return target
    return url_for("console.queue")


def _login_account() -> str:
    return "login-account:" + (request.form.get("email") or "").strip().lower()[:200]


def _too_many_logins(limit) -> Response:
    """The login form again when a login limit (per address or per account) is reached: 429, the address
    typed kept, and how long to wait (a bare "Too many requests" page lost the form and said not when).
    Called once per limit reached; the page names the longest wait."""
    wait = max(1, int(limit.reset_at - time.time()))
    g.login_wait = max(g.get("login_wait", 0), wait)
    minutes = math.ceil(g.login_wait / 60)
    message = ngettext("Too many login attempts. Try again in %(num)s minute.",
                       "Too many login attempts. Try again in %(num)s minutes.", minutes)
    resp = make_response(render_template("auth/login.html", form=LoginForm(), refusal=message), 429)
    resp.headers["Retry-After"] = str(g.login_wait)
    return resp


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATE_LIMIT_LOGIN"], methods=["POST"], on_breach=_too_many_logins)
@limiter.limit(lambda: current_app.config["RATE_LIMIT_LOGIN_ACCOUNT"], methods=["POST"], key_func=_login_account,
               on_breach=_too_many_logins)
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = users.authenticate(form.email.data, form.password.data)
        if user:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        flash(_("Wrong e-mail or password."), "error")
    return render_template("auth/login.html", form=form), (401 if form.is_submitted() else 200)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("auth.login"))


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATE_LIMIT_LOGIN"], methods=["POST"])
def reset_password(token: str):
    """The one-time link an admin issued: the user chooses a new password; the link then stops working."""
    user = users.user_for_reset_token(token, max_age=current_app.config["PASSWORD_RESET_HOURS"] * 3600)
    if user is None:
        return render_template("auth/reset.html", form=None, user=None), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            users.set_password(user, form.password.data, actor=user.email)
        except users.PasswordRefused as exc:
            flash(password_refusal(exc.code), "error")
        else:
            if current_user.is_authenticated:
                logout_user()
            flash(_("Your password is changed. Log in with the new one."), "success")
            return redirect(url_for("auth.login"))
    elif form.is_submitted() and not form.errors.get("csrf_token"):
        flash(_("Type the same new password twice (at least %(n)d characters).",
                n=current_app.config["PASSWORD_MIN_LENGTH"]), "error")
    elif form.is_submitted():
        abort(400)
    return render_template("auth/reset.html", form=form, user=user), (400 if form.is_submitted() else 200)


@bp.get("/oidc/login")
@limiter.limit(lambda: current_app.config["RATE_LIMIT_LOGIN"])
def oidc_login():
    from web.auth import oidc

    if not oidc.enabled():
        abort(404)
    next_url = _safe_next(request.args.get("next"))
    from flask import session

    session["oidc_next"] = next_url
    return oidc.client().authorize_redirect(url_for("auth.oidc_callback", _external=True))


@bp.get("/oidc/callback")
@limiter.limit(lambda: current_app.config["RATE_LIMIT_LOGIN"])
def oidc_callback():
    from authlib.common.errors import AuthlibBaseError
    from flask import session
    from joserfc.errors import JoseError

    from web.auth import oidc

    if not oidc.enabled():
        abort(404)
    try:
        token = oidc.client().authorize_access_token()
    except (AuthlibBaseError, JoseError, ValueError, KeyError, OSError) as exc:
        current_app.logger.warning("OpenID Connect login refused: %s", type(exc).__name__)
        flash(_("The sign-in with %(provider)s failed. Try again or log in with your password.",
                provider=current_app.config["OIDC_PROVIDER_NAME"] or "OpenID Connect"), "error")
        return redirect(url_for("auth.login"))
    claims = token.get("userinfo") or {}
    user = users.for_oidc(claims)
    if user is None:
        flash(_("You signed in, but there is no active Tinget account for that e-mail address. Ask an admin."),
              "error")
        return render_template("auth/login.html", form=LoginForm()), 403
    login_user(user)
    return redirect(_safe_next(session.pop("oidc_next", None)))
