"""Signed shipment webhooks from the partner to Shine, with background retries and redelivery on demand."""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from infra.partner.signing import HEADER, signature_header

RETRY_DELAYS = (1.0, 2.0, 4.0, 8.0)


@dataclass
class Delivery:
    """One webhook event and what became of sending it."""

    event_id: str
    type: str
    order_id: str
    body: bytes
    attempts: int = 0
    status_code: int | None = None
    error: str | None = None

    @property
    def delivered(self) -> bool:
        """Whether the last attempt got a 2xx."""
        return self.status_code is not None and 200 <= self.status_code < 300

    def summary(self) -> dict[str, Any]:
        """What the admin API shows of this delivery."""
        return {
            "event_id": self.event_id,
            "type": self.type,
            "order_id": self.order_id,
            "attempts": self.attempts,
            "status_code": self.status_code,
            "error": self.error,
            "delivered": self.delivered,
        }


@dataclass
class Webhooks:
    """Sends events to one URL signed with one secret; keeps every delivery for inspection."""

    url: str
    secret: str
    partner: str
    client: httpx.AsyncClient | None = None
    deliveries: dict[str, Delivery] = field(default_factory=dict)
    _retries: set[asyncio.Task[None]] = field(default_factory=set)

    def event(self, event_type: str, order: dict[str, Any]) -> Delivery:
        """A new event about order, with a stable id for every later redelivery."""
        event_id = f"pevt_{secrets.token_hex(10)}"
        created = int(time.time())
        body = {
            "id": event_id,
            "type": event_type,
            "created": created,
            "partner": self.partner,
            "data": {"order": order},
        }
        delivery = Delivery(event_id, event_type, str(order["id"]), json.dumps(body).encode())
        self.deliveries[event_id] = delivery
        return delivery

    async def send(self, delivery: Delivery) -> Delivery:
        """One attempt, signed now; on failure, retries continue in the background."""
        await self._attempt(delivery)
        if not delivery.delivered:
            task = asyncio.create_task(self._retry(delivery))
            self._retries.add(task)
            task.add_done_callback(self._retries.discard)
        return delivery

    async def _attempt(self, delivery: Delivery) -> None:
        headers = {
            "Content-Type": "application/json",
            HEADER: signature_header(delivery.body, self.secret, int(time.time())),
        }
        delivery.attempts += 1
        if self.client is None:
            raise RuntimeError("webhooks are sent only while the app runs (open() in its lifespan)")
        try:
            response = await self.client.post(self.url, content=delivery.body, headers=headers)
        except httpx.HTTPError as error:
            delivery.status_code, delivery.error = None, f"{type(error).__name__}: {error}"
            return
        delivery.status_code, delivery.error = response.status_code, None

    async def _retry(self, delivery: Delivery) -> None:
        for delay in RETRY_DELAYS:
            await asyncio.sleep(delay)
            await self._attempt(delivery)
            if delivery.delivered:
                return

    def open(self) -> None:
        """Start the HTTP client; trust_env=False so webhooks go straight to Shine, never through a proxy."""
        self.client = httpx.AsyncClient(timeout=10, trust_env=False)

    async def close(self) -> None:
        """Stop pending retries and the HTTP client."""
        for task in list(self._retries):
            task.cancel()
        await asyncio.gather(*self._retries, return_exceptions=True)
        if self.client is not None:
            await self.client.aclose()
