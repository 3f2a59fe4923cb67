"""Idempotency keys for calls to the outside world, derived from what caused them so a retry reuses them.

Stripe keeps a key's answer for 24 hours and the partners keep theirs for the order's life: a call repeated
after a crash or a redelivery gets the first call's result instead of doing the thing twice.
"""

from __future__ import annotations

import uuid

PREFIX = "shine"


def payment_intent_key(order_id: uuid.UUID) -> str:
    """One PaymentIntent per order."""
    return f"{PREFIX}-pi-{order_id}"


def partner_order_key(order_id: uuid.UUID) -> str:
    """One partner order per order and partner (each partner dedupes its own keys)."""
    return f"{PREFIX}-order-{order_id}"


def refund_key(request_id: uuid.UUID) -> str:
    """One Stripe refund per refund request."""
    return f"{PREFIX}-refund-{request_id}"


def cancellation_refund_key(order_id: uuid.UUID, already_out: int, refunds_known: int) -> str:
    """The refund that gives back the rest of a cancelled order's payment, given the refunds known so far.

    A refund that fails later leaves a shortfall under a new key (more refunds known), not the old key's answer.
    """
    return f"{PREFIX}-cancel-refund-{order_id}-{already_out}-{refunds_known}"


def customer_key(user_id: uuid.UUID) -> str:
    """One Stripe customer per user."""
    return f"{PREFIX}-customer-{user_id}"


def subscription_key(user_id: uuid.UUID, request_id: uuid.UUID) -> str:
    """One subscription per subscribe request of a user."""
    return f"{PREFIX}-sub-{user_id}-{request_id}"
