"""A municipality's own mail server may not be inside the installation's network (mail/netguard.py).

On a region's installation Fjordvik's admin names "the municipality's own" SMTP/IMAP server and presses
"Test outgoing/incoming mail": the server connected wherever the name pointed, so the answers (connected,
refused, no answer) mapped the region's internal network: loopback (the database, Redis, Rasa), private
ranges, the cloud's metadata service on 169.254.169.254. Here a listener on loopback stands for such an
internal service and counts every connection it gets; it must get none, on saving, on the test buttons,
on sending a reply and on `tinget mail poll`, unless the operator allows the address
(TINGET_MAIL_ALLOWED_HOSTS). A one-municipality installation may still use a server on its own network.

Nor may the refusal tell the admin what a name resolves to (it said "in the installation's own network
(loopback or a private address)" or "link-local"), and a server the rule allows is reached on the mail
ports only (it could be pointed at an allowed host's 5432 or 6379)."""

from __future__ import annotations

import re
import socket

import pytest

from tests.admin.helpers import admin_client
from tests.conftest import csrf_token, dispose, make_app
from tests.processes import LoopbackListener
from tests.web.test_i18n import compiled_catalogues  # noqa: F401  (autouse: builds stale .mo files)


class Listener(LoopbackListener):
    """An internal service on a loopback port: accepts, counts and closes every connection."""

    def __init__(self):
        self.connections = 0
        super().__init__()

    def handle(self, conn):
        self.connections += 1
        conn.close()


@pytest.fixture
def internal():
    listener = Listener()
    yield listener
    listener.sock.close()


def _region(tmp_path, **config):
    """Fjordvik and Elvdal on one installation."""
    from kb.importer import load_municipality
    from tests.web.test_tenant_isolation import _elvdal_file
    from web.extensions import db

    app = make_app(tmp_path, **config)
    with app.app_context():
        load_municipality(db.session, _elvdal_file(tmp_path))
        db.session.commit()
    return app


@pytest.fixture
def region(tmp_path):
    app = _region(tmp_path)
    yield app
    dispose(app)


def _post_settings(client, **fields):
    page = client.get("/admin/mail").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "min_confidence": "0.9", "set_aside_days": "30", **fields}
    return client.post("/admin/mail", data=data)


def _test_button(client, kind) -> str:
    token = csrf_token(client.get("/admin/mail").get_data(as_text=True))
    resp = client.post(f"/admin/mail/test/{kind}", data={"csrf_token": token})
    assert resp.status_code == 302
    return client.get(resp.headers["Location"]).get_data(as_text=True).replace("&#39;", "'")


def _own_servers(app, host, port):
    """Fjordvik's own servers as stored (saved before the installation had a second municipality, or a name
    that pointed outside when it was saved)."""
    from web.extensions import db
    from web.services.mail import municipality_for

    with app.app_context():
        m = municipality_for("fjordvik")
        m.settings = {**m.settings, "mail": {**(m.settings.get("mail") or {}),
                                             "smtp": {"host": host, "port": port, "user": "", "starttls": False},
                                             "imap": {"host": host, "port": port, "user": "x", "ssl": False,
                                                      "folder": "INBOX"}}}
        db.session.commit()


INTERNAL = ["127.0.0.1", "localhost", "2130706433", "::1", "::ffff:127.0.0.1", "10.1.2.3", "192.168.0.1"]
NEVER = ["169.254.169.254", "0.0.0.0", "fe80::1"]  # noqa: S104 - a refused address, not a bind


NOT_ALLOWED = "The server is not allowed. Check the name, or ask the operator to allow the server (TINGET_MAIL_ALLOWED_HOSTS)."
# what a refusal said of the address before (mail.netguard's reasons): the admin is told none of it
REASONS = ("own network", "loopback", "private", "link-local", "multicast", "unspecified", "internal")


