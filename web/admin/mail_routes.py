"""Mail settings under /admin/mail: automatic replies, set-aside mail, the postbox and outgoing mail server.

The page only reads and writes through :mod:`web.services.mail_admin`; the connection tests log in and
say what happened, in the admin's language, without reading or sending any mail.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import Length, Optional

from mail.netguard import MAIL_PORTS
from web.admin import admin_required, bp
from web.admin.forms import CheckboxesField
from web.labels import ui_lang
from web.services import mail_admin
from web.services.mail_admin import MailSettingsError
from web.services.mail_settings import own_domains
from web.views import require_valid


class MailSettingsForm(FlaskForm):
    # Numbers arrive as text and are checked by the service, which says what is wrong in the admin's words
    auto_reply_intents = CheckboxesField(_l("Topics answered automatically"), validators=[Optional()],
                                         validate_choice=False)  # the service refuses unknown topics, in words
    min_confidence = StringField(_l("Lowest confidence for an automatic reply"), validators=[Length(max=20)])
    set_aside_days = StringField(_l("Days set-aside mail is kept for review"), validators=[Length(max=20)])
    sender = StringField(_l("Sender address of replies"), validators=[Optional(), Length(max=200)])
    imap_host = StringField(_l("Server"), validators=[Optional(), Length(max=253)])
    imap_port = StringField(_l("Port"), validators=[Optional(), Length(max=20)])
    imap_user = StringField(_l("User name"), validators=[Optional(), Length(max=200)])
    imap_folder = StringField(_l("Folder"), validators=[Optional(), Length(max=200)])
    imap_secure = BooleanField(_l("Encrypted connection (SSL/TLS)"))
    smtp_host = StringField(_l("Server"), validators=[Optional(), Length(max=253)])
    smtp_port = StringField(_l("Port"), validators=[Optional(), Length(max=20)])
    smtp_user = StringField(_l("User name"), validators=[Optional(), Length(max=200)])
    smtp_secure = BooleanField(_l("Encrypt with STARTTLS"))


def mail_ports(kind: str) -> str:
    """The mail ports of a server kind, as the messages list them ("143, 993")."""
    return ", ".join(str(p) for p in MAIL_PORTS[kind])


def problem_message(code: str) -> str:
    server = {"imap": _("Incoming mail (IMAP)"), "smtp": _("Outgoing mail (SMTP)")}
    kind, _sep, rest = code.partition("_")
    if kind in server:
        what = {
            "host_invalid": _("Enter a server name such as mail.example.org, or an IP address."),
            "port_invalid": _("The port is a whole number from 1 to 65535."),
            "text_invalid": _("User name and folder may have at most 200 characters and no control characters."),
            # mail.netguard: only that the server is not allowed, never what its name resolves to
            "host_refused": _("The server is not allowed. Check the name, or ask the operator to allow the "
                              "server (TINGET_MAIL_ALLOWED_HOSTS)."),
            "port_refused": _("The port is not allowed. Use a mail port (%(ports)s), or ask the operator to allow "
                              "this port for the server (TINGET_MAIL_ALLOWED_HOSTS).", ports=mail_ports(kind)),
        }.get(rest, rest)
        return f"{server[kind]}: {what}"
    return {
        "intent_unknown": _("Choose topics from the list."),
        "confidence_invalid": _("The lowest confidence is a number from %(low)s to %(high)s, such as 0.90.",
                                low="0.50", high="1.00"),
        "days_invalid": _("Set-aside mail is kept from %(low)s to %(high)s days.",
                          low=mail_admin.MIN_DAYS, high=mail_admin.MAX_DAYS),
        "sender_invalid": _("Enter a valid e-mail address as the sender, or leave it empty."),
        "sender_foreign": _("The sender must be an address of the municipality's own domain (%(domains)s) while "
                            "replies go out through the installation's mail server.",
                            domains=", ".join(own_domains(current_user.municipality)) or "–"),
    }.get(code, code)


# The form fields a refusal points at (marked aria-invalid, WCAG 3.3.1)
FIELDS = {"confidence_invalid": ("min_confidence",), "days_invalid": ("set_aside_days",), "sender_invalid": ("sender",), "sender_foreign": ("sender",),
          "imap_host_invalid": ("imap_host",), "imap_port_invalid": ("imap_port",),
          "imap_host_refused": ("imap_host",), "imap_port_refused": ("imap_port",),
          "smtp_host_refused": ("smtp_host",), "smtp_port_refused": ("smtp_port",),
          "imap_text_invalid": ("imap_user", "imap_folder"), "smtp_host_invalid": ("smtp_host",),
          "smtp_port_invalid": ("smtp_port",), "smtp_text_invalid": ("smtp_user",)}


def check_message(check: mail_admin.Check, kind: str) -> str:
    return {
        "ok": _("Connected and logged in to %(server)s. No mail was read or sent.", server=check.server),
        "not_configured": _("No server is set, here or in the installation's configuration."),
        "no_password": _("%(server)s wants a password, and the installation has none for it. Ask the operator "
                         "to set it in the server's environment.", server=check.server),
        "connect_failed": _("Could not connect to %(server)s. Check the server name and port, and that this "
                            "machine may reach it.", server=check.server),
        "tls_failed": _("Connected to %(server)s, but the encrypted connection failed. Check the port and the "
                        "encryption setting.", server=check.server),
        "login_failed": _("%(server)s refused the user name or password.", server=check.server),
        "folder_missing": _("Logged in to %(server)s, but the folder does not exist.", server=check.server),
        "host_refused": _("Not connected: %(server)s is not allowed. Check the server name, or ask the operator "
                          "to allow the server (TINGET_MAIL_ALLOWED_HOSTS).", server=check.server),
        "port_refused": _("Not connected: %(server)s is not on a mail port (%(ports)s). Change the port, or ask "
                          "the operator to allow it (TINGET_MAIL_ALLOWED_HOSTS).", server=check.server,
                          ports=mail_ports(kind)),
    }.get(check.code, check.code)


def _form(settings: mail_admin.View) -> MailSettingsForm:
    form = MailSettingsForm()
    form.auto_reply_intents.choices = [(t.intent, t.title) for t in settings.topics]
    if not form.is_submitted():
        form.auto_reply_intents.data = settings.auto_reply_intents
        form.min_confidence.data = f"{settings.min_confidence:.2f}"
        form.set_aside_days.data = str(settings.set_aside_days)
        form.sender.data = settings.sender
        for server in (settings.imap, settings.smtp):
            getattr(form, f"{server.kind}_host").data = server.host
            getattr(form, f"{server.kind}_port").data = str(server.port or "") if server.own else ""
            getattr(form, f"{server.kind}_user").data = server.user
            getattr(form, f"{server.kind}_secure").data = server.secure
        form.imap_folder.data = settings.imap.folder
    return form


def _page(form, settings, status=200):
    return render_template("admin/mail.html", form=form, settings=settings), status


@bp.route("/mail", methods=["GET", "POST"])
@admin_required
def mail_settings():
    settings = mail_admin.view(current_user.municipality, ui_lang())
    form = _form(settings)
    if not form.is_submitted():
        return _page(form, settings)
    if not form.validate_on_submit():
        for field in form:
            for error in field.errors:
                flash(f"{field.label.text}: {error}", "error")
        return _page(form, settings, 400)
    try:
        changed = mail_admin.save(
            current_user, auto_reply_intents=form.auto_reply_intents.data or [],
            min_confidence=form.min_confidence.data, set_aside_days=form.set_aside_days.data,
            sender=form.sender.data or "",
            imap={"host": form.imap_host.data, "port": form.imap_port.data, "user": form.imap_user.data,
                  "folder": form.imap_folder.data, "secure": form.imap_secure.data},
            smtp={"host": form.smtp_host.data, "port": form.smtp_port.data, "user": form.smtp_user.data,
                  "secure": form.smtp_secure.data})
    except MailSettingsError as exc:
        for code in exc.codes:
            flash(problem_message(code), "error")
            for name in FIELDS.get(code, ()):
                form[name].render_kw = {**(form[name].render_kw or {}), "aria-invalid": "true"}
        return _page(form, settings, 400)
    flash(_("Mail settings saved.") if changed else _("Nothing was changed."), "success")
    return redirect(url_for("admin.mail_settings"))


@bp.post("/mail/test/<kind>")
@admin_required
def mail_test(kind: str):
    if kind not in mail_admin.SERVERS:
        abort(404)
    require_valid(FlaskForm())
    check = mail_admin.check_connection(current_user.municipality, kind)
    flash(check_message(check, kind), "success" if check.ok else "error")
    return redirect(url_for("admin.mail_settings") + f"#{kind}")
