"""An order's projection rows and timeline as pure functions of its events (folded by consumers' domain)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from consumers.fulfillment.domain.from_events import fact_from_event
from consumers.fulfillment.domain.order_state import OrderState, fold
from consumers.fulfillment.domain.order_status import (
    fulfillment_status,
    order_status,
    paid_amount,
    payment_status,
    refundable_amount,
    refunded_amount,
)
from events import orders as o
from events import payments as p
from events.envelope import NAMESPACE, Event


def order_state(order_id: uuid.UUID, events: Sequence[Event]) -> OrderState:
    """The order's state after all its events, in any order."""
    facts = [f for f in (fact_from_event(e) for e in events) if f is not None]
    return fold(order_id, sorted(facts, key=lambda f: f.fact_id))


def placed_event(events: Sequence[Event]) -> o.OrderPlaced | None:
    """The order.placed among the events (the first by id if repeated under other ids)."""
    placed = sorted((e for e in events if isinstance(e, o.OrderPlaced)), key=lambda e: str(e.event_id))
    return placed[0] if placed else None


def _first_time(events: Sequence[Event], kind: type[Event]) -> datetime | None:
    times = [e.occurred_at for e in events if isinstance(e, kind)]
    return min(times) if times else None


def order_row(state: OrderState, placed: o.OrderPlaced, events: Sequence[Event]) -> dict[str, Any]:
    """The `orders` row."""
    d = placed.data
    return {
        "id": d.order_id,
        "user_id": d.user_id,
        "order_number": d.order_number,
        "order_status": order_status(state),
        "total_amount": d.amount,
        "currency": d.currency,
        "payment_status": payment_status(state),
        "fulfillment_status": fulfillment_status(state),
        "payment_intent_id": d.payment_intent_id,
        "paid_amount": paid_amount(state),
        "refunded_amount": refunded_amount(state),
        "refundable_amount": refundable_amount(state),
        "partner": state.forwarded.partner if state.forwarded else None,
        "partner_order_id": state.forwarded.partner_order_id if state.forwarded else None,
        "carrier": _carrier(events),
        "tracking_number": state.shipped.tracking_number if state.shipped else None,
        "paid_at": _first_time(events, p.PaymentSucceeded) if paid_amount(state) else None,
        "shipped_at": state.shipped.at if state.shipped else None,
        "created_at": placed.occurred_at,
    }


def _carrier(events: Sequence[Event]) -> str | None:
    shipped = sorted(
        (e for e in events if isinstance(e, o.OrderShipped)), key=lambda e: (e.occurred_at, str(e.event_id))
    )
    return shipped[0].data.carrier if shipped else None


def item_rows(placed: o.OrderPlaced) -> list[dict[str, Any]]:
    """The `order_items` rows (ids derived from the order and the line's position)."""
    d = placed.data
    return [
        {
            "id": uuid.uuid5(d.order_id, f"item/{n}"),
            "order_id": d.order_id,
            "product_id": item.product_id,
            "sku": item.sku,
            "quantity": item.quantity,
            "unit_price": item.unit_amount,
            "total_price": item.total_amount,
            "currency": d.currency,
            "created_at": placed.occurred_at,
        }
        for n, item in enumerate(d.items)
    ]


def payment_row(state: OrderState, placed: o.OrderPlaced, events: Sequence[Event]) -> dict[str, Any] | None:
    """The `payments` row for the order's PaymentIntent (None before it has one)."""
    d = placed.data
    if d.payment_intent_id is None:
        return None
    return {
        "id": uuid.uuid5(NAMESPACE, f"payment/{d.payment_intent_id}"),
        "order_id": d.order_id,
        "user_id": d.user_id,
        "stripe_payment_intent_id": d.payment_intent_id,
        "payment_method": None,
        "amount": paid_amount(state) or d.amount,
        "currency": d.currency,
        "payment_status": payment_status(state),
        "refunded_amount": refunded_amount(state),
        "processed_at": _first_time(events, p.PaymentSucceeded) if paid_amount(state) else None,
        "created_at": placed.occurred_at,
    }


def _refund_ids(event: Event) -> list[str]:
    data = event.data
    if isinstance(data, p.RefundData):
        return [data.refund_id]
    if isinstance(data, p.ChargeRefundedData):
        return [r.refund_id for r in data.refunds]
    return [data.refund_id] if isinstance(data, o.RefundIssuedData) else []


