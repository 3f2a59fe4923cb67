"""Turn payments and orders events into order facts (pure); the fact id is the event id, the dedupe key.

Payment events are keyed by PaymentIntent, not by order: the caller finds the order (the intent's metadata, or
the order.placed that named the intent) and folds the fact into it.
"""

from __future__ import annotations

import uuid

from consumers.fulfillment.domain import facts as f
from events import orders as o
from events import payments as p
from events.envelope import Event

_PAYMENT_KINDS: dict[type[Event], f.PaymentKind] = {
    p.PaymentProcessingStarted: f.PaymentKind.PROCESSING,
    p.PaymentFailed: f.PaymentKind.FAILED,
    p.PaymentCanceled: f.PaymentKind.CANCELED,
    p.PaymentSucceeded: f.PaymentKind.SUCCEEDED,
}


def _payment_fact(event: Event) -> f.Fact | None:
    fact_id = str(event.event_id)
    match event:
        case p.PaymentProcessingStarted() | p.PaymentFailed() | p.PaymentCanceled() | p.PaymentSucceeded():
            d = event.data
            return f.PaymentObserved(fact_id, _PAYMENT_KINDS[type(event)], d.stripe_created, d.amount_received)
        case p.PaymentRefunded():
            c = event.data
            listed = tuple(
                f.RefundObserved(f"{fact_id}/{r.refund_id}", r.refund_id, r.amount, r.status, c.stripe_created)
                for r in c.refunds
            )
            return f.ChargeRefundObserved(fact_id, c.stripe_created, c.amount_refunded, listed)
        case p.RefundUpdated():
            r = event.data
            return f.RefundObserved(fact_id, r.refund_id, r.amount, r.status, r.stripe_created)
    return None


def _order_fact(event: Event) -> f.Fact | None:
    fact_id = str(event.event_id)
    match event:
        case o.OrderPlaced():
            d = event.data
            lines = tuple(f.Line(i.sku, i.quantity) for i in d.items)
            return f.Placed(fact_id, d.amount, d.currency, lines, d.payment_intent_id, event.occurred_at)
        case o.OrderRefundRequested():
            return f.RefundRequested(fact_id, event.data.refund_request_id, event.data.amount, event.occurred_at)
        case o.OrderRefundIssued():
            i = event.data
            return f.RefundIssued(fact_id, i.refund_request_id, i.refund_id, i.amount, i.status)
        case o.OrderRefundRejected():
            return f.RefundRejected(fact_id, event.data.refund_request_id, event.data.reason)
        case o.OrderForwarded():
            return f.Forwarded(fact_id, event.data.partner, event.data.partner_order_id)
        case o.OrderForwardingFailed():
            return f.ForwardingFailed(fact_id, event.data.reason)
        case o.OrderCancellationRequested():
            return f.CancellationRequested(fact_id)
        case o.OrderCancelled():
            return f.Cancelled(fact_id)
        case o.OrderCancellationRejected():
            return f.CancellationRejected(fact_id, event.data.reason)
        case o.OrderShipped():
            return f.Shipped(fact_id, event.data.partner, event.data.happened_at, event.data.tracking_number)
        case o.OrderDelivered():
            return f.Delivered(fact_id, event.data.partner, event.data.happened_at)
    return None


def fact_from_event(event: Event) -> f.Fact | None:
    """The order fact an event carries, or None for events that do not change an order (attempts, plans)."""
    return _order_fact(event) or _payment_fact(event)


def payment_intent_of(event: Event) -> str | None:
    """The PaymentIntent a payments event is about (how the caller finds its order), if any."""
    data = event.data
    return (
        data.payment_intent_id if isinstance(data, p.PaymentIntentData | p.ChargeRefundedData | p.RefundData) else None
    )


def order_of(event: Event) -> uuid.UUID | None:
    """The order an event names itself: orders events always, payments events through our metadata."""
    order_id = getattr(event.data, "order_id", None)
    return order_id if isinstance(order_id, uuid.UUID) else None
