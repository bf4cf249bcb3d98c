"""Which addresses the server may connect to for a mail server a municipality's admin named.

An admin names the municipality's own IMAP/SMTP server (Admin -> Mail settings), and the server then
connects to it: for "Test incoming/outgoing mail", ``tinget mail poll`` and every reply sent. Without a
rule, any admin could make the server connect to any address it can reach, and read from the answers
(connected / refused / no answer / TLS failed) what listens there: on a region's installation one
municipality's admin could map the region's internal network (the database, Redis, the Rasa servers
on loopback; other machines on private ranges; the cloud's metadata service on 169.254.169.254).

The rule (:class:`AddressPolicy`), on every address the name resolves to:

* never a mail server, refused on every installation: unspecified (0.0.0.0, ``::``, which reach the
  machine itself), link-local (169.254.0.0/16, fe80::/10: cloud metadata services) and multicast;
* internal (loopback, private ranges, shared address space 100.64/10, fc00::/7 and every other address
  that is not globally reachable): refused where several municipalities share the installation. On a
  one-municipality installation the network is the municipality's own (its admin is its staff, and its
  mail server is often on its own network or the same machine), so that case stays as it was;
* the operator may allow names, addresses and networks for every municipality
  (``TINGET_MAIL_ALLOWED_HOSTS``, e.g. ``mail.region.internal, 10.20.0.0/24``).

Where several municipalities share the installation, a municipality's own server is reached on the mail
ports only (:data:`MAIL_PORTS`: IMAP 143 and 993, SMTP 25, 465 and 587), so that an allowed internal host
(or any public one) is not a way to reach its database or Redis port either; an entry of
``TINGET_MAIL_ALLOWED_HOSTS`` with a port (``relay.region.internal:2525``, ``10.20.0.5:1143``,
``[fd00::5]:2525``, ``10.20.0.0/24:2525``) allows that port on that host besides the mail ports.

What the admin hears of a refusal is only that the server (or its port) is not allowed, never why: the
address a name resolves to, and whether it is internal, is the installation's, not the municipality's.
For the same reason, where several municipalities share the installation, a name that does not resolve is
refused like an internal one, on saving and at every connection (else "refused" against "saved", or "not
allowed" against "could not connect" for a name that is an alias of an internal one, would still tell which
internal names exist); the operator's log says which it was.

An IPv4 address written inside an IPv6 one (``::ffff:127.0.0.1``, 6to4, NAT64, Teredo) counts as that
IPv4 address; numbers written as a name (``2130706433``, ``0x7f.1``) are checked as what they resolve to.
The check is made when the settings are saved (the admin hears it at once) and again at every
connection: a name may resolve elsewhere later. The connection then goes to the very addresses checked
(:meth:`AddressPolicy.connect`), so a name that changes between check and connect (DNS rebinding)
cannot slip through; the name is still used for TLS certificate checks.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass

# a host name (RFC 1123 labels, as web.services.mail_admin.HOST)
_NAME = re.compile(r"^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*"
                   r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
NEVER, INTERNAL = "never", "internal"  # what an address is (kind_of)
UNRESOLVED = "unresolved"  # a name that does not resolve, where several municipalities share the installation
HOST, PORT = "host", "port"  # what of a server is refused (AddressRefused.refused, AddressPolicy.check)
# The ports a municipality's own server is reached on where several municipalities share the installation
MAIL_PORTS = {"imap": (143, 993), "smtp": (25, 465, 587)}
_WHY = {NEVER: "an address that is never a mail server", INTERNAL: "an internal address",
        UNRESOLVED: "a name that does not resolve here", PORT: "a port that is not a mail port"}


class AddressRefused(OSError):
    """The server name resolves to an address (or is on a port) a municipality's mail server may not have.
    An ``OSError``, so that code which treats a failed connection as such (a reply not sent) treats this one
    so too. ``refused`` is :data:`HOST` or :data:`PORT`: all the admin is told. The message, for the
    operator's log (``tinget mail poll``), says why."""

    def __init__(self, host: str, why: str, port: int | None = None):
        where = f"{host}:{port}" if why == PORT else host
        super().__init__(f"{where}: {_WHY[why]}, not in TINGET_MAIL_ALLOWED_HOSTS")
        self.host, self.port, self.why = host, port, why
        self.refused = PORT if why == PORT else HOST


