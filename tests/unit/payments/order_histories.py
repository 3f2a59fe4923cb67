"""Order histories for the state-machine tests: the facts of one order as they happened, and their outcome."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from consumers.fulfillment.domain import facts as f

ORDER = uuid.UUID("7a0e1d2c-3b4a-4c5d-8e6f-9a0b1c2d3e4f")
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
S0 = 1_772_366_400  # Stripe's clock for T0


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def placed(amount: int = 5000) -> f.Placed:
    return f.Placed("placed", amount, "eur", (f.Line("SKU-1", 2),), "pi_1", T0)


def payment(kind: f.PaymentKind, second: int, amount: int = 5000) -> f.PaymentObserved:
    received = amount if kind is f.PaymentKind.SUCCEEDED else 0
    return f.PaymentObserved(f"pay-{kind}-{second}", kind, S0 + second, received)


def refund(refund_id: str, amount: int, status: str, second: int) -> f.RefundObserved:
    return f.RefundObserved(f"refund-{refund_id}-{status}-{second}", refund_id, amount, status, S0 + second)


def charge_refunded(total: int, second: int, *listed: tuple[str, int]) -> f.ChargeRefundObserved:
    refunds = tuple(f.RefundObserved(f"ch-{second}/{r}", r, a, "succeeded", S0 + second) for r, a in listed)
    return f.ChargeRefundObserved(f"charge-{second}", S0 + second, total, refunds)


def request(n: int, amount: int, minute: int) -> f.RefundRequested:
    return f.RefundRequested(f"req-{n}", uuid.UUID(int=n), amount, at(minute))


def issued(n: int, refund_id: str, amount: int) -> f.RefundIssued:
    return f.RefundIssued(f"issued-{n}", uuid.UUID(int=n), refund_id, amount, "pending")


@dataclass(frozen=True)
class History:
    name: str
    facts: tuple[f.Fact, ...]
    order_status: str
    payment_status: str
    fulfillment_status: str
    refunded: int


P, FAIL, CANCEL, OK = (f.PaymentKind.PROCESSING, f.PaymentKind.FAILED, f.PaymentKind.CANCELED, f.PaymentKind.SUCCEEDED)
FWD = f.Forwarded("fwd", "primary", "po_1")
SHIP = f.Shipped("ship", "primary", at(60), "TRK1")
DELIVER = f.Delivered("deliver", "primary", at(600))

HISTORIES = (
    History(
        "delivered",
        (placed(), payment(P, 1), payment(OK, 2), FWD, SHIP, DELIVER),
        "delivered",
        "succeeded",
        "delivered",
        0,
    ),
    History(
        "retried after a decline",
        (placed(), payment(P, 1), payment(FAIL, 2), payment(P, 3), payment(OK, 4)),
        "paid",
        "succeeded",
        "pending",
        0,
    ),
    History("declined", (placed(), payment(P, 1), payment(FAIL, 2)), "payment_failed", "failed", "pending", 0),
    History("abandoned", (placed(), payment(FAIL, 2), payment(CANCEL, 9)), "cancelled", "canceled", "pending", 0),
    History(
        "partial refund after delivery",
        (
            placed(),
            payment(OK, 2),
            FWD,
            SHIP,
            DELIVER,
            request(1, 1500, 700),
            issued(1, "re_1", 1500),
            refund("re_1", 1500, "pending", 800),
            refund("re_1", 1500, "succeeded", 801),
            charge_refunded(1500, 801, ("re_1", 1500)),
        ),
        "delivered",
        "partially_refunded",
        "delivered",
        1500,
    ),
    History(
        "refunded in two parts",
        (
            placed(),
            payment(OK, 2),
            FWD,
            request(1, 2000, 10),
            issued(1, "re_1", 2000),
            refund("re_1", 2000, "succeeded", 20),
            request(2, 3000, 30),
            issued(2, "re_2", 3000),
            refund("re_2", 3000, "succeeded", 40),
            charge_refunded(5000, 40),
        ),
        "refunded",
        "refunded",
        "forwarded",
        5000,
    ),
    History(
        "a failed refund gives the money back",
        (
            placed(),
            payment(OK, 2),
            request(1, 5000, 10),
            issued(1, "re_1", 5000),
            refund("re_1", 5000, "pending", 20),
            refund("re_1", 5000, "failed", 50),
        ),
        "paid",
        "succeeded",
        "pending",
        0,
    ),
    History(
        "cancelled before forwarding",
        (
            placed(),
            payment(OK, 2),
            f.CancellationRequested("cancel-req"),
            f.Cancelled("cancelled"),
            refund("re_c", 5000, "succeeded", 30),
        ),
        "cancelled",
        "refunded",
        "cancelled",
        5000,
    ),
    History(
        "cancellation too late",
        (
            placed(),
            payment(OK, 2),
            FWD,
            SHIP,
            f.CancellationRequested("cancel-req"),
            f.CancellationRejected("rej", "already_shipped"),
        ),
        "shipped",
        "succeeded",
        "shipped",
        0,
    ),
)
