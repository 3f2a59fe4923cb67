"""The facts an order's state is folded from, each with the id of the event that carried it (its dedupe key)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class PaymentKind(StrEnum):
    """What a payment_intent.* webhook said."""

    PROCESSING = "processing"
    FAILED = "failed"
    CANCELED = "canceled"
    SUCCEEDED = "succeeded"


@dataclass(frozen=True)
class Line:
    sku: str
    quantity: int


@dataclass(frozen=True)
class Placed:
    fact_id: str
    amount: int
    currency: str
    lines: tuple[Line, ...]
    payment_intent_id: str | None
    placed_at: datetime


@dataclass(frozen=True)
class PaymentObserved:
    fact_id: str
    kind: PaymentKind
    created: int  # Stripe's clock, seconds
    amount_received: int = 0


@dataclass(frozen=True)
class RefundObserved:
    """A Stripe refund's state at `created` (refund.created/updated, or listed on charge.refunded)."""

    fact_id: str
    refund_id: str
    amount: int
    status: str
    created: int


@dataclass(frozen=True)
class ChargeRefundObserved:
    """charge.refunded: the charge's cumulative refunded amount at `created`, with the refunds it listed."""

    fact_id: str
    created: int
    amount_refunded: int
    refunds: tuple[RefundObserved, ...] = ()


@dataclass(frozen=True)
class RefundRequested:
    fact_id: str
    request_id: uuid.UUID
    amount: int
    requested_at: datetime


@dataclass(frozen=True)
class RefundIssued:
    fact_id: str
    request_id: uuid.UUID
    refund_id: str
    amount: int
    status: str


@dataclass(frozen=True)
class RefundRejected:
    fact_id: str
    request_id: uuid.UUID
    reason: str


@dataclass(frozen=True)
class Forwarded:
    fact_id: str
    partner: str
    partner_order_id: str


@dataclass(frozen=True)
class ForwardingFailed:
    fact_id: str
    reason: str


@dataclass(frozen=True)
class CancellationRequested:
    fact_id: str


@dataclass(frozen=True)
class Cancelled:
    fact_id: str


@dataclass(frozen=True)
class CancellationRejected:
    fact_id: str
    reason: str


@dataclass(frozen=True)
class Shipped:
    fact_id: str
    partner: str
    at: datetime
    tracking_number: str | None = None


@dataclass(frozen=True)
class Delivered:
    fact_id: str
    partner: str
    at: datetime


Fact = (
    Placed
    | PaymentObserved
    | RefundObserved
    | ChargeRefundObserved
    | RefundRequested
    | RefundIssued
    | RefundRejected
    | Forwarded
    | ForwardingFailed
    | CancellationRequested
    | Cancelled
    | CancellationRejected
    | Shipped
    | Delivered
)
