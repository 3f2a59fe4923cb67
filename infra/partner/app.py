"""The partner's Starlette app (API in API.md beside this file): `/v1` for Shine, `/_admin` for tests."""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from infra.partner.admin import Admin
from infra.partner.orders_api import OrdersApi
from infra.partner.store import PartnerError, Store
from infra.partner.webhooks import Webhooks

Handler = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class PartnerConfig:
    """One partner's identity, shared webhook secret, Shine's webhook URL and optional API key."""

    name: str
    webhook_url: str
    secret: str
    api_key: str | None = None


def _error(error: PartnerError) -> JSONResponse:
    body = {"error": {"code": error.code, "message": str(error), "details": error.details}}
    return JSONResponse(body, status_code=error.status)


def _api(handler: Handler, config: PartnerConfig, store: Store) -> Handler:
    """A /v1 endpoint: authenticated, then subject to the failure mode in force for this call."""

    async def endpoint(request: Request) -> Response:
        try:
            if config.api_key is not None:
                given = request.headers.get("authorization", "").encode()
                if not hmac.compare_digest(given, f"Bearer {config.api_key}".encode()):
                    raise PartnerError(401, "unauthorized", "a valid API key is required")
            mode = request.state.mode = store.mode.take()
            if mode.name == "error":
                raise PartnerError(mode.status_code, "unavailable", "the partner is failing on purpose")
            if mode.name == "slow":
                # The request is received in full, then the work happens after the wait even if the caller has
                # given up, as with a real overloaded peer (the body is cached before a disconnect can cut it).
                await request.body()
                await asyncio.sleep(mode.delay_seconds)
            return await handler(request)
        except PartnerError as refused:
            return _error(refused)

    return endpoint


def _admin(handler: Handler) -> Handler:
    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request)
        except PartnerError as refused:
            return _error(refused)

    return endpoint


def build_app(config: PartnerConfig, store: Store) -> Starlette:
    """The partner's app over store, sending its webhooks to config.webhook_url."""
    hooks = Webhooks(config.webhook_url, config.secret, config.name)
    api, admin = OrdersApi(store), Admin(store, hooks)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        hooks.open()
        try:
            yield
        finally:
            await hooks.close()

    def v1(path: str, handler: Handler, method: str) -> Route:
        return Route(path, _api(handler, config, store), methods=[method])

    def ctl(path: str, handler: Handler, method: str) -> Route:
        return Route(path, _admin(handler), methods=[method])

    routes = [
        v1("/v1/orders", api.create, "POST"),
        v1("/v1/orders", api.find, "GET"),
        v1("/v1/orders/{order_id}", api.get, "GET"),
        v1("/v1/orders/{order_id}/cancel", api.cancel, "POST"),
        v1("/v1/stock/check", api.check_stock, "POST"),
        ctl("/_admin/health", admin.health, "GET"),
        ctl("/_admin/mode", admin.set_mode, "POST"),
        ctl("/_admin/stock", admin.set_stock, "PUT"),
        ctl("/_admin/orders", admin.orders, "GET"),
        ctl("/_admin/orders/{order_id}/ship", admin.ship, "POST"),
        ctl("/_admin/orders/{order_id}/deliver", admin.deliver, "POST"),
        ctl("/_admin/deliveries", admin.deliveries, "GET"),
        ctl("/_admin/deliveries/{event_id}/redeliver", admin.redeliver, "POST"),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
