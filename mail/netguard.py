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
from dataclasses import dataclass, field

# a host name (RFC 1123 labels, as web.services.mail_admin.HOST)
_NAME = re.compile(r"^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*"
                   r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
NEVER, INTERNAL = "never", "internal"  # AddressRefused.kind


class AddressRefused(OSError):
    """The server name resolves to an address a municipality's mail server may not have. An ``OSError``, so
    that code which treats a failed connection as such (a reply not sent) treats this one so too."""

    def __init__(self, host: str, kind: str):
        super().__init__(f"{host}: the mail server's address is {'never a mail server' if kind == NEVER else 'internal'}"
                         " and not in TINGET_MAIL_ALLOWED_HOSTS")
        self.host, self.kind = host, kind


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


def parse_allowed(text: str) -> tuple[frozenset[str], tuple]:
    """``TINGET_MAIL_ALLOWED_HOSTS``: comma-separated host names, addresses and networks (CIDR).
    Raises ValueError naming the first entry that is none of these."""
    names: set[str] = set()
    networks = []
    for entry in (e.strip() for e in (text or "").split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
            continue
        except ValueError:
            pass
        if not _NAME.match(entry.rstrip(".")) or entry.strip(".").replace(".", "").isdigit():
            raise ValueError(f"{entry!r} is not a host name, an IP address or a network such as 10.20.0.0/24")
        names.add(entry.rstrip(".").lower())
    return frozenset(names), tuple(networks)


@dataclass(frozen=True)
class AddressPolicy:
    """What an admin-named mail server may resolve to (see the module's docstring)."""

    region: bool  # several municipalities share the installation: internal addresses are refused too
    allowed_names: frozenset[str] = field(default_factory=frozenset)
    allowed_networks: tuple = ()

    @classmethod
    def of(cls, region: bool, allowed: str | Iterable[str] = "") -> AddressPolicy:
        names, networks = parse_allowed(allowed if isinstance(allowed, str) else ",".join(allowed))
        return cls(region, names, networks)

    def refusal(self, address: str) -> str | None:
        """Why ``address`` may not be connected to (:data:`NEVER` or :data:`INTERNAL`), or None."""
        kind = kind_of(address)
        if kind is None or (kind == INTERNAL and not self.region):
            return None
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if any(ip in net or _plain(ip) in net for net in self.allowed_networks):
            return None
        return kind

    def resolve(self, host: str, port: int) -> list[tuple]:
        """The addresses to connect to (``getaddrinfo`` rows). Raises :class:`AddressRefused` if any address
        of the name is refused (a name pointing both out and in is refused as a whole), ``OSError`` when the
        name does not resolve."""
        rows = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
        if host.rstrip(".").lower() in self.allowed_names:
            return rows
        kinds = {self.refusal(row[4][0]) for row in rows} - {None}
        if kinds:
            raise AddressRefused(host, NEVER if NEVER in kinds else INTERNAL)
        return rows

    def check(self, host: str) -> str | None:
        """For saving the settings: the refusal of a name that resolves (:data:`NEVER` / :data:`INTERNAL`),
        None when it is allowed or does not resolve now (then the connection says so, and is checked again)."""
        try:
            self.resolve(host, 0)
        except AddressRefused as exc:
            return exc.kind
        except (OSError, UnicodeError):
            return None
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
