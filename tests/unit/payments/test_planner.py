"""What the fulfillment consumer does next: forward once paid, cancel before shipment, refund within the cap."""

from __future__ import annotations

import random
import uuid

from consumers.fulfillment.domain import facts as f
from consumers.fulfillment.domain import keys
from consumers.fulfillment.domain.order_state import OrderState, apply, fold
from consumers.fulfillment.domain.order_status import paid_amount, refund_exposure
from consumers.fulfillment.domain.planner import (
    CancelOrder,
    Forward,
    IssueRefund,
    RejectCancellation,
    RejectRefund,
    next_actions,
)
from tests.unit.payments.order_histories import (
    FAIL,
    FWD,
    OK,
    ORDER,
    SHIP,
    issued,
    payment,
    placed,
    refund,
    request,
)

CANCEL_REQ = f.CancellationRequested("cancel-req")


def test_nothing_happens_before_the_order_is_known() -> None:
    assert next_actions(fold(ORDER, [payment(OK, 1)])) == ()


def test_a_paid_order_is_forwarded_with_a_key_derived_from_it() -> None:
    assert next_actions(fold(ORDER, [placed(), payment(OK, 1)])) == (Forward(keys.partner_order_key(ORDER)),)
    assert keys.partner_order_key(ORDER) == keys.partner_order_key(uuid.UUID(str(ORDER)))


def test_an_unpaid_or_forwarded_order_is_not_forwarded() -> None:
    assert next_actions(fold(ORDER, [placed(), payment(FAIL, 1)])) == ()
    assert next_actions(fold(ORDER, [placed(), payment(OK, 1), FWD])) == ()
    assert next_actions(fold(ORDER, [placed(), payment(OK, 1), f.ForwardingFailed("ff", "rejected_by_primary")])) == ()


def test_cancelling_an_unpaid_order_cancels_its_payment_intent() -> None:
    actions = next_actions(fold(ORDER, [placed(), CANCEL_REQ]))
    assert actions == (CancelOrder(None, None, "pi_1", "requested"),)


def test_cancelling_a_forwarded_order_cancels_at_the_partner_then_refunds() -> None:
    state = fold(ORDER, [placed(), payment(OK, 1), FWD, CANCEL_REQ])
    assert next_actions(state) == (CancelOrder("primary", "po_1", None, "requested"),)
    cancelled = apply(state, f.Cancelled("cancelled"))
    assert next_actions(cancelled) == (IssueRefund(None, 5000, keys.cancellation_refund_key(ORDER, 0, 0)),)
    refunded = apply(cancelled, refund("re_c", 5000, "pending", 9))
    assert next_actions(refunded) == ()


def test_a_paid_order_cancelled_before_forwarding_is_never_forwarded() -> None:
    state = fold(ORDER, [placed(), payment(OK, 1), CANCEL_REQ])
    assert not any(isinstance(a, Forward) for a in next_actions(state))


def test_a_payment_landing_after_the_cancellation_is_refunded() -> None:
    state = fold(ORDER, [placed(), CANCEL_REQ, f.Cancelled("cancelled"), payment(OK, 30)])
    assert next_actions(state) == (IssueRefund(None, 5000, keys.cancellation_refund_key(ORDER, 0, 0)),)


def test_a_cancellation_after_shipment_is_rejected_and_refunds_nothing() -> None:
    state = fold(ORDER, [placed(), payment(OK, 1), FWD, SHIP, CANCEL_REQ])
    assert next_actions(state) == (RejectCancellation("already_shipped"),)
    assert next_actions(apply(state, f.CancellationRejected("rej", "already_shipped"))) == ()


def test_refund_requests_are_decided_oldest_first_against_what_remains() -> None:
    state = fold(ORDER, [placed(), payment(OK, 1), request(2, 3000, 5), request(1, 1500, 4), request(3, 1000, 6)])
    assert next_actions(state) == (
        Forward(keys.partner_order_key(ORDER)),
        IssueRefund(uuid.UUID(int=1), 1500, keys.refund_key(uuid.UUID(int=1))),
        IssueRefund(uuid.UUID(int=2), 3000, keys.refund_key(uuid.UUID(int=2))),
        RejectRefund(uuid.UUID(int=3), "exceeds_refundable_amount"),
    )


def test_refund_requests_wait_for_the_payment_and_fail_on_a_cancelled_one() -> None:
    waiting = fold(ORDER, [placed(), request(1, 100, 1)])
    assert next_actions(waiting) == ()
    assert next_actions(apply(waiting, payment(f.PaymentKind.CANCELED, 2))) == (
        RejectRefund(uuid.UUID(int=1), "not_paid"),
    )


def test_a_full_refund_approved_before_forwarding_stops_the_forwarding() -> None:
    state = fold(ORDER, [placed(), payment(OK, 1), request(1, 5000, 3)])
    assert next_actions(state) == (IssueRefund(uuid.UUID(int=1), 5000, keys.refund_key(uuid.UUID(int=1))),)


def test_a_full_refund_before_shipment_cancels_at_the_partner() -> None:
    state = fold(ORDER, [placed(), payment(OK, 1), FWD, request(1, 5000, 3), issued(1, "re_1", 5000)])
    assert next_actions(state) == (CancelOrder("primary", "po_1", None, "refunded"),)
    assert next_actions(apply(state, SHIP)) == ()


def _simulate(rng: random.Random, paid: int) -> OrderState:
    """Concurrent refund requests and Stripe webhooks interleaved with the consumer acting on its plan."""
    pending: list[f.Fact] = [placed(paid), payment(OK, 1, paid)]
    pending += [request(n, rng.randint(1, paid), rng.randint(0, 50)) for n in range(1, rng.randint(2, 8))]
    rng.shuffle(pending)
    state = OrderState(ORDER)
    issued_total = 0
    while pending:
        state = apply(state, pending.pop(rng.randrange(len(pending))))
        for action in next_actions(state):
            if isinstance(action, IssueRefund) and action.request_id is not None:
                issued_total += action.amount
                refund_id = f"re_{action.request_id.int}"
                state = apply(state, issued(action.request_id.int, refund_id, action.amount))
                if rng.random() < 0.3:  # some refunds fail later and give their amount back
                    pending.append(refund(refund_id, action.amount, "failed", 100))
            elif isinstance(action, RejectRefund):
                state = apply(state, f.RefundRejected(f"rej-{action.request_id}", action.request_id, action.reason))
        assert refund_exposure(state) <= max(paid_amount(state), 0) or paid_amount(state) == 0
    return state


def test_concurrent_refund_requests_never_refund_more_than_was_paid() -> None:
    rng = random.Random(10)
    for _ in range(300):
        paid = rng.randint(1, 20_000)
        state = _simulate(rng, paid)
        assert refund_exposure(state) <= paid
        assert all(r.request_id in state.issued or r.request_id in state.rejected for r in state.requests.values())


def test_a_cancelled_orders_refund_that_fails_is_owed_again_under_a_new_key() -> None:
    state = fold(ORDER, [placed(), payment(OK, 1), CANCEL_REQ, f.Cancelled("cancelled")])
    (first,) = next_actions(state)
    assert isinstance(first, IssueRefund)
    issued_state = apply(state, f.RefundIssued("ri", uuid.uuid4(), "re_c", first.amount, "pending"))
    assert next_actions(issued_state) == ()
    failed = apply(issued_state, refund("re_c", first.amount, "failed", 9))
    (again,) = next_actions(failed)
    assert isinstance(again, IssueRefund) and again.amount == 5000
    assert again.idempotency_key != first.idempotency_key