def _flashes(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", m).strip() for m in re.findall(r'<p class="flash[^"]*"[^>]*>(.*?)</p>', html, re.S)]


@pytest.mark.parametrize("host", INTERNAL + NEVER)
@pytest.mark.parametrize("kind", ["smtp", "imap"])
def test_a_server_in_the_regions_network_is_refused_on_saving(region, internal, host, kind):
    from web.services.mail import municipality_for

    admin = admin_client(region)
    resp = _post_settings(admin, **{f"{kind}_host": host, f"{kind}_port": str(internal.port)})
    assert resp.status_code == 400, resp.status_code
    html = resp.get_data(as_text=True).replace("&#39;", "'")
    server = "Outgoing mail (SMTP)" if kind == "smtp" else "Incoming mail (IMAP)"
    assert _flashes(html) == [f"{server}: {NOT_ALLOWED}"], _flashes(html)
    assert 'aria-invalid="true"' in re.search(rf'<input[^>]*name="{kind}_host"[^>]*>', html).group(0)
    with region.app_context():
        assert kind not in (municipality_for("fjordvik").settings.get("mail") or {})
    assert internal.connections == 0


def test_the_refusal_does_not_tell_what_a_name_resolves_to(region, monkeypatch):
    """Elvdal's admin probes the region's names: one resolving to the database's private address, one to the
    metadata service, one that does not resolve at all. Each gets the same words, none of them what the
    name is; a name pointing outside is saved."""
    import mail.netguard

    real = socket.getaddrinfo
    answers = {"db.region.internal": "10.20.0.7", "metadata.region.internal": "169.254.169.254",
               "mail.fjordvik.example": "93.184.216.34"}

    def resolve(host, port, *args, **kwargs):
        if host == "nothing.region.internal":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(answers.get(host, host), port, *args, **kwargs)

    monkeypatch.setattr(mail.netguard.socket, "getaddrinfo", resolve)
    admin = admin_client(region)
    said = {}
    for host in ("db.region.internal", "metadata.region.internal", "nothing.region.internal"):
        resp = _post_settings(admin, smtp_host=host)
        assert resp.status_code == 400
        html = resp.get_data(as_text=True).replace("&#39;", "'")
        said[host] = _flashes(html)
        assert "10.20.0.7" not in html and "169.254" not in html
    assert list(said.values()) == [[f"Outgoing mail (SMTP): {NOT_ALLOWED}"]] * 3, said
    assert not any(word in said["db.region.internal"][0].lower() for word in REASONS)
    assert _post_settings(admin, smtp_host="mail.fjordvik.example").status_code == 302


def test_a_one_municipality_installation_may_save_a_name_that_does_not_resolve_now(tmp_path):
    """Its admin is the installation's own: a name that does not resolve at the moment is saved as before
    (the connection test says so), and nothing is refused for its port."""
    app = make_app(tmp_path)
    admin = admin_client(app)
    assert _post_settings(admin, smtp_host="nothing.invalid", smtp_port="2525").status_code == 302
    dispose(app)


def test_a_stored_internal_server_is_refused_at_every_connection(region, internal, tmp_path):
    """The check is made again when connecting: settings saved while the installation had one municipality
    (or a name that resolved elsewhere then) reach nothing inside either."""
    from web.services.mail import municipality_for, poll_imap
    from web.services.smtp import smtp_settings

    _own_servers(region, "127.0.0.1", internal.port)
    admin = admin_client(region)
    for kind in ("smtp", "imap"):
        html = _test_button(admin, kind)
        assert (f"Not connected: 127.0.0.1:{internal.port} is not allowed. Check the server name, or ask the "
                "operator to allow the server (TINGET_MAIL_ALLOWED_HOSTS).") in html, html[:3000]
        assert not any(word in html for word in ("own network", "loopback", "private address"))
    from mail.netguard import AddressRefused
    from mail.outbound import compose_reply, send

    with region.app_context():
        m = municipality_for("fjordvik")
        msg = compose_reply(from_addr="postmottak@fjordvik.example", from_name="", to="kari@example.org",
                            subject="Hei", body="Svar", in_reply_to="")
        with pytest.raises(AddressRefused):
            send(msg, smtp_settings(m))
        with pytest.raises(AddressRefused):
            poll_imap(m)
    from web.cli import cli

    result = region.test_cli_runner().invoke(cli, ["mail", "poll", "--municipality", "fjordvik"])
    assert result.exit_code != 0 and "TINGET_MAIL_ALLOWED_HOSTS" in result.output, result.output
    assert internal.connections == 0


def test_a_name_that_points_inside_is_refused_when_it_is_used(region, internal, monkeypatch):
    """A name that pointed outside when it was saved and points inside now (DNS changed, or rebinding)."""
    import mail.netguard

    real = socket.getaddrinfo
    answers = {"smtp.fjordvik.example": "127.0.0.1"}

    def resolve(host, port, *args, **kwargs):
        return real(answers.get(host, host), port, *args, **kwargs)

    monkeypatch.setattr(mail.netguard.socket, "getaddrinfo", resolve)
    _own_servers(region, "smtp.fjordvik.example", internal.port)
    html = _test_button(admin_client(region), "smtp")
    assert f"Not connected: smtp.fjordvik.example:{internal.port} is not allowed." in html
    assert internal.connections == 0


def test_the_operator_allows_an_internal_mail_server(tmp_path, smtp_sink, monkeypatch):
    """TINGET_MAIL_ALLOWED_HOSTS: a name, an address or a network the municipalities may use, here with the
    port of the test's SMTP server (not a mail port); the connection goes to the address checked, and the
    name stays the server's (STARTTLS checks the certificate for it)."""
    import mail.netguard

    real = socket.getaddrinfo
    monkeypatch.setattr(mail.netguard.socket, "getaddrinfo", lambda host, port, *a, **k: real(
        "127.0.0.1" if host == "relay.region.internal" else host, port, *a, **k))
    port = smtp_sink.port
    for allowed, host in (([f"127.0.0.0/8:{port}"], "127.0.0.1"), ([f"relay.region.internal:{port}"], "relay.region.internal")):
        (tmp_path / host).mkdir()
        app = _region(tmp_path / host, MAIL_ALLOWED_HOSTS=allowed)
        admin = admin_client(app)
        resp = _post_settings(admin, smtp_host=host, smtp_port=str(smtp_sink.port))
        assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
        html = _test_button(admin, "smtp")
        assert f"Connected and logged in to {host}:{smtp_sink.port}. No mail was read or sent." in html
        # another internal address is still refused
        assert _post_settings(admin, smtp_host="10.1.2.3").status_code == 400
        dispose(app)


def test_one_municipality_may_use_its_own_network_but_never_link_local(tmp_path, smtp_sink):
    """A one-municipality installation's network is the municipality's own: its server may be on loopback or a
    private address, as before. Link-local (the cloud's metadata service) is never a mail server."""
    app = make_app(tmp_path)
    admin = admin_client(app)
    assert _post_settings(admin, smtp_host="127.0.0.1", smtp_port=str(smtp_sink.port)).status_code == 302
    assert f"Connected and logged in to 127.0.0.1:{smtp_sink.port}" in _test_button(admin, "smtp")
    resp = _post_settings(admin, smtp_host="169.254.169.254", smtp_port="80")
    assert resp.status_code == 400
    assert _flashes(resp.get_data(as_text=True).replace("&#39;", "'")) == [f"Outgoing mail (SMTP): {NOT_ALLOWED}"]
    dispose(app)


@pytest.mark.parametrize(("address", "kind"), [
    ("8.8.8.8", None), ("2001:4860:4860::8888", None),
    ("127.0.0.2", "internal"), ("10.0.0.1", "internal"), ("172.16.5.4", "internal"), ("100.64.0.1", "internal"),
    ("fd00:ec2::254", "internal"), ("::ffff:10.0.0.1", "internal"), ("2002:7f00:1::", "internal"),
    ("64:ff9b::a9fe:a9fe", "never"), ("::ffff:169.254.169.254", "never"), ("169.254.169.254", "never"),
    ("fe80::1%eth0", "never"), ("::", "never"), ("224.0.0.1", "never"),
])
def test_addresses_inside_other_addresses_count_as_what_they_carry(address, kind):
    from mail.netguard import kind_of

    assert kind_of(address) == kind


def test_the_allowed_hosts_setting_is_checked():
    from mail.netguard import parse_allowed

    entries = parse_allowed(" mail.region.internal , 10.20.0.0/24,fd00::1, relay.region.internal:2525, "
                            "10.20.0.5:1143, [fd00::5]:2525, 10.30.0.0/24:587, [fd00::6] ")
    assert [(e.name, str(e.network) if e.network else "", e.port) for e in entries] == [
        ("mail.region.internal", "", None), ("", "10.20.0.0/24", None), ("", "fd00::1/128", None),
        ("relay.region.internal", "", 2525), ("", "10.20.0.5/32", 1143), ("", "fd00::5/128", 2525),
        ("", "10.30.0.0/24", 587), ("", "fd00::6/128", None)]
    for bad in ("mail server", "10.0.0.0/33", "http://mail.example", "relay:0", "relay:70000", "relay:smtp",
                "[fd00::5]2525", "[fd00::5", "2130706433:25"):
        with pytest.raises(ValueError, match="is not a host name, an IP address or a network"):
            parse_allowed(bad)


def test_the_refusal_is_in_the_admins_language(region):
    admin = admin_client(region, lang="nn")
    resp = _post_settings(admin, imap_host="10.1.2.3")
    assert resp.status_code == 400
    assert "Innkomande e-post (IMAP): Tenaren er ikkje tillaten." in resp.get_data(as_text=True)


def test_a_server_the_rule_allows_is_reached_on_the_mail_ports_only(tmp_path, internal, monkeypatch):
    """The operator allows the region's relay; Fjordvik's admin points the servers at its database and
    Redis ports (or at any port of a public host): refused on saving, with the mail ports named, and at
    every connection for a server stored before. An entry with a port allows that port (see above)."""
    import mail.netguard
    from mail.outbound import compose_reply, send
    from web.services.mail import municipality_for, poll_imap
    from web.services.smtp import smtp_settings

    real = socket.getaddrinfo
    answers = {"relay.region.internal": "127.0.0.1", "mail.fjordvik.example": "93.184.216.34"}
    monkeypatch.setattr(mail.netguard.socket, "getaddrinfo",
                        lambda host, port, *a, **k: real(answers.get(host, host), port, *a, **k))
    app = _region(tmp_path, MAIL_ALLOWED_HOSTS=["relay.region.internal"])
    admin = admin_client(app)
    for fields, said, field in (
            ({"smtp_host": "relay.region.internal", "smtp_port": "5432"},
             "Outgoing mail (SMTP): The port is not allowed. Use a mail port (25, 465, 587), or ask the operator "
             "to allow this port for the server (TINGET_MAIL_ALLOWED_HOSTS).", "smtp_port"),
            ({"imap_host": "relay.region.internal", "imap_port": "6379"},
             "Incoming mail (IMAP): The port is not allowed. Use a mail port (143, 993), or ask the operator to "
             "allow this port for the server (TINGET_MAIL_ALLOWED_HOSTS).", "imap_port"),
            ({"smtp_host": "mail.fjordvik.example", "smtp_port": "8080"},
             "Outgoing mail (SMTP): The port is not allowed. Use a mail port (25, 465, 587), or ask the operator "
             "to allow this port for the server (TINGET_MAIL_ALLOWED_HOSTS).", "smtp_port")):
        resp = _post_settings(admin, **fields)
        assert resp.status_code == 400
        html = resp.get_data(as_text=True).replace("&#39;", "'")
        assert _flashes(html) == [said], _flashes(html)
        port_input = re.search(rf'<input[^>]*name="{field}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in port_input and f'value="{fields[field]}"' in port_input  # kept as typed
    for port in ("25", "465", "587"):
        assert _post_settings(admin, smtp_host="relay.region.internal", smtp_port=port).status_code == 302
    for port in ("143", "993"):
        assert _post_settings(admin, imap_host="relay.region.internal", imap_port=port).status_code == 302
    assert _post_settings(admin, imap_host="relay.region.internal", imap_port="587").status_code == 400

    # stored before the rule (or before the second municipality): refused at the connection, nothing reached
    _own_servers(app, "relay.region.internal", internal.port)
    assert (f"Not connected: relay.region.internal:{internal.port} is not on a mail port (25, 465, 587). Change "
            "the port, or ask the operator to allow it (TINGET_MAIL_ALLOWED_HOSTS).") in _test_button(admin, "smtp")
    assert f"relay.region.internal:{internal.port} is not on a mail port (143, 993)" in _test_button(admin, "imap")
    from mail.netguard import AddressRefused

    with app.app_context():
        m = municipality_for("fjordvik")
        msg = compose_reply(from_addr="postmottak@fjordvik.example", from_name="", to="kari@example.org",
                            subject="Hei", body="Svar", in_reply_to="")
        with pytest.raises(AddressRefused, match="not a mail port"):
            send(msg, smtp_settings(m))
        with pytest.raises(AddressRefused):
            poll_imap(m)
    assert internal.connections == 0
    dispose(app)


def test_the_port_refusal_is_in_the_admins_language(region):
    admin = admin_client(region, lang="fi")
    resp = _post_settings(admin, smtp_host="127.0.0.1", smtp_port="6379")
    assert resp.status_code == 400  # the host is refused first: nothing is said of the port
    resp = _post_settings(admin, smtp_host="93.184.216.34", smtp_port="6379")
    assert resp.status_code == 400
    assert "Portti ei ole sallittu. Käytä sähköpostiporttia (25, 465, 587)" in resp.get_data(as_text=True)


def test_a_name_that_does_not_resolve_is_told_like_a_refused_one_at_the_connection(region, monkeypatch):
    """Saved while it pointed outside, the name is now an alias of an internal name that exists, or of one that
    does not: 'not allowed' against 'could not connect' told the two apart. Both are 'not allowed' for the
    admin; the operator's log (`tinget mail poll`) says which it was. A one-municipality installation still
    hears that the name could not be reached."""
    import mail.netguard

    real = socket.getaddrinfo
    answers = {"alias-db.fjordvik.example": "10.20.0.7"}

    def resolve(host, port, *args, **kwargs):
        if host.startswith("alias-gone"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(answers.get(host, host), port, *args, **kwargs)

    monkeypatch.setattr(mail.netguard.socket, "getaddrinfo", resolve)
    admin = admin_client(region)
    said = []
    for host in ("alias-db.fjordvik.example", "alias-gone.fjordvik.example"):
        _own_servers(region, host, 587)
        said.append(_flashes(_test_button(admin, "smtp"))[0].replace(host, "HOST"))
    assert said[0] == said[1] == ("Not connected: HOST:587 is not allowed. Check the server name, or ask the operator "
                                  "to allow the server (TINGET_MAIL_ALLOWED_HOSTS)."), said
    from web.cli import cli

    _own_servers(region, "alias-gone.fjordvik.example", 993)
    result = region.test_cli_runner().invoke(cli, ["mail", "poll", "--municipality", "fjordvik"])
    assert result.exit_code != 0 and "a name that does not resolve here" in result.output, result.output


def test_one_municipality_hears_that_its_servers_name_does_not_resolve(tmp_path, monkeypatch):
    import mail.netguard

    def resolve(host, port, *args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(mail.netguard.socket, "getaddrinfo", resolve)
    app = make_app(tmp_path)
    _own_servers(app, "gone.fjordvik.example", 2525)
    assert "Could not connect to gone.fjordvik.example:2525." in _test_button(admin_client(app), "smtp")
    dispose(app)
