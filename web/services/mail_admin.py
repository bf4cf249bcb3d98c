"""The admin's mail settings page: which topics may be answered automatically by e-mail, how long
set-aside mail is kept, and the municipality's own postbox (IMAP) and outgoing mail server (SMTP).

Everything is stored in ``Municipality.settings["mail"]`` (read by :class:`mail.triage.MailSettings`
and :class:`web.services.mail_settings.OwnOrConfig`). A server left without a host falls back to the
installation's configuration. Passwords are never stored here: they stay in the installation's
environment, the installation's servers' in ``TINGET_IMAP_PASSWORD``/``TINGET_SMTP_PASSWORD``, an own
server's in ``TINGET_IMAP_PASSWORD_<SLUG>``/``TINGET_SMTP_PASSWORD_<SLUG>`` (never the installation's:
see web.services.mail_settings), and the page only says whether one is set, and where.
A change is recorded in the audit log with the names of the settings changed (never their values).
An own server's name is checked against the installation's address policy when it is saved (the admin
hears it at once) and again at every connection (web.services.mail_settings.address_policy).
"""

from __future__ import annotations

import imaplib
import re
import smtplib
import ssl
from dataclasses import dataclass, field

from kb import editing
from mail.netguard import AddressRefused
from mail.triage import MailSettings
from tinget.catalog import load_catalogue
from tinget.text import first_control
from web.extensions import db
from web.models import AuditEvent, User
from web.services.mail_settings import OwnOrConfig, address_policy, own_mail, sender_allowed
from web.services.user_admin import EMAIL

