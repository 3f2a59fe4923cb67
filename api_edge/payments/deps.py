"""What the payments, orders, subscription, webhook and revenue routes use."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from api_edge.errors import ApiError, Unavailable
from api_edge.platform.bus import Bus
from api_edge.platform.database import Database
from api_edge.platform.idempotency import Idempotency
from consumers.fulfillment.payments_client import PaymentRejected, PaymentsClient, PaymentsUnavailable
from producers.payments.partner_webhook import PartnerWebhookConfig
from producers.payments.verification import WebhookSecrets

T = TypeVar("T")


@dataclass(frozen=True)
class PaymentsDeps:
    db: Database
    bus: Bus
    stripe: PaymentsClient
    idempotency: Idempotency
    stripe_webhooks: WebhookSecrets
    partner_webhooks: Mapping[str, PartnerWebhookConfig]
    return_window: timedelta
    premium_price_id: str
    public_url: str
    timeout: float
    retry_after: int

    async def call_stripe(self, call: Awaitable[T]) -> T:
        """A Stripe call bounded by the dependency timeout: 503 with Retry-After when Stripe is down or slow."""
        try:
            async with asyncio.timeout(self.timeout):
                return await call
        except (PaymentsUnavailable, TimeoutError):
            raise Unavailable(
                "stripe", "PAYMENTS_UNAVAILABLE", "Stripe is unavailable; nothing was charged.", self.retry_after
            ) from None
        except PaymentRejected as refused:
            details = {"stripe_code": refused.code} if refused.code else {}
            raise ApiError(422, "PAYMENT_REJECTED", str(refused) or "Stripe refused the request.", details) from None
