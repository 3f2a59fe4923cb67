"""Stripe webhook bodies shaped like Stripe's own (API 2025+ and older field layouts), signed like Stripe signs."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import stripe

SECRET = "whsec_test_current"
OLD_SECRET = "whsec_test_previous"


def stripe_event(
    event_type: str, obj: dict[str, Any], *, event_id: str | None = None, created: int = 0
) -> dict[str, Any]:
    """A Stripe event envelope around obj."""
    return {
        "id": event_id or f"evt_{uuid.uuid4().hex[:24]}",
        "object": "event",
        "api_version": "2025-06-30.basil",
        "created": created or int(time.time()),
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
        "data": {"object": obj},
    }


def payment_intent(
    pi_id: str, status: str, *, amount: int = 4200, order_id: uuid.UUID | None = None, received: int | None = None
) -> dict[str, Any]:
    """A PaymentIntent object."""
    metadata = {"order_id": str(order_id)} if order_id else {}
    error = {
        "code": "card_declined",
        "decline_code": "insufficient_funds",
        "message": "Your card has insufficient funds.",
    }
    return {
        "id": pi_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_received": amount if received is None and status == "succeeded" else (received or 0),
        "currency": "eur",
        "status": status,
        "metadata": metadata,
        "latest_charge": f"ch_{pi_id[3:]}",
        "last_payment_error": error if status == "requires_payment_method" else None,
    }


def charge(
    pi_id: str, *, amount: int = 4200, refunded: int = 0, refunds: tuple[tuple[str, int], ...] = ()
) -> dict[str, Any]:
    """A Charge object, refunded by `refunded` in total."""
    listed = [{"id": rid, "object": "refund", "amount": amt, "status": "succeeded"} for rid, amt in refunds]
    return {
        "id": f"ch_{pi_id[3:]}",
        "object": "charge",
        "amount": amount,
        "amount_refunded": refunded,
        "refunded": refunded == amount,
        "currency": "eur",
        "payment_intent": pi_id,
        "metadata": {},
        "refunds": {"object": "list", "data": listed},
    }


def refund(refund_id: str, pi_id: str, amount: int, status: str, order_id: uuid.UUID | None = None) -> dict[str, Any]:
    """A Refund object."""
    return {
        "id": refund_id,
        "object": "refund",
        "amount": amount,
        "currency": "eur",
        "charge": f"ch_{pi_id[3:]}",
        "payment_intent": pi_id,
        "status": status,
        "reason": "requested_by_customer",
        "metadata": {"order_id": str(order_id)} if order_id else {},
    }


def subscription(sub_id: str, status: str, user_id: uuid.UUID, *, period_end: int = 1_800_000_000) -> dict[str, Any]:
    """A Subscription object in the 2025+ layout (period on the item)."""
    item = {"id": "si_1", "price": {"id": "price_premium_monthly"}, "current_period_end": period_end}
    return {
        "id": sub_id,
        "object": "subscription",
        "customer": "cus_123",
        "status": status,
        "metadata": {"user_id": str(user_id)},
        "items": {"object": "list", "data": [item]},
        "cancel_at_period_end": False,
        "canceled_at": None,
    }


def invoice(invoice_id: str, sub_id: str, user_id: uuid.UUID, *, paid: int, legacy: bool = False) -> dict[str, Any]:
    """An Invoice object; `legacy` puts the subscription at the top level as API versions before 2025-03-31 did."""
    base: dict[str, Any] = {
        "id": invoice_id,
        "object": "invoice",
        "customer": "cus_123",
        "amount_due": 999,
        "amount_paid": paid,
        "currency": "eur",
        "status": "paid" if paid else "open",
        "billing_reason": "subscription_cycle",
        "period_end": 1_800_000_000,
    }
    metadata = {"user_id": str(user_id)}
    if legacy:
        return {**base, "subscription": sub_id, "subscription_details": {"metadata": metadata}}
    details = {"subscription": sub_id, "metadata": metadata}
    return {**base, "parent": {"type": "subscription_details", "subscription_details": details}}


def signed(event: dict[str, Any], secret: str = SECRET, *, timestamp: int | None = None) -> tuple[bytes, str]:
    """The raw body and its Stripe-Signature header."""
    body = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(body, secret, timestamp=timestamp or int(time.time()))
    return body.encode(), header
