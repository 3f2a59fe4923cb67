"""An order's state as a fold of facts that is the same for every order and repetition of the same facts.

Every field is a join (a maximum, a union or a first-wins-by-key), so applying facts is commutative and
idempotent: a refund seen before its payment, an update before the creation, a webhook delivered twice, all
end in one state. `revision` counts distinct facts, so it only grows and two folds of the same facts agree:
projections upsert `WHERE revision < excluded.revision`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from consumers.fulfillment.domain import facts as f

# A PaymentIntent's observations rank by (class, Stripe time, tie-break): success can never be undone, a
# cancellation ends an unpaid intent, and among attempts the latest wins (a failure, then a retry that processes).
_PAYMENT_CLASS = {
    f.PaymentKind.PROCESSING: 0,
    f.PaymentKind.FAILED: 0,
    f.PaymentKind.CANCELED: 1,
    f.PaymentKind.SUCCEEDED: 2,
}
_PAYMENT_TIE = {
    f.PaymentKind.PROCESSING: 0,
    f.PaymentKind.FAILED: 1,
    f.PaymentKind.CANCELED: 0,
    f.PaymentKind.SUCCEEDED: 0,
}
# A refund's statuses at the same Stripe second: pending first, then its outcome.
_REFUND_RANK = {"pending": 0, "requires_action": 0, "succeeded": 1, "failed": 2, "canceled": 2}
# Refunds we issued are known before Stripe's webhook says anything: any webhook observation outranks them.
ISSUED_CREATED = -1


@dataclass(frozen=True)
class RefundView:
    """One Stripe refund as last known."""

    amount: int
    status: str
    key: tuple[int, int]


@dataclass(frozen=True)
class OrderState:
    """Everything the facts say about one order."""

    order_id: uuid.UUID
    revision: int = 0
    seen: frozenset[str] = frozenset()
    placed: f.Placed | None = None
    payment: tuple[tuple[int, int, int], f.PaymentKind] | None = None
    amount_received: int = 0
    refunds: Mapping[str, RefundView] = field(default_factory=dict)
    charge_refunded: tuple[int, int] = (0, 0)  # (Stripe time, cumulative amount) of the latest charge.refunded
    requests: Mapping[uuid.UUID, f.RefundRequested] = field(default_factory=dict)
    issued: Mapping[uuid.UUID, f.RefundIssued] = field(default_factory=dict)
    rejected: Mapping[uuid.UUID, str] = field(default_factory=dict)
    forwarded: f.Forwarded | None = None
    forwarding_failed: bool = False
    cancel_requested: bool = False
    cancelled: bool = False
    cancellation_rejected: bool = False
    shipped: f.Shipped | None = None
    delivered: f.Delivered | None = None

    @property
    def payment_kind(self) -> f.PaymentKind | None:
        """What the PaymentIntent's highest-ranked observation says, or None before any."""
        return self.payment[1] if self.payment else None


def _first(current: Any, new: Any, key: Any) -> Any:
    """The smaller of two values by key, so the choice never depends on arrival order."""
    return new if current is None or key(new) < key(current) else current


def _refund(state: OrderState, refund_id: str, amount: int, status: str, created: int) -> OrderState:
    view = RefundView(amount, status, (created, _REFUND_RANK.get(status, 0)))
    known = state.refunds.get(refund_id)
    if known is not None and (known.key, known.status) >= (view.key, view.status):
        return state
    return replace(state, refunds={**state.refunds, refund_id: view})


def _payment(state: OrderState, fact: f.PaymentObserved) -> OrderState:
    key = (_PAYMENT_CLASS[fact.kind], fact.created, _PAYMENT_TIE[fact.kind])
    if state.payment is None or key > state.payment[0]:
        state = replace(state, payment=(key, fact.kind))
    if fact.kind is f.PaymentKind.SUCCEEDED:
        state = replace(state, amount_received=max(state.amount_received, fact.amount_received))
    return state


def _charge(state: OrderState, fact: f.ChargeRefundObserved) -> OrderState:
    state = replace(state, charge_refunded=max(state.charge_refunded, (fact.created, fact.amount_refunded)))
    for r in fact.refunds:
        state = _refund(state, r.refund_id, r.amount, r.status, r.created)
    return state


def _issued(state: OrderState, fact: f.RefundIssued) -> OrderState:
    state = replace(state, issued={**state.issued, fact.request_id: fact})
    return _refund(state, fact.refund_id, fact.amount, fact.status, ISSUED_CREATED)


# One join per fact type; `_first` keys make the kept fact independent of arrival order.
_FOLDS: Mapping[type[Any], Callable[[OrderState, Any], OrderState]] = {
    f.Placed: lambda s, x: replace(s, placed=_first(s.placed, x, lambda p: p.fact_id)),
    f.PaymentObserved: _payment,
    f.RefundObserved: lambda s, x: _refund(s, x.refund_id, x.amount, x.status, x.created),
    f.ChargeRefundObserved: _charge,
    f.RefundRequested: lambda s, x: replace(s, requests={**s.requests, x.request_id: x}),
    f.RefundIssued: _issued,
    f.RefundRejected: lambda s, x: replace(s, rejected={**s.rejected, x.request_id: x.reason}),
    f.Forwarded: lambda s, x: replace(s, forwarded=_first(s.forwarded, x, lambda w: (w.partner, w.partner_order_id))),
    f.ForwardingFailed: lambda s, x: replace(s, forwarding_failed=True),
    f.CancellationRequested: lambda s, x: replace(s, cancel_requested=True),
    f.Cancelled: lambda s, x: replace(s, cancelled=True),
    f.CancellationRejected: lambda s, x: replace(s, cancellation_rejected=True),
    f.Shipped: lambda s, x: replace(s, shipped=_first(s.shipped, x, lambda v: (v.at, v.fact_id))),
    f.Delivered: lambda s, x: replace(s, delivered=_first(s.delivered, x, lambda v: (v.at, v.fact_id))),
}


def apply(state: OrderState, fact: f.Fact) -> OrderState:
    """The state after fact; a fact already applied changes nothing (not even the revision)."""
    if fact.fact_id in state.seen:
        return state
    folded = _FOLDS[type(fact)](state, fact)
    return replace(folded, seen=state.seen | {fact.fact_id}, revision=state.revision + 1)


def fold(order_id: uuid.UUID, facts: Iterable[f.Fact], start: OrderState | None = None) -> OrderState:
    """The state after every fact, from start (or nothing)."""
    state = start or OrderState(order_id)
    for fact in facts:
        state = apply(state, fact)
    return state
