"""Which URLs and addresses Shine may fetch itself: the SSRF policy, as pure decisions.

Only http and https, no credentials in the URL, and every address the name resolves to must be a public
unicast address: loopback, unspecified (0.0.0.0/8, ::), link-local (169.254/16 — cloud metadata at
169.254.169.254 — and fe80::/10), RFC 1918 (10/8, 172.16/12, 192.168/16), CGNAT 100.64/10, multicast,
reserved and documentation ranges, IPv6 unique-local fc00::/7, and IPv4-mapped/compatible IPv6 addresses
(which reach IPv4 hosts through the v6 stack) are refused. Tests may allow loopback to reach local fakes.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_V4_RULES: tuple[tuple[str, str], ...] = (
    ("0.0.0.0/8", "unspecified"),
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link_local"),
    ("10.0.0.0/8", "private"),
    ("172.16.0.0/12", "private"),
    ("192.168.0.0/16", "private"),
    ("100.64.0.0/10", "shared_address_space"),
    ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved"),
    ("192.0.0.0/24", "reserved"),
    ("192.0.2.0/24", "reserved"),
    ("198.18.0.0/15", "reserved"),
    ("198.51.100.0/24", "reserved"),
    ("203.0.113.0/24", "reserved"),
)
_V6_RULES: tuple[tuple[str, str], ...] = (
    ("::/128", "unspecified"),
    ("::1/128", "loopback"),
    ("::ffff:0:0/96", "ipv4_mapped"),
    ("::/96", "ipv4_mapped"),
    ("64:ff9b::/96", "ipv4_mapped"),
    ("fe80::/10", "link_local"),
    ("fc00::/7", "unique_local"),
    ("ff00::/8", "multicast"),
    ("2001:db8::/32", "reserved"),
    ("fec0::/10", "reserved"),
)
V4_NETWORKS = tuple((ipaddress.IPv4Network(net), reason) for net, reason in _V4_RULES)
V6_NETWORKS = tuple((ipaddress.IPv6Network(net), reason) for net, reason in _V6_RULES)
ALLOWED_SCHEMES = ("http", "https")


class UnsafeUrl(ValueError):
    """A URL Shine refuses to fetch, with a machine-readable reason."""

    def __init__(self, reason: str, url: str) -> None:
        super().__init__(f"refused to fetch {url!r}: {reason}")
        self.reason = reason
        self.url = url


@dataclass(frozen=True)
class Target:
    """A checked URL's parts: where to connect and what to ask for."""

    scheme: str
    host: str
    port: int
    path: str

    @property
    def host_header(self) -> str:
        """The Host header: the name, with the port only when it is not the scheme's default."""
        default = 443 if self.scheme == "https" else 80
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if self.port == default else f"{name}:{self.port}"


def address_reason(address: IPAddress, allow_loopback: bool = False) -> str | None:
    """Why address must not be fetched from, or None if it is a public unicast address."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.sixtofour is not None:  # 2002::/16 carries an IPv4 address that is reached directly
            return address_reason(address.sixtofour, allow_loopback)
        rules: tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str], ...] = V6_NETWORKS
    else:
        rules = V4_NETWORKS
    for network, reason in rules:
        if address in network:
            return None if reason == "loopback" and allow_loopback else reason
    return None if address.is_global else "not_global"


def parse_target(url: str) -> Target:
    """The target of url if its form is acceptable (scheme, no credentials, a host, a valid port)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeUrl("malformed_url", url) from exc
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise UnsafeUrl("scheme_not_allowed", url)
    if parts.username is not None or parts.password is not None:
        raise UnsafeUrl("credentials_in_url", url)
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise UnsafeUrl("no_host", url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme, host, port or (443 if scheme == "https" else 80), path)


def choose_address(target: Target, resolved: list[str], allow_loopback: bool = False) -> IPAddress:
    """The address to pin the connection to: the first resolved one, provided every one of them is allowed.

    Refusing when any address is forbidden stops a name that mixes public and internal answers.
    """
    if not resolved:
        raise UnsafeUrl("unresolvable", target.host)
    addresses: list[IPAddress] = []
    for text in resolved:
        try:
            address = ipaddress.ip_address(text.split("%", 1)[0])
        except ValueError as exc:
            raise UnsafeUrl("bad_address", target.host) from exc
        reason = address_reason(address, allow_loopback)
        if reason is not None:
            raise UnsafeUrl(reason, f"{target.scheme}://{target.host_header}{target.path}")
        addresses.append(address)
    return addresses[0]
