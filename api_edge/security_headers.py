"""Browser-hardening response headers on every answer, and no caching of anything under /auth/."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The edge serves JSON and images to API clients, never pages: nothing may frame, embed or run it.
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
    ("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)


def is_auth_path(path: str) -> bool:
    """Whether a path is part of sign-in, whose responses carry tokens."""
    return path == "/auth" or path.startswith("/auth/")


class SecurityHeaders:
    """ASGI middleware: adds the security headers a response lacks; forces no-store on /auth/ responses."""

    # Starlette answers unhandled errors (500) outside its middleware list, so wrap the whole application
    # (SecurityHeaders(app)) for those answers to carry the headers too.

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        auth = is_auth_path(scope["path"])

        async def send_hardened(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])  # optional in ASGI; MutableHeaders needs it
                headers = MutableHeaders(scope=message)
                # A header the handler chose on purpose wins; only missing ones are added, never duplicated.
                for name, value in SECURITY_HEADERS:
                    if name not in headers:
                        headers.append(name, value)
                if auth:
                    # Tokens must not linger in browser, proxy or CDN caches, whatever the handler said.
                    headers["Cache-Control"] = "no-store"
                    headers["Pragma"] = "no-cache"
                elif "cache-control" not in headers:
                    # API answers are personal by default; a handler that wants caching says so.
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_hardened)