def _plain(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, NAT64, Teredo's client), else the address."""
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip.sixtofour is not None:
            return ip.sixtofour
        if ip.teredo is not None:
            return ip.teredo[1]
        if ip in _NAT64:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


def kind_of(address: str) -> str | None:
    """:data:`NEVER`, :data:`INTERNAL` or None (a globally reachable address)."""
    ip = _plain(ipaddress.ip_address(address.split("%", 1)[0]))  # fe80::1%eth0: the zone is no part of it
    if ip.is_unspecified or ip.is_link_local or ip.is_multicast:
        return NEVER
    if not ip.is_global or ip.is_private or ip.is_loopback or ip.is_reserved:
        return INTERNAL
    return None


@dataclass(frozen=True)
class Allowed:
    """An entry of ``TINGET_MAIL_ALLOWED_HOSTS``: a host name or a network (an address is a network of
    one), and the port it allows besides the mail ports (None: the mail ports only)."""

    name: str = ""
    network: ipaddress.IPv4Network | ipaddress.IPv6Network | None = None
    port: int | None = None

    def matches(self, name: str, addresses: Iterable[str] = ()) -> bool:
        """Is the server ``name`` (lower case, no trailing dot), resolving to ``addresses``, this entry's?"""
        if self.network is None:
            return name == self.name
        return any(ip in self.network or _plain(ip) in self.network
                   for ip in (ipaddress.ip_address(a.split("%", 1)[0]) for a in addresses))


def _split_port(entry: str) -> tuple[str, int | None]:
    """``host:port``, ``[v6]:port``, ``10.0.0.0/24:port`` -> (host, port); a bare IPv6 address has no port."""
    if entry.startswith("["):
        host, sep, rest = entry[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            raise ValueError
        port = rest[1:] if rest else None
    elif entry.count(":") == 1:
        host, port = entry.split(":")
    else:
        return entry, None
    if port is None:
        return host, None
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ValueError
    return host, int(port)


def parse_allowed(text: str) -> tuple[Allowed, ...]:
    """``TINGET_MAIL_ALLOWED_HOSTS``: comma-separated host names, addresses and networks (CIDR), each with a
    port or not (``name:2525``, ``[fd00::5]:2525``). Raises ValueError naming the first entry that is none
    of these."""
    out = []
    for entry in (e.strip() for e in (text or "").split(",")):
        if not entry:
            continue
        try:
            host, port = _split_port(entry)
            try:
                out.append(Allowed(network=ipaddress.ip_network(host, strict=False), port=port))
                continue
            except ValueError:
                pass
            if not _NAME.match(host.rstrip(".")) or host.strip(".").replace(".", "").isdigit():
                raise ValueError
        except ValueError:
            raise ValueError(f"{entry!r} is not a host name, an IP address or a network such as 10.20.0.0/24, "
                             "with a port or not (mail.region.internal:2525)") from None
        out.append(Allowed(name=host.rstrip(".").lower(), port=port))
    return tuple(out)


@dataclass(frozen=True)
class AddressPolicy:
    """What an admin-named mail server may resolve to, and on which ports (see the module's docstring)."""

    region: bool  # several municipalities share the installation: internal addresses and other ports are refused
    allowed: tuple[Allowed, ...] = ()
    ports: tuple[int, ...] = ()  # the mail ports of the server's kind (MAIL_PORTS); () = any port

    @classmethod
    def of(cls, region: bool, allowed: str | Iterable[str] = "", kind: str | None = None) -> AddressPolicy:
        """``kind`` ("imap", "smtp") gives the mail ports; without it any port is the mail port."""
        entries = parse_allowed(allowed if isinstance(allowed, str) else ",".join(allowed))
        return cls(region, entries, MAIL_PORTS[kind] if kind else ())

    def refusal(self, address: str) -> str | None:
        """Why ``address`` may not be connected to (:data:`NEVER` or :data:`INTERNAL`), or None."""
        kind = kind_of(address)
        if kind is None or (kind == INTERNAL and not self.region):
            return None
        if any(e.matches("", [address]) for e in self.allowed if e.network is not None):
            return None
        return kind

    def port_allowed(self, name: str, port: int, addresses: Iterable[str] = ()) -> bool:
        """A mail port, or one an entry allows for this server; any port on a one-municipality installation."""
        if not self.region or not self.ports or port in self.ports:
            return True
        return any(e.port == port and e.matches(name, addresses) for e in self.allowed)

    def _named(self, name: str) -> bool:
        return any(e.name == name for e in self.allowed)

    def resolve(self, host: str, port: int) -> list[tuple]:
        """The addresses to connect to (``getaddrinfo`` rows). Raises :class:`AddressRefused` if any address
        of the name is refused (a name pointing both out and in is refused as a whole) or the port is,
        ``OSError`` when the name does not resolve (:class:`AddressRefused` where several municipalities share
        the installation, unless the operator allowed the name)."""
        name = host.rstrip(".").lower()
        try:
            rows = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError):
            if self.region and not self._named(name):
                raise AddressRefused(host, UNRESOLVED) from None
            raise
        addresses = [row[4][0] for row in rows]
        if not self._named(name):
            kinds = {self.refusal(address) for address in addresses} - {None}
            if kinds:
                raise AddressRefused(host, NEVER if NEVER in kinds else INTERNAL)
        if not self.port_allowed(name, port, addresses):
            raise AddressRefused(host, PORT, port)
        return rows

    def check(self, host: str, port: int) -> str | None:
        """For saving the settings: :data:`HOST` or :data:`PORT` when the server is refused, else None.
        A name that does not resolve now is refused as :data:`HOST` where several municipalities share the
        installation (:meth:`resolve`); it passes where the installation is the municipality's own, and as a
        name the operator allowed (the connection says so, and is checked again)."""
        try:
            self.resolve(host, port)
        except AddressRefused as exc:
            return exc.refused
        except (OSError, UnicodeError):
            return None if self.port_allowed(host.rstrip(".").lower(), port) else PORT
        return None

    def connect(self, host: str, port: int, timeout: float | None) -> socket.socket:
        """``socket.create_connection`` to the addresses :meth:`resolve` checked, and no others."""
        error: OSError | None = None
        for family, kind, proto, _name, address in self.resolve(host, port):
            sock = socket.socket(family, kind, proto)
            try:
                if timeout is not None:
                    sock.settimeout(timeout)
                sock.connect(address)
                return sock
            except OSError as exc:
                sock.close()
                error = exc
        raise error or OSError(f"{host}: no address")
