"""Fulfillment glue: fold an event into its order, plan, act on partners and Stripe, publish every outcome.

One order at a time (an advisory lock), one transaction per message. The event is kept as a fact only when the
transaction commits, i.e. after every action's outcome event is acknowledged by Kafka. A crash in between
(kill -9 after the partner call) redelivers the message: the same plan comes out with the same idempotency keys,
so the partner answers with the order it already made, and the outcome events get the same derived ids.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from consumers.fulfillment import store
from consumers.fulfillment.domain.from_events import order_of, payment_intent_of
from consumers.fulfillment.domain.planner import next_actions
from consumers.fulfillment.domain.subscriptions import tier
from consumers.fulfillment.effects import Effects
from consumers.fulfillment.subscription_events import fold_subscription, subscription_of
from consumers.runtime.failures import Unavailable
from events.envelope import Event
from events.topics import ORDERS
from producers.publisher import EventPublisher
from storage.orders.rows import order_state
from storage.users.tables import users

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FulfillmentHandlers:
    """Handlers of the fulfillment consumer group."""

    engine: AsyncEngine
    publisher: EventPublisher
    effects: Effects

    async def _order_id(self, event: Event) -> uuid.UUID | None:
        named = order_of(event)
        if named is not None:
            return named
        intent = payment_intent_of(event)
        if intent is None:
            return None
        async with self.engine.connect() as conn:
            return await store.order_by_intent(conn, intent)

    async def on_order_event(self, event: Event) -> None:
        """Fold an orders or payments event into its order and carry out what the order needs now."""
        order_id = await self._order_id(event)
        if order_id is None:
            log.info("payment event for no order of ours", extra={"event_id": str(event.event_id)})
            return
        entity = f"order:{order_id}"
        async with self.engine.begin() as conn:
            await store.lock(conn, entity)
            await store.remember(conn, entity, event)
            state = order_state(order_id, await store.recall(conn, entity))
            for action in next_actions(state):
                done = await self.effects.perform(state, action, event)
                for outcome in done.events:
                    await self.publisher.publish(ORDERS, outcome)
                    # Known at once, not only when it comes back from Kafka: the next event's plan must not
                    # repeat this call (the same key would be answered the same, but once is enough).
                    await store.remember(conn, entity, outcome)
                if done.retry_later:
                    # Not an outcome: keep the message and retry while the outage lasts (same keys next time).
                    raise Unavailable("partner" if "partner" in done.detail else "stripe", done.detail)

    async def on_subscription_event(self, event: Event) -> None:
        """Fold a subscription or invoice event and set the user's subscription tier on the account."""
        subscription_id = subscription_of(event)
        if subscription_id is None:
            return
        entity = f"subscription:{subscription_id}"
        async with self.engine.begin() as conn:
            await store.lock(conn, entity)
            await store.remember(conn, entity, event)
            state = fold_subscription(subscription_id, await store.recall(conn, entity))
            if state.user_id is None:
                return
            await store.lock(conn, f"user:{state.user_id}")
            tiers = [tier(state)]
            for other in await store.subscriptions_of(conn, state.user_id):
                if other != entity:
                    tiers.append(tier(fold_subscription(other, await store.recall(conn, other))))
            granted = "premium" if "premium" in tiers else "free"
            await conn.execute(users.update().where(users.c.id == state.user_id).values(subscription_tier=granted))
