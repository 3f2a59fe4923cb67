"""Orders context: an order's life from placement to delivery, cancellation or refund (shine.orders.v1).

Keyed by order id. Amounts are integer minor units of `currency`. Every call the fulfilment consumer makes to the
outside world (a dropship partner, Stripe) ends in one of these events, successful or not.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from events.envelope import Event, Payload

TOPIC_NAME = "shine.orders.v1"


class OrderItem(Payload):
    product_id: uuid.UUID
    sku: str
    quantity: int = Field(ge=1)
    unit_amount: int = Field(ge=0)
    total_amount: int = Field(ge=0)


class OrderPlacedData(Payload):
    order_id: uuid.UUID
    user_id: uuid.UUID
    order_number: str
    items: tuple[OrderItem, ...]
    amount: int = Field(ge=0)
    currency: str
    payment_intent_id: str | None = None
    shipping_country: str | None = None


class OrderRef(Payload):
    order_id: uuid.UUID


class ForwardedData(OrderRef):
    partner: str
    partner_order_id: str
    idempotency_key: str
    attempts: int = Field(ge=1)


class ForwardAttemptFailedData(OrderRef):
    partner: str
    reason: str
    detail: str = ""


class ForwardingFailedData(OrderRef):
    partners_tried: tuple[str, ...]
    reason: str


class CancellationRequestedData(OrderRef):
    requested_by: uuid.UUID
    reason: str = ""


class CancelledData(OrderRef):
    reason: str = ""
    partner: str | None = None
    partner_order_id: str | None = None


class CancellationRejectedData(OrderRef):
    reason: str


class RefundRequestedData(OrderRef):
    refund_request_id: uuid.UUID
    amount: int = Field(gt=0)
    currency: str
    requested_by: uuid.UUID
    reason: str = ""


class RefundIssuedData(OrderRef):
    refund_request_id: uuid.UUID
    refund_id: str
    amount: int = Field(gt=0)
    status: str


class RefundRejectedData(OrderRef):
    refund_request_id: uuid.UUID
    reason: str


class ShipmentData(OrderRef):
    partner: str
    partner_order_id: str
    partner_event_id: str
    happened_at: datetime
    carrier: str | None = None
    tracking_number: str | None = None
    tracking_url: str | None = None


class OrderPlaced(Event):
    """A user placed an order at catalog prices; payment is pending."""

    TYPE = "order.placed"
    data: OrderPlacedData


class OrderForwarded(Event):
    """A dropship partner accepted the paid order."""

    TYPE = "order.forwarded"
    data: ForwardedData


class OrderForwardAttemptFailed(Event):
    """One partner could not take the order (5xx, timeout, circuit open, cannot supply, rejected)."""

    TYPE = "order.forward_attempt_failed"
    data: ForwardAttemptFailedData


class OrderForwardingFailed(Event):
    """No partner could take the paid order; it needs a retry or a person."""

    TYPE = "order.forwarding_failed"
    data: ForwardingFailedData


class OrderCancellationRequested(Event):
    """The owner or an admin asked to cancel the order."""

    TYPE = "order.cancellation_requested"
    data: CancellationRequestedData


class OrderCancelled(Event):
    """The order was cancelled before shipment (at the partner too, if it had been forwarded)."""

    TYPE = "order.cancelled"
    data: CancelledData


class OrderCancellationRejected(Event):
    """A cancellation came too late (already shipped) or the partner refused it."""

    TYPE = "order.cancellation_rejected"
    data: CancellationRejectedData


class OrderRefundRequested(Event):
    """The owner (within the return window) or an admin asked for a full or partial refund."""

    TYPE = "order.refund_requested"
    data: RefundRequestedData


class OrderRefundIssued(Event):
    """Stripe accepted a refund for the order; its outcome arrives later as payment.refund_updated."""

    TYPE = "order.refund_issued"
    data: RefundIssuedData


class OrderRefundRejected(Event):
    """A refund request was refused: more than what remains refundable, nothing paid, or Stripe said no."""

    TYPE = "order.refund_rejected"
    data: RefundRejectedData


class OrderShipped(Event):
    """The partner shipped the order (its signed order.shipped webhook)."""

    TYPE = "order.shipped"
    data: ShipmentData


class OrderDelivered(Event):
    """The partner delivered the order (its signed order.delivered webhook)."""

    TYPE = "order.delivered"
    data: ShipmentData


ORDER_EVENTS: tuple[type[Event], ...] = (
    OrderPlaced,
    OrderForwarded,
    OrderForwardAttemptFailed,
    OrderForwardingFailed,
    OrderCancellationRequested,
    OrderCancelled,
    OrderCancellationRejected,
    OrderRefundRequested,
    OrderRefundIssued,
    OrderRefundRejected,
    OrderShipped,
    OrderDelivered,
)
