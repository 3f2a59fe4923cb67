"""The partner's `/_admin` test controls: failure modes, stock, shipping, deliveries (loopback only, no auth)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from infra.partner.orders_api import read_json
from infra.partner.store import MODES, Mode, PartnerError, Store
from infra.partner.webhooks import Webhooks


@dataclass(frozen=True)
class Admin:
    """Endpoints that let a test drive the partner."""

    store: Store
    hooks: Webhooks

    async def health(self, request: Request) -> Response:
        """GET /_admin/health."""
        return JSONResponse({"name": self.store.name, "mode": self.store.mode.name})

    async def set_mode(self, request: Request) -> Response:
        """POST /_admin/mode."""
        body = await read_json(request)
        if body.get("mode") not in MODES:
            raise PartnerError(400, "invalid_request", f"mode must be one of {', '.join(MODES)}")
        count = body.get("count")
        status, delay = int(body.get("status_code", 503)), float(body.get("delay_seconds", 5.0))
        self.store.mode = Mode(str(body["mode"]), status, delay, int(count) if count is not None else None)
        self.store.save()
        return await self.health(request)

    async def set_stock(self, request: Request) -> Response:
        """PUT /_admin/stock."""
        levels = await read_json(request)
        self.store.stock.update({str(sku): int(qty) for sku, qty in levels.items()})
        self.store.save()
        return JSONResponse({"stock": self.store.stock})

    async def orders(self, request: Request) -> Response:
        """GET /_admin/orders."""
        return JSONResponse({"data": list(self.store.orders.values())})

    async def _notify(self, event_type: str, order: dict[str, Any]) -> dict[str, Any]:
        delivery = await self.hooks.send(self.hooks.event(event_type, dict(order)))
        return delivery.summary()

    async def ship(self, request: Request) -> Response:
        """POST /_admin/orders/{id}/ship: ship and send order.shipped (once)."""
        body = await read_json(request)
        order_id = request.path_params["order_id"]
        was = self.store.get(order_id)["status"]
        carrier = str(body.get("carrier", "dhl"))
        order = self.store.ship(order_id, carrier, str(body.get("tracking_number", f"TRK{order_id[3:]}")))
        delivery = None if was in ("shipped", "delivered") else await self._notify("order.shipped", order)
        return JSONResponse({"order": order, "delivery": delivery})

    async def deliver(self, request: Request) -> Response:
        """POST /_admin/orders/{id}/deliver: ship first if needed, deliver, send order.delivered (once)."""
        order_id = request.path_params["order_id"]
        if self.store.get(order_id)["status"] == "accepted":
            await self._notify("order.shipped", self.store.ship(order_id, "dhl", f"TRK{order_id[3:]}"))
        was = self.store.get(order_id)["status"]
        order = self.store.deliver(order_id)
        delivery = None if was == "delivered" else await self._notify("order.delivered", order)
        return JSONResponse({"order": order, "delivery": delivery})

    async def deliveries(self, request: Request) -> Response:
        """GET /_admin/deliveries."""
        return JSONResponse({"data": [d.summary() for d in self.hooks.deliveries.values()]})

    async def redeliver(self, request: Request) -> Response:
        """POST /_admin/deliveries/{event_id}/redeliver: the same event again, signed afresh."""
        found = self.hooks.deliveries.get(request.path_params["event_id"])
        if found is None:
            raise PartnerError(404, "not_found", "no such delivery")
        return JSONResponse((await self.hooks.send(found)).summary())
