"""Who may call what: every route declares its access here (public, signed in, admin); one mechanism.

Signed-in routes authenticate the bearer token (401), refuse suspended accounts (403), apply the per-user
rate limit (429) and hand the handler the caller together with its context's typed dependencies.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from typing import Generic, TypeVar

from starlette.requests import Request
from starlette.responses import Response

from api_edge.errors import ApiError
from api_edge.guard import GuardDeps, authenticated
from api_edge.resources import Edge
from api_edge.users.session_rules import Principal

D = TypeVar("D")
PublicHandler = Callable[[Request, D], Awaitable[Response]]
UserHandler = Callable[[Request, Principal, D], Awaitable[Response]]


class Access(Enum):
    PUBLIC = "public"
    USER = "user"
    ADMIN = "admin"


@dataclass(frozen=True)
class Guarded(Generic[D]):
    """A handler with its declared access."""

    access: Access
    call: Callable[[Request, Principal | None, D], Awaitable[Response]]
    name: str


def public(handler: PublicHandler[D]) -> Guarded[D]:
    """Anyone may call it (rate-limited per IP by the middleware)."""

    async def call(request: Request, who: Principal | None, deps: D) -> Response:
        return await handler(request, deps)

    return Guarded(Access.PUBLIC, call, handler.__name__)


def signed_in(handler: UserHandler[D]) -> Guarded[D]:
    """Any signed-in, unsuspended user."""
    return Guarded(Access.USER, _with_caller(handler), handler.__name__)


def admin(handler: UserHandler[D]) -> Guarded[D]:
    """Admins only (403 for everyone else)."""
    return Guarded(Access.ADMIN, _with_caller(handler), handler.__name__)


def _with_caller(handler: UserHandler[D]) -> Callable[[Request, Principal | None, D], Awaitable[Response]]:
    async def call(request: Request, who: Principal | None, deps: D) -> Response:
        assert who is not None  # bind() authenticates every non-public route
        return await handler(request, who, deps)

    return call


def edge_of(request: Request) -> Edge:
    """The dependencies the lifespan opened."""
    edge = request.state.edge
    assert isinstance(edge, Edge)
    return edge


def bind(endpoint: Guarded[D], select: Callable[[Edge], D]) -> Callable[[Request], Awaitable[Response]]:
    """The Starlette endpoint: authenticate per the declared access, then call with the context's deps."""

    async def run(request: Request) -> Response:
        edge = edge_of(request)
        who = None
        if endpoint.access is not Access.PUBLIC:
            who = await caller(request, edge.guard)
            if endpoint.access is Access.ADMIN and who.role != "admin":
                raise ApiError(403, "FORBIDDEN", "This needs an administrator.")
        return await endpoint.call(request, who, select(edge))

    run.__name__ = run.__qualname__ = endpoint.name
    run.access = endpoint.access  # type: ignore[attr-defined]
    return run


async def caller(request: Request, guard: GuardDeps) -> Principal:
    """The signed-in caller behind the Authorization header."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(
            401, "UNAUTHENTICATED", "Send 'Authorization: Bearer <token>'.", headers={"WWW-Authenticate": "Bearer"}
        )
    return await authenticated(guard, token.strip(), request.url.path)
