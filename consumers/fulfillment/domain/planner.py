"""What the fulfillment consumer should do next for an order, decided from its state alone.

The consumer folds each incoming fact, asks `next_actions`, performs them (each with an idempotency key derived
from the order or the request) and publishes every outcome as an event, which comes back as a fact and removes
the action. Asking again after a crash or a redelivery gives the same actions with the same keys, so the outside
world sees each call once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from consumers.fulfillment.domain import keys
from consumers.fulfillment.domain.facts import PaymentKind
from consumers.fulfillment.domain.order_state import OrderState
from consumers.fulfillment.domain.order_status import paid_amount, refund_exposure


@dataclass(frozen=True)
class Forward:
    """Send the paid order to the partners in preference order (routing.py).

    Accepted → order.forwarded; a partner's refusal for good → order.forwarding_failed. When every partner is
    merely down, the handler raises instead, so the delivery runtime retries the message while the outage lasts.
    """

    idempotency_key: str


@dataclass(frozen=True)
class CancelOrder:
    """Cancel at the partner (if forwarded), then the unpaid PaymentIntent (if any) → order.cancelled.

    The partner answering that it already shipped → order.cancellation_rejected. A PaymentIntent that cannot be
    cancelled any more (it succeeded meanwhile) is no failure: the cancelled order's refund follows.
    """

    partner: str | None
    partner_order_id: str | None
    payment_intent_id: str | None
    reason: str


@dataclass(frozen=True)
class IssueRefund:
    """Refund `amount` through Stripe → order.refund_issued (or order.refund_rejected if Stripe refuses)."""

    request_id: uuid.UUID | None  # None: the refund that a cancellation owes
    amount: int
    idempotency_key: str


@dataclass(frozen=True)
class RejectRefund:
    """Refuse a refund request → order.refund_rejected."""

    request_id: uuid.UUID
    reason: str


@dataclass(frozen=True)
class RejectCancellation:
    """Refuse a cancellation → order.cancellation_rejected."""

    reason: str


Action = Forward | CancelOrder | IssueRefund | RejectRefund | RejectCancellation


def _shipped(state: OrderState) -> bool:
    return state.shipped is not None or state.delivered is not None


def _fully_refunded(state: OrderState) -> bool:
    paid = paid_amount(state)
    return paid > 0 and refund_exposure(state) >= paid


def _forwarding(state: OrderState, refunding: int) -> list[Action]:
    """Forward a paid order unless it is being cancelled or (with the refunds just approved) fully refunded."""
    paid = state.payment_kind is PaymentKind.SUCCEEDED
    waiting = state.forwarded is None and not state.forwarding_failed and not _shipped(state)
    given_back = refund_exposure(state) + refunding >= paid_amount(state)
    if paid and waiting and not state.cancel_requested and not state.cancelled and not given_back:
        return [Forward(keys.partner_order_key(state.order_id))]
    return []


def _cancellation(state: OrderState) -> list[Action]:
    if not state.cancel_requested or state.cancelled or state.cancellation_rejected:
        return []
    if _shipped(state):
        return [RejectCancellation("already_shipped")]
    partner = state.forwarded.partner if state.forwarded else None
    partner_order = state.forwarded.partner_order_id if state.forwarded else None
    unpaid = state.payment_kind in (None, PaymentKind.PROCESSING, PaymentKind.FAILED)
    intent = state.placed.payment_intent_id if state.placed and unpaid else None
    return [CancelOrder(partner, partner_order, intent, "requested")]


def _cancellation_refund(state: OrderState) -> list[Action]:
    """A cancelled order gives back what was paid, even if the payment landed after the cancellation."""
    if not state.cancelled or _shipped(state):
        return []
    out = refund_exposure(state)
    owed = paid_amount(state) - out
    return (
        [IssueRefund(None, owed, keys.cancellation_refund_key(state.order_id, out, len(state.refunds)))]
        if owed > 0
        else []
    )


def _refund_requests(state: OrderState, committing: int) -> list[Action]:
    """Decide open refund requests oldest first, each against what the earlier ones (and `committing`) left."""
    open_requests = sorted(
        (r for r in state.requests.values() if r.request_id not in state.issued and r.request_id not in state.rejected),
        key=lambda r: (r.requested_at, str(r.request_id)),
    )
    if not open_requests:
        return []
    kind = state.payment_kind
    if kind is not PaymentKind.SUCCEEDED:
        if kind is PaymentKind.CANCELED:
            return [RejectRefund(r.request_id, "not_paid") for r in open_requests]
        return []  # the payment's outcome has not reached us yet: decide when it does
    remaining = paid_amount(state) - refund_exposure(state) - committing
    decided: list[Action] = []
    for request in open_requests:
        if request.amount <= remaining:
            decided.append(IssueRefund(request.request_id, request.amount, keys.refund_key(request.request_id)))
            remaining -= request.amount
        else:
            decided.append(RejectRefund(request.request_id, "exceeds_refundable_amount"))
    return decided


def _cancel_fully_refunded(state: OrderState) -> list[Action]:
    """A full refund before shipment is forwarded to the partner as a cancellation."""
    if state.cancel_requested or state.cancelled or state.cancellation_rejected or state.forwarded is None:
        return []
    if _shipped(state) or not _fully_refunded(state):
        return []
    return [CancelOrder(state.forwarded.partner, state.forwarded.partner_order_id, None, "refunded")]


def next_actions(state: OrderState) -> tuple[Action, ...]:
    """Everything the order needs done now; empty when it is settled or waiting for the outside world."""
    if state.placed is None:
        return ()  # facts about an order we have not seen placed wait in the state until it arrives
    # Refunds decided in this same plan count against the cap before the next one is decided.
    owed = _cancellation_refund(state)
    refunds = _refund_requests(state, sum(a.amount for a in owed if isinstance(a, IssueRefund)))
    refunding = sum(a.amount for a in (*owed, *refunds) if isinstance(a, IssueRefund))
    return tuple(_forwarding(state, refunding) + _cancellation(state) + owed + refunds + _cancel_fully_refunded(state))
