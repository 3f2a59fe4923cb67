"""Who may call what: every route declares its access here (public, signed in, admin); one mechanism.

Signed-in routes authenticate the bearer token (401), refuse suspended accounts (403), apply the per-user
rate limit (429) and hand the handler the caller.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Protocol

from starlette.requests import Request
from starlette.responses import Response

from api_edge.deps import EdgeDeps
from api_edge.errors import ApiError
from api_edge.rate_limit import check_user
from storage.users.sessions import Principal, authenticate

PublicHandler = Callable[[Request], Awaitable[Response]]
UserHandler = Callable[[Request, Principal], Awaitable[Response]]


class Access(Enum):
    PUBLIC = "public"
    USER = "user"
    ADMIN = "admin"


class Endpoint(Protocol):
    access: Access

    def __call__(self, request: Request) -> Awaitable[Response]: ...


def public(handler: PublicHandler) -> Endpoint:
    """Anyone may call it (rate-limited per IP by the middleware)."""
    return _declare(handler, Access.PUBLIC)


def signed_in(handler: UserHandler) -> Endpoint:
    """Any signed-in, unsuspended user."""
    return _guarded(handler, Access.USER)


def admin(handler: UserHandler) -> Endpoint:
    """Admins only (403 for everyone else)."""
    return _guarded(handler, Access.ADMIN)


def _declare(handler: PublicHandler, access: Access) -> Endpoint:
    handler.access = access  # type: ignore[attr-defined]
    return handler  # type: ignore[return-value]


def _guarded(handler: UserHandler, access: Access) -> Endpoint:
    async def guarded(request: Request) -> Response:
        who = await caller(request)
        if access is Access.ADMIN and who.role != "admin":
            raise ApiError(403, "FORBIDDEN", "This needs an administrator.")
        return await handler(request, who)

    guarded.__name__ = guarded.__qualname__ = handler.__name__
    guarded.__doc__ = handler.__doc__
    return _declare(guarded, access)


async def caller(request: Request) -> Principal:
    """The signed-in caller behind the Authorization header."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(
            401, "UNAUTHENTICATED", "Send 'Authorization: Bearer <token>'.", headers={"WWW-Authenticate": "Bearer"}
        )
    deps: EdgeDeps = request.app.state.deps
    async with deps.engine.begin() as conn:
        who = await authenticate(conn, token.strip(), deps.auth.sessions.idle_timeout)
    if who is None:
        raise ApiError(
            401,
            "INVALID_TOKEN",
            "The token is unknown, expired or ended.",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    if who.suspended:
        raise ApiError(403, "ACCOUNT_SUSPENDED", "This account is suspended.")
    await check_user(deps.rates.limiter, who.user_id, request.url.path, deps.rates.auth_user, deps.rates.default_user)
    return who
