"""The Stripe webhook-to-event bridge: raw body + `Stripe-Signature` in, one decision out (no I/O).

The edge route calls `bridge(...)`, then for `Publish` awaits the broker's ack before answering 2xx (5xx when
Kafka is down, so Stripe retries); `Rejected` answers 400 and publishes nothing; `Ignored` answers 200 and is
counted, because Stripe keeps retrying anything that is not 2xx and we will never want these types.
"""

from __future__ import annotations

from events.payments import TOPIC_NAME
from producers.payments.metrics import count
from producers.payments.outcomes import Ignored, Outcome, Publish, Rejected
from producers.payments.stripe_events import map_stripe_event
from producers.payments.stripe_objects import UnreadableObject
from producers.payments.verification import Rejection, WebhookRejected, WebhookSecrets, verify_webhook

__all__ = ["TOPIC_NAME", "Ignored", "Outcome", "Publish", "Rejected", "WebhookSecrets", "bridge"]


def bridge(payload: bytes, signature_header: str | None, config: WebhookSecrets) -> Outcome:
    """Verify a Stripe webhook and decide what to do with it (counted in shine_webhooks_total)."""
    return count("stripe", _decide(payload, signature_header, config))


def _decide(payload: bytes, signature_header: str | None, config: WebhookSecrets) -> Outcome:
    try:
        stripe_event = verify_webhook(payload, signature_header, config)
    except WebhookRejected as rejected:
        return Rejected(rejected.reason, str(rejected))
    stripe_id, stripe_type = str(stripe_event["id"]), str(stripe_event["type"])
    try:
        event = map_stripe_event(stripe_event)
    except (UnreadableObject, ValueError) as broken:
        # Signed but unreadable: refuse it visibly (Stripe shows the failure and retries after a fix).
        return Rejected(Rejection.MALFORMED_PAYLOAD, f"{stripe_type} {stripe_id}: {broken}")
    if event is None:
        return Ignored(stripe_id, stripe_type)
    return Publish(event, stripe_id, stripe_type)