MIN_CONFIDENCE, MAX_CONFIDENCE = 0.5, 1.0
MIN_DAYS, MAX_DAYS = 1, 365
# A host name (RFC 1123 labels), an IPv4 address or a bracket-less IPv6 address.
HOST = re.compile(r"^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*"
                  r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$|^[0-9A-Fa-f:.]{2,45}$")
TEST_TIMEOUT = 10.0  # seconds: an admin waits for the answer
SERVERS = {"imap": "MAIL_IMAP", "smtp": "SMTP"}
DEFAULT_PORTS = {"imap": 993, "smtp": 25}


class MailSettingsError(ValueError):
    """The settings were not saved; ``codes`` say each problem (see web.admin.mail_routes.problem_message)."""

    def __init__(self, codes: list[str]):
        super().__init__(", ".join(codes))
        self.codes = codes


@dataclass
class Server:
    """One mail server as the page shows it: the municipality's own values, and the installation's."""

    kind: str  # imap | smtp
    host: str = ""
    port: int | None = None
    user: str = ""
    folder: str = ""  # imap only
    secure: bool = True  # imap: SSL/TLS from the start; smtp: STARTTLS
    installation_host: str = ""
    installation_port: int | None = None
    password_set: bool = False  # the environment has a password for the server in use
    password_env: str = ""  # the environment variable it is read from (the installation's, or the own server's)

    @property
    def own(self) -> bool:
        return bool(self.host)


@dataclass
class Topic:
    intent: str
    title: str  # the KB article's title in the admin's language (or bokmål, or the key)


@dataclass
class View:
    auto_reply_intents: list[str]
    min_confidence: float
    set_aside_days: int
    sender: str  # the own From address ("" = the municipality's e-mail or the installation's)
    imap: Server
    smtp: Server
    topics: list[Topic] = field(default_factory=list)


def topics(municipality, lang: str) -> list[Topic]:
    """The topics the bot can answer, named by their KB article's title in ``lang`` (else bokmål)."""
    titles: dict[tuple[str, str], str] = {}
    for entry in editing.entries(db.session, municipality):
        if entry.served is not None and entry.served.title:
            titles[(entry.intent, entry.lang)] = entry.served.title
    return [Topic(intent, titles.get((intent, lang)) or titles.get((intent, "nb")) or intent)
            for intent in load_catalogue().topics]


def _server(municipality, kind: str) -> Server:
    own = own_mail(municipality).get(kind) or {}
    cfg = OwnOrConfig(municipality, kind, SERVERS[kind])
    secure_key = "ssl" if kind == "imap" else "starttls"
    return Server(kind=kind, host=own.get("host") or "", port=own.get("port"), user=own.get("user") or "",
                  folder=own.get("folder") or "", secure=cfg.flag(secure_key, kind == "imap"),
                  installation_host=cfg.config("host") or "", installation_port=cfg.config("port"),
                  password_set=bool(cfg.password()), password_env=cfg.password_env())


def view(municipality, lang: str) -> View:
    s = MailSettings.from_settings(municipality.settings)
    return View(auto_reply_intents=list(s.auto_reply_intents), min_confidence=s.auto_reply_min_confidence,
                set_aside_days=s.set_aside_days, sender=own_mail(municipality).get("from") or "",
                imap=_server(municipality, "imap"), smtp=_server(municipality, "smtp"),
                topics=topics(municipality, lang))


# ------------------------------------------------------------------------------ saving
def _text(value: str | None) -> str:
    return (value or "").strip()


def _server_values(kind: str, data: dict, problems: list[str]) -> dict | None:
    """The own server section from the form, ``None`` when no host is given (the installation's is used)."""
    host = _text(data.get("host"))
    if not host:
        return None
    port = data.get("port")
    if port in (None, ""):
        port = DEFAULT_PORTS[kind]
    try:
        port = int(port)
    except (TypeError, ValueError):
        port = 0
    if not HOST.match(host):
        problems.append(f"{kind}_host_invalid")
    if not 1 <= port <= 65535:
        problems.append(f"{kind}_port_invalid")
    elif HOST.match(host) and (refused := address_policy(kind).check(host, port)):  # "host" | "port" (mail.netguard)
        problems.append(f"{kind}_{refused}_refused")
    user = _text(data.get("user"))
    folder = _text(data.get("folder")) if kind == "imap" else ""
    if len(user) > 200 or first_control(user) or len(folder) > 200 or first_control(folder):
        problems.append(f"{kind}_text_invalid")
    out = {"host": host, "port": port, "user": user, ("ssl" if kind == "imap" else "starttls"): bool(data.get("secure"))}
    if kind == "imap":
        out["folder"] = folder or "INBOX"
    return out


def save(admin: User, *, auto_reply_intents: list[str], min_confidence, set_aside_days, sender: str,
         imap: dict, smtp: dict) -> list[str]:
    """Store the admin's municipality's mail settings; returns the names of the settings changed.
    Raises :class:`MailSettingsError` with every problem found; then nothing is stored."""
    municipality = admin.municipality
    problems: list[str] = []
    known = load_catalogue().topics
    intents = list(dict.fromkeys(auto_reply_intents or []))
    if any(i not in known for i in intents):
        problems.append("intent_unknown")
    try:
        confidence = round(float(str(min_confidence).strip().replace(",", ".")), 2)  # "0,9" as Nordic admins write it
    except (TypeError, ValueError):
        confidence = -1.0
    if not MIN_CONFIDENCE <= confidence <= MAX_CONFIDENCE:  # also NaN
        problems.append("confidence_invalid")
    try:
        days = int(set_aside_days)
    except (TypeError, ValueError):
        days = 0
    if not MIN_DAYS <= days <= MAX_DAYS:
        problems.append("days_invalid")
    sender = _text(sender)
    if sender and (len(sender) > 200 or first_control(sender) or not EMAIL.match(sender)):
        problems.append("sender_invalid")
    servers = {"imap": _server_values("imap", imap, problems), "smtp": _server_values("smtp", smtp, problems)}
    if sender and "sender_invalid" not in problems and servers["smtp"] is None \
            and not sender_allowed(municipality, sender):
        problems.append("sender_foreign")  # the installation's server: only the own domains (mail_settings)
    if problems:
        raise MailSettingsError(problems)

    old = dict(own_mail(municipality))
    new = {k: v for k, v in old.items() if k not in ("imap", "smtp", "from")}  # keep keys this page does not edit
    new.update(auto_reply_intents=[i for i in known if i in intents], auto_reply_min_confidence=confidence,
               set_aside_days=days)
    if sender:
        new["from"] = sender
    for kind, values in servers.items():
        if values is not None:
            new[kind] = values
    changed = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
    if changed:
        # a new dict: the JSON column notices a replaced value, not one changed in place
        municipality.settings = {**(municipality.settings or {}), "mail": new}
        db.session.add(AuditEvent(municipality_id=municipality.id, actor=admin.email, action="mail_settings",
                                  target=f"municipality:{municipality.slug}", details={"changed": changed}))
    db.session.commit()
    return changed


# ------------------------------------------------------------------------------ connection tests
@dataclass
class Check:
    ok: bool
    code: str  # ok | not_configured | no_password | connect_failed | tls_failed | login_failed | folder_missing
    #            | host_refused | port_refused (mail.netguard refused the server: nothing was connected to)
    server: str = ""  # host:port tried


def check_connection(municipality, kind: str) -> Check:
    """Connect to the configured server, log in (and for IMAP open the folder); nothing is sent or read."""
    if kind not in SERVERS:
        raise ValueError(f"unknown server kind {kind!r}")
    from web.services.mail import imap_settings
    from web.services.smtp import smtp_settings

    s = imap_settings(municipality) if kind == "imap" else smtp_settings(municipality)
    if s is None:
        return Check(False, "not_configured")
    try:
        code = _check_imap(s) if kind == "imap" else _check_smtp(s)
    except AddressRefused as exc:  # mail.netguard refused the server: nothing was connected to
        code = f"{exc.refused}_refused"
    return Check(code == "ok", code, f"{s.host}:{s.port}")


def _check_imap(s) -> str:
    """:attr:`Check.code` of logging in to the postbox and opening its folder (AddressRefused passes on)."""
    from imapclient.exceptions import LoginError

    from mail.imap import logout, open_client

    try:
        client = open_client(s, timeout=TEST_TIMEOUT)
    except AddressRefused:
        raise
    except ssl.SSLError:
        return "tls_failed"
    except (OSError, imaplib.IMAP4.error):
        return "connect_failed"
    try:
        try:
            client.login(s.user, s.password)
        except (LoginError, imaplib.IMAP4.error):
            return "login_failed" if s.password else "no_password"
        try:
            client.select_folder(s.folder, readonly=True)
        except imaplib.IMAP4.error:
            return "folder_missing"
        return "ok"
    except (OSError, ssl.SSLError):
        return "connect_failed"
    finally:
        logout(client)


def _check_smtp(s) -> str:
    """:attr:`Check.code` of greeting (STARTTLS) and logging in to the SMTP server (AddressRefused passes on)."""
    from mail.outbound import open_smtp

    try:
        with open_smtp(s, timeout=min(TEST_TIMEOUT, s.timeout)) as smtp:
            if s.starttls:
                try:
                    smtp.starttls(context=ssl.create_default_context())
                except (smtplib.SMTPException, ssl.SSLError):
                    return "tls_failed"
            if s.user:
                if not s.password:
                    return "no_password"
                try:
                    smtp.login(s.user, s.password)
                except smtplib.SMTPException:
                    return "login_failed"
            smtp.noop()
        return "ok"
    except AddressRefused:
        raise
    except (TimeoutError, OSError, smtplib.SMTPException):
        return "connect_failed"
