"""Folds of the orders projection: keep the event as a fact, refold the entity from all its facts, upsert.

Each entity (an order, a subscription) is folded under a transaction-scoped advisory lock, so two events about
it folded at once (a payment and an order event travel on different topics) never hide each other's fact.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from consumers.fulfillment.domain.from_events import order_of, payment_intent_of
from consumers.fulfillment.domain.subscriptions import tier
from consumers.fulfillment.subscription_events import fold_subscription, subscription_of
from events.codec import decode, to_cloudevent
from events.envelope import Event
from events.registry import REGISTRY
from storage.orders import rows
from storage.orders.tables import order_facts, order_items, orders, payments, refunds, subscription_facts, subscriptions
from storage.revisions import upsert_newer
from storage.users.tables import user_profiles


async def lock(conn: AsyncConnection, key: str) -> None:
    """Serialise folds of one entity until the transaction ends."""
    await conn.execute(select(func.pg_advisory_xact_lock(func.hashtext(key))))


def _body(event: Event) -> dict[str, Any]:
    return to_cloudevent(event)


def _event(body: dict[str, Any]) -> Event:
    event = decode(json.dumps(body).encode(), REGISTRY)
    assert event is not None  # only events of known types are stored
    return event


async def order_for(conn: AsyncConnection, event: Event) -> uuid.UUID | None:
    """The order an event is about: named in it, or found by its PaymentIntent."""
    named = order_of(event)
    if named is not None:
        return named
    intent = payment_intent_of(event)
    if intent is None:
        return None
    found = await conn.execute(select(orders.c.id).where(orders.c.payment_intent_id == intent))
    return found.scalar_one_or_none()


async def order_events(conn: AsyncConnection, order_id: uuid.UUID) -> list[Event]:
    """Every event folded into the order so far."""
    found = await conn.execute(select(order_facts.c.body).where(order_facts.c.order_id == order_id))
    return [_event(body) for body in found.scalars()]


async def fold_order_event(conn: AsyncConnection, event: Event) -> None:
    """Record the event as a fact of its order and rewrite the order's rows from all its facts."""
    order_id = await order_for(conn, event)
    if order_id is None:
        return  # a payment that is not one of our orders' (or whose order.placed we cannot know yet)
    await lock(conn, f"order:{order_id}")
    await conn.execute(
        insert(order_facts)
        .values(
            event_id=event.event_id,
            order_id=order_id,
            event_type=event.type,
            occurred_at=event.occurred_at,
            body=_body(event),
        )
        .on_conflict_do_nothing()
    )
    await write_order(conn, order_id, await order_events(conn, order_id))


async def write_order(conn: AsyncConnection, order_id: uuid.UUID, events: list[Event]) -> None:
    """Upsert the order's rows at the revision its facts give."""
    placed = rows.placed_event(events)
    if placed is None:
        return  # facts wait in order_facts until order.placed arrives
    state = rows.order_state(order_id, events)
    rev = state.revision
    await upsert_newer(conn, orders, ["id"], rows.order_row(state, placed, events), revision=rev)
    for item in rows.item_rows(placed):
        await upsert_newer(conn, order_items, ["id"], item, revision=rev)
    payment = rows.payment_row(state, placed, events)
    if payment is not None:
        await upsert_newer(conn, payments, ["id"], payment, revision=rev)
    for refund in rows.refund_rows(state, placed.data.currency, events):
        await upsert_newer(conn, refunds, ["refund_id"], refund, revision=rev)


async def fold_subscription_event(conn: AsyncConnection, event: Event) -> None:
    """Record a subscription or invoice event and rewrite the subscription and its user's tier."""
    subscription_id = subscription_of(event)
    if subscription_id is None:
        return
    await lock(conn, f"subscription:{subscription_id}")
    stmt = insert(subscription_facts).values(
        event_id=event.event_id, subscription_id=subscription_id, body=_body(event)
    )
    await conn.execute(stmt.on_conflict_do_nothing())
    found = await conn.execute(
        select(subscription_facts.c.body).where(subscription_facts.c.subscription_id == subscription_id)
    )
    state = fold_subscription(subscription_id, [_event(b) for b in found.scalars()])
    period_end = state.latest[1].current_period_end if state.latest else None
    row = {
        "subscription_id": subscription_id,
        "user_id": state.user_id,
        "status": state.status,
        "tier": tier(state),
        "renewal_failed": state.renewal_failed,
        "cancel_at_period_end": bool(state.latest and state.latest[1].cancel_at_period_end),
        "current_period_end": datetime.fromtimestamp(period_end, UTC) if period_end else None,
    }
    await upsert_newer(conn, subscriptions, ["subscription_id"], row, revision=state.revision)
    if state.user_id is not None:
        await write_user_tier(conn, state.user_id)


async def user_tier(conn: AsyncConnection, user_id: uuid.UUID) -> str:
    """premium while any of the user's subscriptions gives it, else free."""
    found = await conn.execute(
        select(func.count()).where(subscriptions.c.user_id == user_id, subscriptions.c.tier == "premium")
    )
    return "premium" if found.scalar_one() else "free"


async def write_user_tier(conn: AsyncConnection, user_id: uuid.UUID) -> None:
    """The users read model's tier, a function of all the user's subscriptions."""
    await lock(conn, f"user-tier:{user_id}")
    empty = {"sign_ins": 0, "skin_concerns": [], "allergies": [], "preferred_brands": []}
    await conn.execute(
        insert(user_profiles)
        .values(user_id=user_id, revision=-1, **empty)
        .on_conflict_do_nothing(index_elements=[user_profiles.c.user_id])
    )
    await conn.execute(
        user_profiles.update()
        .where(user_profiles.c.user_id == user_id)
        .values(subscription_tier=await user_tier(conn, user_id))
    )
