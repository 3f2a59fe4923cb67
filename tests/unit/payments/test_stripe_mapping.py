"""Mapping Stripe events to ours: type, key, dedupe id and the fields each fold needs."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from events import payments as p
from producers.payments.stripe_events import event_id_for, map_stripe_event
from producers.payments.stripe_objects import UnreadableObject
from tests.unit.payments.stripe_fixtures import (
    charge,
    invoice,
    payment_intent,
    refund,
    stripe_event,
    subscription,
)

ORDER = uuid.UUID("0b6c1a4e-9f53-4c0e-a3a7-0d8a3c6b2f10")
USER = uuid.UUID("5f2b8c1d-2a3e-4b6f-8c9d-1e2f3a4b5c6d")


@pytest.mark.parametrize(
    ("stripe_type", "status", "cls"),
    [
        ("payment_intent.succeeded", "succeeded", p.PaymentSucceeded),
        ("payment_intent.payment_failed", "requires_payment_method", p.PaymentFailed),
        ("payment_intent.canceled", "canceled", p.PaymentCanceled),
        ("payment_intent.processing", "processing", p.PaymentProcessingStarted),
    ],
)
def test_payment_intent_events_are_keyed_by_the_intent(stripe_type: str, status: str, cls: type[p.Event]) -> None:
    source = stripe_event(stripe_type, payment_intent("pi_K1", status, order_id=ORDER), created=1_750_000_000)
    event = map_stripe_event(source)
    assert isinstance(event, cls)
    assert event.subject == "pi_K1"
    assert event.event_id == event_id_for(source["id"])
    assert event.occurred_at == datetime.fromtimestamp(1_750_000_000, UTC)
    assert event.correlation_id == str(ORDER)
    data = event.data
    assert isinstance(data, p.PaymentIntentData)
    assert (data.order_id, data.amount, data.currency, data.stripe_created) == (ORDER, 4200, "eur", 1_750_000_000)


def test_the_same_stripe_event_always_gets_the_same_id_and_others_differ() -> None:
    source = stripe_event("payment_intent.succeeded", payment_intent("pi_K1", "succeeded"))
    first, again = map_stripe_event(source), map_stripe_event(dict(source))
    other = map_stripe_event({**source, "id": "evt_other"})
    assert first is not None and again is not None and other is not None
    assert first.event_id == again.event_id != other.event_id


def test_a_failed_payment_carries_the_decline() -> None:
    event = map_stripe_event(
        stripe_event("payment_intent.payment_failed", payment_intent("pi_F", "requires_payment_method"))
    )
    assert isinstance(event, p.PaymentFailed)
    assert event.data.failure_code == "insufficient_funds"
    assert event.data.failure_message and "insufficient" in event.data.failure_message


def test_an_intent_without_our_metadata_still_maps_without_an_order() -> None:
    obj = payment_intent("pi_X", "succeeded")
    obj["metadata"] = {"order_id": "not-a-uuid"}
    event = map_stripe_event(stripe_event("payment_intent.succeeded", obj))
    assert event is not None and event.data.order_id is None


def test_charge_refunded_carries_the_cumulative_amount_and_refunds() -> None:
    obj = charge("pi_R", refunded=1500, refunds=(("re_1", 1000), ("re_2", 500)))
    event = map_stripe_event(stripe_event("charge.refunded", obj))
    assert isinstance(event, p.PaymentRefunded)
    assert event.subject == "pi_R"
    assert event.data.amount_refunded == 1500 and event.data.amount == 4200
    assert [r.refund_id for r in event.data.refunds] == ["re_1", "re_2"]


def test_charge_refunded_without_a_refund_list_maps() -> None:
    obj = charge("pi_R", refunded=4200)
    del obj["refunds"]
    event = map_stripe_event(stripe_event("charge.refunded", obj))
    assert isinstance(event, p.PaymentRefunded) and event.data.refunds == ()


@pytest.mark.parametrize("stripe_type", ["refund.created", "refund.updated"])
def test_refund_events_map_to_one_type_keyed_by_the_intent(stripe_type: str) -> None:
    event = map_stripe_event(stripe_event(stripe_type, refund("re_9", "pi_R", 700, "pending", ORDER)))
    assert isinstance(event, p.RefundUpdated)
    assert event.subject == "pi_R"
    assert (event.data.refund_id, event.data.amount, event.data.status, event.data.order_id) == (
        "re_9",
        700,
        "pending",
        ORDER,
    )
    assert event.data.stripe_event_type == stripe_type


@pytest.mark.parametrize(
    ("stripe_type", "cls"),
    [
        ("customer.subscription.created", p.SubscriptionCreated),
        ("customer.subscription.updated", p.SubscriptionUpdated),
        ("customer.subscription.deleted", p.SubscriptionDeleted),
    ],
)
def test_subscription_events_are_keyed_by_the_subscription(stripe_type: str, cls: type[p.Event]) -> None:
    event = map_stripe_event(stripe_event(stripe_type, subscription("sub_1", "active", USER)))
    assert isinstance(event, cls)
    assert event.subject == "sub_1"
    data = event.data
    assert isinstance(data, p.SubscriptionData)
    assert (data.user_id, data.price_id, data.current_period_end) == (USER, "price_premium_monthly", 1_800_000_000)


def test_a_legacy_subscription_period_is_read_from_the_top_level() -> None:
    obj = subscription("sub_1", "active", USER)
    obj["current_period_end"] = 1_700_000_000
    event = map_stripe_event(stripe_event("customer.subscription.updated", obj))
    assert event is not None and event.data.current_period_end == 1_700_000_000


@pytest.mark.parametrize("legacy", [False, True])
@pytest.mark.parametrize(
    ("stripe_type", "cls"), [("invoice.paid", p.InvoicePaid), ("invoice.payment_failed", p.InvoicePaymentFailed)]
)
def test_invoices_are_keyed_by_their_subscription_in_both_layouts(
    legacy: bool, stripe_type: str, cls: type[p.Event]
) -> None:
    event = map_stripe_event(stripe_event(stripe_type, invoice("in_1", "sub_7", USER, paid=999, legacy=legacy)))
    assert isinstance(event, cls)
    assert event.subject == "sub_7"
    assert event.data.user_id == USER and event.data.amount_paid == 999


def test_an_invoice_without_a_subscription_is_keyed_by_itself() -> None:
    obj = invoice("in_2", "sub_7", USER, paid=0)
    del obj["parent"]
    event = map_stripe_event(stripe_event("invoice.payment_failed", obj))
    assert event is not None and event.subject == "in_2" and event.data.subscription_id is None


@pytest.mark.parametrize(
    "stripe_type", ["customer.created", "checkout.session.completed", "payout.paid", "charge.succeeded"]
)
def test_types_we_do_not_handle_map_to_nothing(stripe_type: str) -> None:
    assert map_stripe_event(stripe_event(stripe_type, {"id": "x_1", "object": "thing"})) is None


@pytest.mark.parametrize("field", ["id", "amount", "currency", "status"])
def test_a_known_event_missing_a_needed_field_is_unreadable(field: str) -> None:
    obj = payment_intent("pi_M", "succeeded")
    del obj[field]
    with pytest.raises(UnreadableObject):
        map_stripe_event(stripe_event("payment_intent.succeeded", obj))


def test_a_negative_amount_is_unreadable() -> None:
    with pytest.raises(UnreadableObject):
        map_stripe_event(stripe_event("payment_intent.succeeded", payment_intent("pi_N", "succeeded", amount=-5)))
