"""The orders projection unit: orders, items, payments, refunds, subscriptions and the users' tier."""

from __future__ import annotations

import storage.orders.owned_tables  # noqa: F401  (registers the group-owned tables for migrations)
from consumers.fulfillment.subscription_events import SUBSCRIPTION_EVENTS
from events.orders import ORDER_EVENTS
from events.payments import PAYMENT_EVENTS
from storage.orders.folds import fold_order_event, fold_subscription_event
from storage.orders.tables import (
    order_facts,
    order_items,
    orders,
    payments,
    refunds,
    subscription_facts,
    subscriptions,
)
from storage.projection import Fold, Projection

_ORDER_FOLDS: dict[type, Fold] = {e: fold_order_event for e in ORDER_EVENTS}
_PAYMENT_FOLDS: dict[type, Fold] = {
    e: fold_subscription_event if e in SUBSCRIPTION_EVENTS else fold_order_event for e in PAYMENT_EVENTS
}

ORDERS = Projection(
    "orders",
    (order_facts, orders, order_items, payments, refunds, subscription_facts, subscriptions),
    {**_ORDER_FOLDS, **_PAYMENT_FOLDS},
)
