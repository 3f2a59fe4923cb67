"""create_app: the edge's routes from each context's declarations, its middleware, error handling and lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route
from starlette.types import ASGIApp, Scope

from api_edge.body_limit import BodySizeLimit
from api_edge.errors import EXCEPTION_HANDLERS
from api_edge.hosts import TrustedHosts, allowed_hosts
from api_edge.last_resort import KeepAliveOnError
from api_edge.middleware import RequestContext
from api_edge.rate_limit import RateLimiter, RateLimitMiddleware
from api_edge.resources import Edge, ip_limits, open_edge
from api_edge.routes import admin, analysis, discovery, payments, recommendations, system, users
from api_edge.routing import Operation
from api_edge.security_headers import SecurityHeaders
from shine.settings import Settings

# Multipart framing and the small text fields ride on top of the image itself.
FORM_OVERHEAD_BYTES = 64 * 1024
Opener = Callable[[Settings], AbstractAsyncContextManager[Edge]]


def operations() -> list[Operation]:
    """Every route the edge serves, from each context's declarations."""
    return [
        *system.ROUTES,
        *users.ROUTES,
        *admin.ROUTES,
        *analysis.ROUTES,
        *recommendations.ROUTES,
        *payments.ROUTES,
        *discovery.ROUTES,
    ]


def routes() -> list[Route]:
    """The Starlette routes; each endpoint carries its declared access (api_edge/access.py)."""
    return [op.route() for op in operations()]


def _limiter(scope: Scope) -> RateLimiter:
    edge = scope["state"]["edge"]
    assert isinstance(edge, Edge)
    return edge.guard.limiter


def create_app(settings: Settings, opener: Opener = open_edge) -> ASGIApp:
    """The edge application; its dependencies open with the lifespan; security headers wrap everything."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        async with opener(settings) as edge:
            yield {"edge": edge}

    auth_ip, default_ip = ip_limits(settings)
    hosts = allowed_hosts(settings.edge_url, settings.edge_host, settings.allowed_hosts)
    app = Starlette(
        routes=[*routes(), *discovery.SOCKETS],
        middleware=[
            Middleware(TrustedHosts, allowed_hosts=hosts, www_redirect=False),
            Middleware(RequestContext),
            Middleware(RateLimitMiddleware, limiter=_limiter, auth=auth_ip, default=default_ip),
            Middleware(BodySizeLimit, max_bytes=settings.max_upload_bytes + FORM_OVERHEAD_BYTES),
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=lifespan,
    )
    return KeepAliveOnError(SecurityHeaders(app))
