"""Turn subscription and invoice events into subscription facts (pure), and fold them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from consumers.fulfillment.domain.subscriptions import (
    InvoiceObserved,
    SubscriptionObserved,
    SubscriptionState,
    apply,
)
from events import payments as p
from events.envelope import Event

SUBSCRIPTION_EVENTS: tuple[type[Event], ...] = (
    p.SubscriptionCreated,
    p.SubscriptionUpdated,
    p.SubscriptionDeleted,
    p.InvoicePaid,
    p.InvoicePaymentFailed,
)
_KINDS = {p.SubscriptionCreated: "created", p.SubscriptionUpdated: "updated", p.SubscriptionDeleted: "deleted"}
_OUTCOMES = {p.InvoicePaid: "paid", p.InvoicePaymentFailed: "payment_failed"}


def subscription_of(event: Event) -> str | None:
    """The subscription an event is about (None: an invoice outside any subscription)."""
    data = event.data
    if isinstance(data, p.SubscriptionData):
        return data.subscription_id
    return data.subscription_id if isinstance(data, p.InvoiceData) else None


def fact_of(event: Event) -> SubscriptionObserved | InvoiceObserved | None:
    """The subscription fact an event carries."""
    fact_id = str(event.event_id)
    data = event.data
    if isinstance(data, p.SubscriptionData) and type(event) in _KINDS:
        return SubscriptionObserved(
            fact_id,
            _KINDS[type(event)],
            data.stripe_created,
            data.status,
            data.user_id,
            data.current_period_end,
            data.cancel_at_period_end,
        )
    if isinstance(data, p.InvoiceData) and type(event) in _OUTCOMES:
        return InvoiceObserved(fact_id, _OUTCOMES[type(event)], data.stripe_created)
    return None


def fold_subscription(subscription_id: str, events: Iterable[Event]) -> SubscriptionState:
    """The subscription's state after every event about it, whatever their order."""
    state = SubscriptionState(subscription_id)
    for event in events:
        fact = fact_of(event)
        if fact is not None:
            state = apply(state, fact)
        if state.user_id is None and isinstance(event.data, p.InvoiceData) and event.data.user_id is not None:
            # An invoice can name the user (subscription metadata) before any subscription event arrives.
            state = replace(state, user_id=event.data.user_id)
    return state
