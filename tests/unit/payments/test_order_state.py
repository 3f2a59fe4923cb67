"""The order fold: any order and any repetition of the same facts ends in the same, right state."""

from __future__ import annotations

import random

import pytest

from consumers.fulfillment.domain import facts as f
from consumers.fulfillment.domain.order_state import OrderState, apply, fold
from consumers.fulfillment.domain.order_status import (
    can_cancel,
    fulfillment_status,
    order_status,
    paid_amount,
    payment_status,
    refund_exposure,
    refunded_amount,
)
from tests.unit.payments.order_histories import (
    CANCEL,
    FAIL,
    HISTORIES,
    OK,
    ORDER,
    SHIP,
    History,
    charge_refunded,
    payment,
    placed,
    refund,
)

PERMUTATIONS = 400


def _shuffled_with_repeats(facts: tuple[f.Fact, ...], rng: random.Random) -> list[f.Fact]:
    """The facts in a random order, some of them delivered two or three times."""
    stream = list(facts) + [rng.choice(facts) for _ in range(rng.randint(0, len(facts)))]
    rng.shuffle(stream)
    return stream


@pytest.mark.parametrize("history", HISTORIES, ids=lambda h: h.name)
def test_in_order_the_history_ends_in_its_known_state(history: History) -> None:
    state = fold(ORDER, history.facts)
    got = (order_status(state), payment_status(state), fulfillment_status(state), refunded_amount(state))
    assert got == (history.order_status, history.payment_status, history.fulfillment_status, history.refunded)
    assert state.revision == len(history.facts)


@pytest.mark.parametrize("history", HISTORIES, ids=lambda h: h.name)
def test_any_order_with_duplicates_gives_the_same_state(history: History) -> None:
    expected = fold(ORDER, history.facts)
    rng = random.Random(history.name)
    for _ in range(PERMUTATIONS):
        stream = _shuffled_with_repeats(history.facts, rng)
        assert fold(ORDER, stream) == expected, [x.fact_id for x in stream]


@pytest.mark.parametrize("history", HISTORIES, ids=lambda h: h.name)
def test_the_revision_grows_only_with_new_facts(history: History) -> None:
    rng = random.Random(f"rev-{history.name}")
    state = OrderState(ORDER)
    for fact in _shuffled_with_repeats(history.facts, rng):
        after = apply(state, fact)
        assert after.revision == state.revision + (0 if fact.fact_id in state.seen else 1)
        state = after


def test_a_refund_seen_before_the_payment_counts_once_the_payment_arrives() -> None:
    early = fold(ORDER, [placed(), refund("re_1", 1000, "succeeded", 50)])
    assert (payment_status(early), refunded_amount(early)) == ("pending", 0)
    late = apply(early, payment(OK, 2))
    assert (payment_status(late), refunded_amount(late)) == ("partially_refunded", 1000)


def test_success_is_never_undone_by_a_late_failure_or_cancel() -> None:
    state = fold(ORDER, [placed(), payment(OK, 5), payment(FAIL, 9), payment(CANCEL, 10)])
    assert payment_status(state) == "succeeded" and paid_amount(state) == 5000


def test_the_latest_attempt_wins_among_unfinished_ones() -> None:
    assert payment_status(fold(ORDER, [payment(FAIL, 3), payment(f.PaymentKind.PROCESSING, 4)])) == "processing"
    assert payment_status(fold(ORDER, [payment(f.PaymentKind.PROCESSING, 4), payment(FAIL, 5)])) == "failed"


def test_refunded_never_exceeds_paid_whatever_stripe_reports() -> None:
    state = fold(ORDER, [placed(5000), payment(OK, 1), charge_refunded(9000, 5), refund("re_x", 7000, "succeeded", 6)])
    assert refunded_amount(state) == paid_amount(state) == 5000
    assert payment_status(state) == "refunded"


def test_nothing_is_refunded_while_nothing_is_paid() -> None:
    state = fold(ORDER, [placed(), payment(FAIL, 1), refund("re_1", 100, "succeeded", 2)])
    assert refunded_amount(state) == 0


def test_pending_refunds_hold_the_cap_and_failed_ones_release_it() -> None:
    pending = fold(ORDER, [placed(), payment(OK, 1), refund("re_1", 4000, "pending", 2)])
    assert (refunded_amount(pending), refund_exposure(pending)) == (0, 4000)
    failed = apply(pending, refund("re_1", 4000, "failed", 3))
    assert refund_exposure(failed) == 0


@pytest.mark.parametrize("seed", range(60))
def test_random_refund_streams_stay_within_what_was_paid(seed: int) -> None:
    rng = random.Random(seed)
    paid = rng.randint(1, 10_000)
    stream: list[f.Fact] = [placed(paid), payment(OK, 1, paid)]
    for n in range(rng.randint(1, 6)):
        amount = rng.randint(1, paid)
        for second, status in enumerate(rng.sample(["pending", "succeeded", "failed"], rng.randint(1, 3))):
            stream.append(refund(f"re_{n}", amount, status, 10 * n + second))
    stream.append(charge_refunded(rng.randint(0, 2 * paid), rng.randint(0, 80)))
    expected = fold(ORDER, stream)
    assert 0 <= refunded_amount(expected) <= paid
    for _ in range(30):
        assert fold(ORDER, _shuffled_with_repeats(tuple(stream), rng)) == expected


def test_cancel_is_offered_only_before_shipment_and_once() -> None:
    paid = fold(ORDER, [placed(), payment(OK, 1)])
    assert can_cancel(paid)
    assert not can_cancel(apply(paid, SHIP))
    assert not can_cancel(apply(paid, f.CancellationRequested("c")))
