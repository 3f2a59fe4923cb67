"""Webhooks in: verify, publish, and answer 2xx only once Kafka has acknowledged (no database write here)."""

from __future__ import annotations

from api_edge.errors import ApiError
from api_edge.payments.deps import PaymentsDeps
from events.topics import ORDERS, PAYMENTS, Topic
from producers.payments.outcomes import Ignored, Outcome, Publish
from producers.payments.partner_webhook import HEADER as PARTNER_HEADER
from producers.payments.partner_webhook import bridge_partner_webhook
from producers.stripe_bridge import bridge
from schemas.payments import WebhookAck


async def _settle(deps: PaymentsDeps, topic: Topic, outcome: Outcome) -> WebhookAck:
    if isinstance(outcome, Ignored):
        return WebhookAck(received=True, outcome="ignored")
    if not isinstance(outcome, Publish):
        raise ApiError(400, outcome.reason.value.upper(), outcome.message)

    async def nothing() -> None:
        return None  # the sender retries on our 503; the event id dedupes a late ack and the retry

    # Unavailable (503 + Retry-After) when the broker refuses or does not ack in time: the sender retries.
    await deps.bus.publish(topic, outcome.event, on_late=nothing, on_lost=nothing)
    return WebhookAck(received=True, outcome="published")


async def stripe_webhook(deps: PaymentsDeps, body: bytes, signature: str | None) -> WebhookAck:
    """POST /webhooks/stripe."""
    return await _settle(deps, PAYMENTS, bridge(body, signature, deps.stripe_webhooks))


async def partner_webhook(deps: PaymentsDeps, partner: str, body: bytes, signature: str | None) -> WebhookAck:
    """POST /webhooks/partners/{partner}."""
    config = deps.partner_webhooks.get(partner)
    if config is None:
        raise ApiError(404, "NOT_FOUND", "No such partner.")
    return await _settle(deps, ORDERS, bridge_partner_webhook(body, signature, config))


__all__ = ["PARTNER_HEADER", "partner_webhook", "stripe_webhook"]
