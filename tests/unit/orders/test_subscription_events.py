"""Subscription and invoice events fold into one state and tier, in any order; invoices can name the user."""

from __future__ import annotations

import itertools
import uuid

from consumers.fulfillment.domain.subscriptions import tier
from consumers.fulfillment.subscription_events import fold_subscription, subscription_of
from events import payments as p
from events.envelope import Event

USER = uuid.uuid4()


def _sub(cls: type[Event], status: str, created: int) -> Event:
    data = p.SubscriptionData(
        stripe_event_id=f"evt_{cls.TYPE}_{created}",
        stripe_event_type=cls.TYPE,
        stripe_created=created,
        subscription_id="sub_1",
        customer_id="cus_1",
        user_id=USER,
        status=status,
    )
    return cls(source="t", subject="sub_1", correlation_id="c", data=data)


def _invoice(cls: type[Event], created: int, user: uuid.UUID | None) -> Event:
    data = p.InvoiceData(
        stripe_event_id=f"evt_inv_{created}",
        stripe_event_type=cls.TYPE,
        stripe_created=created,
        invoice_id="in_1",
        subscription_id="sub_1",
        user_id=user,
        currency="usd",
    )
    return cls(source="t", subject="sub_1", correlation_id="c", data=data)


def test_every_order_of_arrival_gives_the_same_tier() -> None:
    events = [
        _sub(p.SubscriptionCreated, "incomplete", 100),
        _sub(p.SubscriptionUpdated, "active", 101),
        _invoice(p.InvoicePaid, 101, None),
        _sub(p.SubscriptionUpdated, "past_due", 200),
        _invoice(p.InvoicePaymentFailed, 200, None),
    ]
    outcomes = {
        (s.status, tier(s), s.renewal_failed, s.revision)
        for s in (fold_subscription("sub_1", list(order) * 2) for order in itertools.permutations(events))
    }
    assert outcomes == {("past_due", "premium", True, 5)}
    deleted = _sub(p.SubscriptionDeleted, "canceled", 300)
    assert tier(fold_subscription("sub_1", [deleted, *events])) == "free"  # the deletion, even heard first


def test_an_invoice_alone_names_the_user_and_its_subscription() -> None:
    state = fold_subscription("sub_1", [_invoice(p.InvoicePaid, 100, USER)])
    assert state.user_id == USER and tier(state) == "free"  # no subscription status yet: not premium
    assert subscription_of(_invoice(p.InvoicePaid, 1, None)) == "sub_1"
