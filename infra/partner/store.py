"""The partner's state: orders, idempotency keys, stock and the failure mode (in memory, optionally in a file)."""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

MODES = ("normal", "error", "slow", "out_of_stock")


def _now() -> str:
    return datetime.now(UTC).isoformat()


class PartnerError(Exception):
    """A refusal the API answers with status and code."""

    def __init__(self, status: int, code: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.details = status, code, details or {}


@dataclass
class Mode:
    """How the partner misbehaves right now."""

    name: str = "normal"
    status_code: int = 503
    delay_seconds: float = 5.0
    remaining: int | None = None  # None: until changed

    def take(self) -> Mode:
        """The mode for one /v1 call, counting it down to normal."""
        current = Mode(self.name, self.status_code, self.delay_seconds, self.remaining)
        if self.remaining is not None:
            self.remaining -= 1
            if self.remaining <= 0:
                self.name, self.remaining = "normal", None
        return current


@dataclass
class Store:
    """Everything the partner knows; `state_file`, when set, mirrors it after every change."""

    name: str
    state_file: Path | None = None
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    keys: dict[str, tuple[str, str]] = field(default_factory=dict)  # idempotency key -> (body digest, order id)
    stock: dict[str, int] = field(default_factory=dict)
    mode: Mode = field(default_factory=Mode)

    def unavailable(self, items: list[dict[str, Any]], out_of_stock: bool = False) -> list[str]:
        """The SKUs of items this partner cannot supply now (all of them while out of stock)."""
        if out_of_stock:
            return [str(i["sku"]) for i in items]
        return [str(i["sku"]) for i in items if i["sku"] in self.stock and self.stock[i["sku"]] < int(i["quantity"])]

    def create(
        self, key: str, digest: str, request: dict[str, Any], out_of_stock: bool = False
    ) -> tuple[dict[str, Any], bool]:
        """The order for this idempotency key, creating it once; True if it already existed."""
        if key in self.keys:
            seen_digest, order_id = self.keys[key]
            if seen_digest != digest:
                raise PartnerError(422, "idempotency_key_reused", "this Idempotency-Key was used with another body")
            return self.orders[order_id], True
        missing = self.unavailable(request["items"], out_of_stock)
        if missing:
            raise PartnerError(409, "out_of_stock", "some items cannot be supplied", {"skus": missing})
        for item in request["items"]:
            if item["sku"] in self.stock:
                self.stock[item["sku"]] -= int(item["quantity"])
        order = self._new_order(request)
        self.orders[order["id"]] = order
        self.keys[key] = (digest, order["id"])
        self.save()
        return order, False

    def _new_order(self, request: dict[str, Any]) -> dict[str, Any]:
        now = _now()
        return {
            "id": f"po_{secrets.token_hex(8)}",
            "partner": self.name,
            "reference": request["reference"],
            "status": "accepted",
            "items": [{"sku": i["sku"], "quantity": int(i["quantity"])} for i in request["items"]],
            "shipping": request.get("shipping"),
            "created_at": now,
            "updated_at": now,
            "carrier": None,
            "tracking_number": None,
            "tracking_url": None,
        }

    def get(self, order_id: str) -> dict[str, Any]:
        """The order, or a 404 refusal."""
        order = self.orders.get(order_id)
        if order is None:
            raise PartnerError(404, "not_found", f"no order {order_id}")
        return order

    def cancel(self, order_id: str) -> dict[str, Any]:
        """Cancel an order not yet shipped (idempotent), giving its stock back."""
        order = self.get(order_id)
        if order["status"] in ("shipped", "delivered"):
            raise PartnerError(409, "already_shipped", f"order {order_id} is {order['status']}")
        if order["status"] != "cancelled":
            for item in order["items"]:
                if item["sku"] in self.stock:
                    self.stock[item["sku"]] += item["quantity"]
            self._set(order, status="cancelled")
        return order

    def ship(self, order_id: str, carrier: str, tracking_number: str) -> dict[str, Any]:
        """Mark an accepted order shipped (a shipped one stays as it is)."""
        order = self.get(order_id)
        if order["status"] == "cancelled":
            raise PartnerError(409, "cancelled", f"order {order_id} was cancelled")
        if order["status"] == "accepted":
            url = f"https://tracking.invalid/{carrier}/{tracking_number}"
            self._set(order, status="shipped", carrier=carrier, tracking_number=tracking_number, tracking_url=url)
        return order

    def deliver(self, order_id: str) -> dict[str, Any]:
        """Mark a shipped order delivered."""
        order = self.get(order_id)
        if order["status"] != "shipped" and order["status"] != "delivered":
            raise PartnerError(409, "not_shipped", f"order {order_id} is {order['status']}")
        self._set(order, status="delivered")
        return order

    def _set(self, order: dict[str, Any], **changes: Any) -> None:
        order.update(changes, updated_at=_now())
        self.save()

    def save(self) -> None:
        """Mirror the state to the state file, atomically, if there is one."""
        if self.state_file is None:
            return
        state = {"orders": self.orders, "keys": self.keys, "stock": self.stock, "mode": asdict(self.mode)}
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, indent=1))
        tmp.replace(self.state_file)

    @classmethod
    def load(cls, name: str, state_file: Path | None) -> Store:
        """A store, resumed from state_file when it exists."""
        store = cls(name, state_file)
        if state_file is not None and state_file.exists():
            state = json.loads(state_file.read_text())
            store.orders = state["orders"]
            store.keys = {k: (v[0], v[1]) for k, v in state["keys"].items()}
            store.stock = state["stock"]
            store.mode = Mode(**state["mode"])
        return store
