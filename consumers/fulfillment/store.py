"""The fulfillment group's own memory: every event it folded, per order or subscription (fulfillment_facts)."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from events.codec import decode, to_cloudevent
from events.envelope import Event
from events.registry import REGISTRY
from storage.orders.owned_tables import fulfillment_facts


async def lock(conn: AsyncConnection, entity: str) -> None:
    """Handle one entity at a time (its events arrive on two topics) until the transaction ends."""
    await conn.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"fulfillment/{entity}"))))


async def remember(conn: AsyncConnection, entity: str, event: Event) -> None:
    """Keep the event as a fact of the entity (once)."""
    stmt = insert(fulfillment_facts).values(entity=entity, event_id=event.event_id, body=to_cloudevent(event))
    await conn.execute(stmt.on_conflict_do_nothing())


async def recall(conn: AsyncConnection, entity: str) -> list[Event]:
    """Every event kept for the entity."""
    found = await conn.execute(select(fulfillment_facts.c.body).where(fulfillment_facts.c.entity == entity))
    events = [decode(json.dumps(body).encode(), REGISTRY) for body in found.scalars()]
    return [e for e in events if e is not None]


async def order_by_intent(conn: AsyncConnection, payment_intent_id: str) -> uuid.UUID | None:
    """The order whose order.placed named this PaymentIntent."""
    body = fulfillment_facts.c.body
    found = await conn.execute(
        select(body["data"]["order_id"].astext)
        .where(body["type"].astext == "order.placed", body["data"]["payment_intent_id"].astext == payment_intent_id)
        .limit(1)
    )
    raw = found.scalar_one_or_none()
    return uuid.UUID(raw) if raw else None


async def subscriptions_of(conn: AsyncConnection, user_id: uuid.UUID) -> list[str]:
    """The subscription entities whose events name the user."""
    body = fulfillment_facts.c.body
    found = await conn.execute(
        select(fulfillment_facts.c.entity)
        .where(fulfillment_facts.c.entity.like("subscription:%"), body["data"]["user_id"].astext == str(user_id))
        .distinct()
    )
    return list(found.scalars())
