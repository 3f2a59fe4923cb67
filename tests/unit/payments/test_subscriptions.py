"""Subscription facts in any order: the last word by Stripe's clock wins, a deletion is final."""

from __future__ import annotations

import random
import uuid

import pytest

from consumers.fulfillment.domain.subscriptions import (
    InvoiceObserved,
    SubscriptionObserved,
    SubscriptionState,
    apply,
    tier,
)

USER = uuid.uuid4()


def sub(kind: str, status: str, created: int) -> SubscriptionObserved:
    return SubscriptionObserved(f"{kind}-{status}-{created}", kind, created, status, USER)


def _fold(facts: list[SubscriptionObserved | InvoiceObserved]) -> SubscriptionState:
    state = SubscriptionState("sub_1")
    for fact in facts:
        state = apply(state, fact)
    return state


HISTORIES = [
    ([sub("created", "incomplete", 1), sub("updated", "active", 2)], "active", "premium"),
    ([sub("created", "active", 1), sub("updated", "past_due", 50), sub("updated", "active", 60)], "active", "premium"),
    ([sub("created", "active", 1), sub("updated", "active", 5), sub("deleted", "canceled", 90)], "canceled", "free"),
    ([sub("created", "incomplete", 1), sub("updated", "incomplete_expired", 80)], "incomplete_expired", "free"),
    ([sub("created", "active", 7), sub("updated", "active", 7), sub("deleted", "active", 7)], "canceled", "free"),
]


@pytest.mark.parametrize(("facts", "status", "expected_tier"), HISTORIES)
def test_any_order_and_repeats_end_in_the_last_word(
    facts: list[SubscriptionObserved], status: str, expected_tier: str
) -> None:
    rng = random.Random(status)
    for _ in range(200):
        stream: list[SubscriptionObserved | InvoiceObserved] = [*facts, *rng.choices(facts, k=3)]
        rng.shuffle(stream)
        state = _fold(stream)
        assert (state.status, tier(state), state.revision, state.user_id) == (status, expected_tier, len(facts), USER)


def test_an_update_before_the_creation_is_kept() -> None:
    state = _fold([sub("updated", "active", 5), sub("created", "incomplete", 1)])
    assert (state.status, tier(state)) == ("active", "premium")


def test_nothing_known_is_free() -> None:
    assert tier(SubscriptionState("sub_1")) == "free"


def test_the_latest_invoice_tells_whether_renewal_failed() -> None:
    failed, paid = InvoiceObserved("i1", "payment_failed", 10), InvoiceObserved("i2", "paid", 20)
    assert _fold([paid, failed]).renewal_failed is False
    assert _fold([failed]).renewal_failed is True
