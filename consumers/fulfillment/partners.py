"""An async client for a dropship partner's HTTP API (infra/partner/API.md), every call under its own timeout."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from consumers.fulfillment.domain.facts import Line
from consumers.fulfillment.domain.routing import Attempt, classify_status


@dataclass(frozen=True)
class PartnerEndpoint:
    """Where a partner lives and how long we wait for it."""

    name: str
    base_url: str
    api_key: str | None = None
    timeout_seconds: float = 5.0


@dataclass(frozen=True)
class PartnerReply:
    """The outcome of asking a partner to take an order."""

    partner: str
    outcome: Attempt
    partner_order_id: str | None = None
    status_code: int | None = None
    detail: str = ""


@dataclass(frozen=True)
class CancelReply:
    """cancelled | already_shipped | failed (with why)."""

    outcome: str
    detail: str = ""


def _error_code(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return code if isinstance(code, str) else None


class PartnerClient:
    """One partner's API over a shared httpx client."""

    def __init__(self, endpoint: PartnerEndpoint, http: httpx.AsyncClient) -> None:
        self.endpoint = endpoint
        self._http = http
        self._headers = {"Authorization": f"Bearer {endpoint.api_key}"} if endpoint.api_key else {}

    @property
    def name(self) -> str:
        """The partner's name (as routing and events know it)."""
        return self.endpoint.name

    async def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self._headers, **kwargs.pop("headers", {})}
        url = f"{self.endpoint.base_url.rstrip('/')}{path}"
        return await self._http.request(method, url, headers=headers, timeout=self.endpoint.timeout_seconds, **kwargs)

    async def create_order(
        self, reference: str, lines: Sequence[Line], idempotency_key: str, shipping: dict[str, Any] | None = None
    ) -> PartnerReply:
        """Ask the partner to take an order; the same key always means the same partner order."""
        body: dict[str, Any] = {
            "reference": reference,
            "items": [{"sku": x.sku, "quantity": x.quantity} for x in lines],
        }
        if shipping is not None:
            body["shipping"] = shipping
        try:
            response = await self._call("POST", "/v1/orders", json=body, headers={"Idempotency-Key": idempotency_key})
        except httpx.TimeoutException as slow:
            return PartnerReply(
                self.name, Attempt.TIMEOUT, detail=f"no answer within {self.endpoint.timeout_seconds}s: {slow!r}"
            )
        except httpx.TransportError as down:
            return PartnerReply(self.name, Attempt.UNREACHABLE, detail=repr(down))
        outcome = classify_status(response.status_code, _error_code(response))
        if outcome is Attempt.ACCEPTED:
            return PartnerReply(self.name, outcome, str(response.json()["id"]), response.status_code)
        return PartnerReply(self.name, outcome, None, response.status_code, response.text[:500])

    async def cancel_order(self, partner_order_id: str) -> CancelReply:
        """Cancel an order the partner has not shipped yet."""
        try:
            response = await self._call("POST", f"/v1/orders/{partner_order_id}/cancel")
        except httpx.HTTPError as failed:
            return CancelReply("failed", repr(failed))
        if response.status_code == 200:
            return CancelReply("cancelled")
        if response.status_code == 409 and _error_code(response) == "already_shipped":
            return CancelReply("already_shipped")
        return CancelReply("failed", f"{response.status_code}: {response.text[:300]}")

    async def find_by_reference(self, reference: str) -> list[dict[str, Any]]:
        """The partner's orders for one of ours (to clean up after a timeout whose order did get created)."""
        response = await self._call("GET", "/v1/orders", params={"reference": reference})
        response.raise_for_status()
        found = response.json().get("data", [])
        return [o for o in found if isinstance(o, dict)]
