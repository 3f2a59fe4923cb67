"""Fetching a URL Shine itself requests (e.g. a product image) under the SSRF policy.

The name is resolved once, every address is checked (ssrf_policy), and the connection goes to the checked
address with the original Host header and TLS SNI/certificate name, so a second DNS answer cannot redirect it
(no DNS rebinding). Redirects are followed by hand, each target checked the same way. The body is capped in
size and the whole fetch, redirects included, in time. Proxies from the environment are ignored.
"""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urljoin

import httpx

from consumers.crawl.ssrf_policy import IPAddress, Target, UnsafeUrl, choose_address, parse_target

REDIRECTS = frozenset({301, 302, 303, 307, 308})


class Resolver(Protocol):
    """Turns a host name into addresses (a stub in tests, the system resolver otherwise)."""

    async def resolve(self, host: str, port: int) -> list[str]: ...


class SystemResolver:
    """The operating system's resolver, through the event loop."""

    async def resolve(self, host: str, port: int) -> list[str]:
        """Every address host resolves to for a TCP connection."""
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError:
            return []
        return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True)
class FetchLimits:
    """Caps of one fetch: body bytes, total seconds (redirects included), redirects followed."""

    max_bytes: int = 5 * 1024 * 1024
    timeout: float = 10.0
    max_redirects: int = 3


@dataclass(frozen=True)
class Fetched:
    """A fetched resource: final URL, status, content type, body and the address it came from."""

    url: str
    status: int
    content_type: str | None
    body: bytes
    address: str


class FetchTooLarge(ValueError):
    """The body is larger than the cap."""


class SafeFetcher:
    """GETs public http(s) URLs with the SSRF policy applied to every hop."""

    def __init__(
        self,
        resolver: Resolver | None = None,
        limits: FetchLimits | None = None,
        *,
        allow_loopback: bool = False,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.resolver = resolver or SystemResolver()
        self.limits = limits or FetchLimits()
        self.allow_loopback = allow_loopback
        self._transport = transport

    async def plan(self, url: str) -> tuple[Target, IPAddress]:
        """The checked target of url and the one address the connection will use; UnsafeUrl otherwise."""
        target = parse_target(url)
        resolved = await self.resolver.resolve(target.host, target.port)
        return target, choose_address(target, resolved, self.allow_loopback)

    async def fetch(self, url: str) -> Fetched:
        """GET url under the policy, following at most max_redirects redirects, each re-checked."""
        async with asyncio.timeout(self.limits.timeout):
            async with httpx.AsyncClient(
                transport=self._transport, trust_env=False, follow_redirects=False, timeout=self.limits.timeout
            ) as client:
                for _ in range(self.limits.max_redirects + 1):
                    target, address = await self.plan(url)
                    fetched, location = await self._get(client, url, target, address)
                    if location is None:
                        return fetched
                    url = urljoin(url, location)
        raise UnsafeUrl("too_many_redirects", url)

    async def _get(
        self, client: httpx.AsyncClient, url: str, target: Target, address: IPAddress
    ) -> tuple[Fetched, str | None]:
        host = f"[{address}]" if address.version == 6 else str(address)
        pinned = f"{target.scheme}://{host}:{target.port}{target.path}"
        # TLS is negotiated for the name (SNI) and the certificate checked against it, not against the address.
        extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
        headers = {"Host": target.host_header, "Accept-Encoding": "identity"}
        async with client.stream("GET", pinned, headers=headers, extensions=extensions) as response:
            location = response.headers.get("location")
            if response.status_code in REDIRECTS and location:
                return Fetched(url, response.status_code, None, b"", str(address)), location
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.limits.max_bytes:
                raise FetchTooLarge(f"{url}: {declared} bytes declared, cap {self.limits.max_bytes}")
            body = bytearray()
            async for chunk in response.aiter_raw():
                body.extend(chunk)
                if len(body) > self.limits.max_bytes:
                    raise FetchTooLarge(f"{url}: over {self.limits.max_bytes} bytes")
            kind = response.headers.get("content-type")
            return Fetched(url, response.status_code, kind, bytes(body), str(address)), None
