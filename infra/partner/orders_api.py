"""The partner's `/v1` API: create (idempotent), read, find by reference, cancel, check stock."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from infra.partner.store import PartnerError, Store


async def read_json(request: Request) -> dict[str, Any]:
    """The request body as a JSON object, else a 400 refusal."""
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError as bad:
        raise PartnerError(400, "invalid_request", "the body is not JSON") from bad
    if not isinstance(body, dict):
        raise PartnerError(400, "invalid_request", "the body must be a JSON object")
    return body


def _valid_item(item: object) -> bool:
    if not isinstance(item, dict):
        return False
    quantity = item.get("quantity")
    return isinstance(item.get("sku"), str) and isinstance(quantity, int) and quantity > 0


def read_items(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The order lines, checked: a non-empty list of {sku, quantity >= 1}."""
    items = body.get("items")
    if not isinstance(items, list) or not items or not all(_valid_item(i) for i in items):
        raise PartnerError(400, "invalid_request", "items must be a non-empty list of {sku, quantity >= 1}")
    return [{"sku": i["sku"], "quantity": i["quantity"]} for i in items]


def _out_of_stock(request: Request) -> bool:
    return bool(request.state.mode.name == "out_of_stock")


@dataclass(frozen=True)
class OrdersApi:
    """Endpoints over one store."""

    store: Store

    async def create(self, request: Request) -> Response:
        """POST /v1/orders: one order per Idempotency-Key, whatever the number of calls."""
        key = request.headers.get("idempotency-key", "")
        if not 0 < len(key) <= 255:
            raise PartnerError(400, "idempotency_key_required", "send an Idempotency-Key header (1-255 chars)")
        body = await read_json(request)
        reference = body.get("reference")
        if not isinstance(reference, str) or not reference:
            raise PartnerError(400, "invalid_request", "reference (your order id) is required")
        wanted = {"reference": reference, "items": read_items(body), "shipping": body.get("shipping")}
        digest = hashlib.sha256(json.dumps(wanted, sort_keys=True).encode()).hexdigest()
        order, replayed = self.store.create(key, digest, wanted, _out_of_stock(request))
        if replayed:
            return JSONResponse(order, status_code=200, headers={"Idempotent-Replayed": "true"})
        return JSONResponse(order, status_code=201)

    async def find(self, request: Request) -> Response:
        """GET /v1/orders?reference=REF."""
        reference = request.query_params.get("reference")
        found = [o for o in self.store.orders.values() if reference is None or o["reference"] == reference]
        return JSONResponse({"data": found})

    async def get(self, request: Request) -> Response:
        """GET /v1/orders/{id}."""
        return JSONResponse(self.store.get(request.path_params["order_id"]))

    async def cancel(self, request: Request) -> Response:
        """POST /v1/orders/{id}/cancel."""
        return JSONResponse(self.store.cancel(request.path_params["order_id"]))

    async def check_stock(self, request: Request) -> Response:
        """POST /v1/stock/check."""
        missing = self.store.unavailable(read_items(await read_json(request)), _out_of_stock(request))
        return JSONResponse({"available": not missing, "unavailable": missing})
