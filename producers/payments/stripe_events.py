"""Map a verified Stripe event to our payments event: one Stripe event type, one of ours, or none (unknown)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from events import payments as p
from events.envelope import NAMESPACE, Event
from producers.payments import stripe_objects as so

SOURCE = "stripe-bridge"
StripeEvent = Mapping[str, Any]


def event_id_for(stripe_event_id: str) -> uuid.UUID:
    """Our event id for a Stripe event: the same Stripe event always becomes the same event (dedupe key)."""
    return uuid.uuid5(NAMESPACE, f"stripe/{stripe_event_id}")


def _fact(event: StripeEvent) -> dict[str, Any]:
    return {
        "stripe_event_id": event["id"],
        "stripe_event_type": event["type"],
        "stripe_created": event["created"],
        "livemode": bool(event.get("livemode", False)),
    }


def _intent(event: StripeEvent, obj: Mapping[str, Any]) -> p.PaymentIntentData:
    code, message = so.last_payment_error(obj)
    return p.PaymentIntentData(
        **_fact(event),
        payment_intent_id=so.text(obj, "id"),
        order_id=so.metadata_uuid(obj, "order_id"),
        user_id=so.metadata_uuid(obj, "user_id"),
        amount=so.amount(obj, "amount"),
        amount_received=so.amount(obj, "amount_received", 0),
        currency=so.currency(obj),
        status=so.text(obj, "status"),
        latest_charge=so.optional_text(obj, "latest_charge"),
        failure_code=code,
        failure_message=message,
    )


def _charge_refunded(event: StripeEvent, obj: Mapping[str, Any]) -> p.ChargeRefundedData:
    refunds = tuple(
        p.RefundSummary(refund_id=so.text(r, "id"), amount=so.amount(r, "amount"), status=so.text(r, "status"))
        for r in so.listed(obj, "refunds")
    )
    return p.ChargeRefundedData(
        **_fact(event),
        payment_intent_id=so.optional_text(obj, "payment_intent"),
        charge_id=so.text(obj, "id"),
        order_id=so.metadata_uuid(obj, "order_id"),
        amount=so.amount(obj, "amount"),
        amount_refunded=so.amount(obj, "amount_refunded"),
        currency=so.currency(obj),
        refunds=refunds,
    )


def _refund(event: StripeEvent, obj: Mapping[str, Any]) -> p.RefundData:
    return p.RefundData(
        **_fact(event),
        refund_id=so.text(obj, "id"),
        payment_intent_id=so.optional_text(obj, "payment_intent"),
        charge_id=so.optional_text(obj, "charge"),
        order_id=so.metadata_uuid(obj, "order_id"),
        amount=so.amount(obj, "amount"),
        currency=so.currency(obj),
        status=so.text(obj, "status"),
        reason=so.optional_text(obj, "reason"),
        failure_reason=so.optional_text(obj, "failure_reason"),
    )


def _subscription(event: StripeEvent, obj: Mapping[str, Any]) -> p.SubscriptionData:
    price, period_end = so.subscription_price_and_period(obj)
    return p.SubscriptionData(
        **_fact(event),
        subscription_id=so.text(obj, "id"),
        customer_id=so.optional_text(obj, "customer") or "",
        user_id=so.metadata_uuid(obj, "user_id"),
        status=so.text(obj, "status"),
        price_id=price,
        current_period_end=period_end,
        cancel_at_period_end=bool(obj.get("cancel_at_period_end", False)),
        canceled_at=so.optional_int(obj, "canceled_at"),
    )


def _invoice(event: StripeEvent, obj: Mapping[str, Any]) -> p.InvoiceData:
    subscription_id, sub_metadata = so.invoice_subscription(obj)
    return p.InvoiceData(
        **_fact(event),
        invoice_id=so.text(obj, "id"),
        subscription_id=subscription_id,
        customer_id=so.optional_text(obj, "customer"),
        user_id=so.metadata_uuid(obj, "user_id") or so.metadata_uuid({"metadata": sub_metadata}, "user_id"),
        amount_due=so.amount(obj, "amount_due", 0),
        amount_paid=so.amount(obj, "amount_paid", 0),
        currency=so.currency(obj),
        status=so.optional_text(obj, "status"),
        billing_reason=so.optional_text(obj, "billing_reason"),
        period_end=so.optional_int(obj, "period_end"),
    )


Reader = Callable[[StripeEvent, Mapping[str, Any]], Any]
# Stripe event type -> (our event class, how to read its object, which field keys it on Kafka).
MAPPING: Mapping[str, tuple[type[Event], Reader, Callable[[Any], str]]] = {
    "payment_intent.processing": (p.PaymentProcessingStarted, _intent, lambda d: d.payment_intent_id),
    "payment_intent.succeeded": (p.PaymentSucceeded, _intent, lambda d: d.payment_intent_id),
    "payment_intent.payment_failed": (p.PaymentFailed, _intent, lambda d: d.payment_intent_id),
    "payment_intent.canceled": (p.PaymentCanceled, _intent, lambda d: d.payment_intent_id),
    "charge.refunded": (p.PaymentRefunded, _charge_refunded, lambda d: d.payment_intent_id or d.charge_id),
    "refund.created": (p.RefundUpdated, _refund, lambda d: d.payment_intent_id or d.charge_id or d.refund_id),
    "refund.updated": (p.RefundUpdated, _refund, lambda d: d.payment_intent_id or d.charge_id or d.refund_id),
    "customer.subscription.created": (p.SubscriptionCreated, _subscription, lambda d: d.subscription_id),
    "customer.subscription.updated": (p.SubscriptionUpdated, _subscription, lambda d: d.subscription_id),
    "customer.subscription.deleted": (p.SubscriptionDeleted, _subscription, lambda d: d.subscription_id),
    "invoice.paid": (p.InvoicePaid, _invoice, lambda d: d.subscription_id or d.invoice_id),
    "invoice.payment_failed": (p.InvoicePaymentFailed, _invoice, lambda d: d.subscription_id or d.invoice_id),
}


def map_stripe_event(event: StripeEvent) -> Event | None:
    """Our event for a verified Stripe event, or None for a type we do not handle; UnreadableObject if broken."""
    known = MAPPING.get(str(event.get("type")))
    if known is None:
        return None
    cls, read, key = known
    obj = event["data"]["object"]
    data = read(event, obj)
    order_id = getattr(data, "order_id", None)
    return cls(
        event_id=event_id_for(str(event["id"])),
        occurred_at=datetime.fromtimestamp(int(event["created"]), UTC),
        source=SOURCE,
        subject=key(data),
        # The order ties a payment to everything else about it; otherwise the Stripe event is its own story.
        correlation_id=str(order_id) if order_id else str(event["id"]),
        data=data,
    )
