"""Which Host headers the edge answers (Starlette's TrustedHostMiddleware), refusals in the one error shape."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette._utils import parse_host_header
from starlette.datastructures import Headers
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import Receive, Scope, Send

from api_edge.errors import error_response

LOOPBACK = ("127.0.0.1", "localhost")


def allowed_hosts(public_url: str, edge_host: str, extra: tuple[str, ...]) -> list[str]:
    """The public URL's host, the bound host, loopback, and the configured extras (each once, in order)."""
    public = urlsplit(public_url).hostname or ""
    hosts = [public, edge_host, *LOOPBACK, *extra]
    return list(dict.fromkeys(h.lower() for h in hosts if h and h not in ("0.0.0.0", "::")))


class TrustedHosts(TrustedHostMiddleware):
    """TrustedHostMiddleware's rules (exact hosts, `*.domain` wildcards), answering 400 UNKNOWN_HOST."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.allow_any or scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        parsed = parse_host_header(Headers(scope=scope).get("host"))
        host = parsed.host.lower() if parsed else ""
        if any(host == p or (p.startswith("*") and host.endswith(p[1:])) for p in self.allowed_hosts):
            await self.app(scope, receive, send)
            return
        message = "This host name is not served here."
        await error_response(400, "UNKNOWN_HOST", message)(scope, receive, send)
