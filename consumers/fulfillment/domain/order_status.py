"""What an order's state means: amounts paid and refunded, and its payment, fulfilment and overall status."""

from __future__ import annotations

from consumers.fulfillment.domain.facts import PaymentKind
from consumers.fulfillment.domain.order_state import OrderState

# Refund statuses that hold money: settled, or on their way (they can still fail and give it back).
LIVE_REFUND_STATUSES = frozenset({"pending", "requires_action", "succeeded"})


def paid_amount(state: OrderState) -> int:
    """What the customer paid (0 until the PaymentIntent succeeded)."""
    if state.payment_kind is not PaymentKind.SUCCEEDED:
        return 0
    if state.amount_received > 0:
        return state.amount_received
    return state.placed.amount if state.placed else 0


def refunded_amount(state: OrderState) -> int:
    """What has been given back for good, never more than was paid."""
    settled = sum(r.amount for r in state.refunds.values() if r.status == "succeeded")
    return min(paid_amount(state), max(settled, state.charge_refunded[1]))


def refund_exposure(state: OrderState) -> int:
    """What is refunded or on its way back: the cap for new refunds counts pending ones too."""
    live = sum(r.amount for r in state.refunds.values() if r.status in LIVE_REFUND_STATUSES)
    return max(live, state.charge_refunded[1])


def refundable_amount(state: OrderState) -> int:
    """What may still be refunded."""
    return max(0, paid_amount(state) - refund_exposure(state))


def payment_status(state: OrderState) -> str:
    """pending | processing | failed | canceled | succeeded | partially_refunded | refunded."""
    kind = state.payment_kind
    if kind is None:
        return "pending"
    if kind is not PaymentKind.SUCCEEDED:
        return kind.value
    refunded, paid = refunded_amount(state), paid_amount(state)
    if refunded > 0:
        return "refunded" if refunded >= paid else "partially_refunded"
    return "succeeded"


def fulfillment_status(state: OrderState) -> str:
    """pending | forwarded | failed | cancelled | shipped | delivered; what the parcel did wins over requests."""
    if state.delivered is not None:
        return "delivered"
    if state.shipped is not None:
        return "shipped"
    if state.cancelled:
        return "cancelled"
    if state.forwarded is not None:
        return "forwarded"
    return "failed" if state.forwarding_failed else "pending"


def order_status(state: OrderState) -> str:
    """The one word a shop shows: pending, payment_failed, cancelled, paid, forwarded, shipped, delivered, refunded."""
    payment, fulfilment = payment_status(state), fulfillment_status(state)
    if fulfilment == "cancelled" or (payment == "canceled" and fulfilment == "pending"):
        return "cancelled"
    if payment == "refunded":
        return "refunded"
    if fulfilment in ("shipped", "delivered"):
        return fulfilment
    if payment in ("succeeded", "partially_refunded"):
        return "forwarded" if fulfilment == "forwarded" else "paid"
    return "payment_failed" if payment == "failed" else "pending"


def can_cancel(state: OrderState) -> bool:
    """Whether a cancellation may still be asked for: before shipment, once."""
    return state.shipped is None and state.delivered is None and not state.cancelled and not state.cancel_requested