def refund_rows(state: OrderState, currency: str, events: Sequence[Event]) -> list[dict[str, Any]]:
    """The `refunds` rows: each Stripe refund as last known, dated by the first event that named it."""
    first: dict[str, datetime] = {}
    for event in events:
        for refund_id in _refund_ids(event):
            first[refund_id] = min(first.get(refund_id, event.occurred_at), event.occurred_at)
    return [
        {
            "refund_id": refund_id,
            "order_id": state.order_id,
            "amount": view.amount,
            "currency": currency,
            "status": view.status,
            "created_at": first.get(refund_id),
        }
        for refund_id, view in sorted(state.refunds.items())
    ]


_LABELS: dict[type[Event], str] = {
    o.OrderPlaced: "placed",
    p.PaymentProcessingStarted: "payment_processing",
    p.PaymentSucceeded: "paid",
    p.PaymentFailed: "payment_failed",
    p.PaymentCanceled: "payment_canceled",
    o.OrderForwarded: "forwarded",
    o.OrderForwardAttemptFailed: "forward_attempt_failed",
    o.OrderForwardingFailed: "forwarding_failed",
    o.OrderCancellationRequested: "cancellation_requested",
    o.OrderCancelled: "cancelled",
    o.OrderCancellationRejected: "cancellation_rejected",
    o.OrderRefundRequested: "refund_requested",
    o.OrderRefundIssued: "refund_issued",
    o.OrderRefundRejected: "refund_rejected",
    p.PaymentRefunded: "refunded",
    p.RefundUpdated: "refund_updated",
    o.OrderShipped: "shipped",
    o.OrderDelivered: "delivered",
}


_RANK = {kind: n for n, kind in enumerate(_LABELS)}


def timeline(events: Sequence[Event]) -> list[dict[str, Any]]:
    """The order's status history, oldest first; a fact or decision heard twice appears once.

    Stripe stamps its events in whole seconds: within one second, the order of an order's life decides.
    """
    first: dict[tuple[object, ...], tuple[int, int, str, dict[str, Any]]] = {}
    for event in events:
        label = _LABELS.get(type(event))
        if label is None:
            continue
        entry = {"status": label, "at": event.occurred_at, **_detail(event)}
        candidate = (int(event.occurred_at.timestamp()), _RANK[type(event)], str(event.event_id), entry)
        key = _decision(event)
        if key not in first or candidate[:3] < first[key][:3]:
            first[key] = candidate
    return [entry for *_, entry in sorted(first.values(), key=lambda e: e[:3])]


def _decision(event: Event) -> tuple[object, ...]:
    """What an entry is about: the consumer may announce one decision again (re-planned after a redelivery or
    before its own outcome came back) under another event id; the timeline shows each decision once."""
    data = event.data
    if isinstance(data, o.RefundRequestedData | o.RefundIssuedData | o.RefundRejectedData):
        return (event.type, data.refund_request_id)
    if isinstance(data, o.ForwardedData):
        return (event.type, data.partner, data.partner_order_id)
    if isinstance(data, o.CancelledData | o.CancellationRejectedData | o.ForwardingFailedData):
        return (event.type,)
    return (event.event_id,)


def _detail(event: Event) -> dict[str, Any]:
    data = event.data
    if isinstance(data, o.ForwardedData | o.ForwardAttemptFailedData):
        return {"partner": data.partner}
    if isinstance(data, o.ShipmentData):
        return {"partner": data.partner, "tracking_number": data.tracking_number}
    if isinstance(data, o.RefundRequestedData | o.RefundIssuedData):
        return {"amount": data.amount, "refund_request_id": str(data.refund_request_id)}
    if isinstance(data, o.RefundRejectedData):
        return {"reason": data.reason, "refund_request_id": str(data.refund_request_id)}
    if isinstance(data, o.CancellationRejectedData):
        return {"reason": data.reason}
    if isinstance(data, p.RefundData):
        return {"amount": data.amount, "refund_status": data.status}
    if isinstance(data, p.ChargeRefundedData):
        return {"amount_refunded": data.amount_refunded}
    return {}
