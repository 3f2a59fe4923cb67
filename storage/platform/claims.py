"""The tracking record: a consumer claims an event in the same transaction as its projection."""

from __future__ import annotations

import uuid

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.platform.tables import processed_events


async def claim(conn: AsyncConnection, consumer: str, event_id: uuid.UUID) -> bool:
    """True if this consumer had not processed the event yet (and now has, once the transaction commits)."""
    stmt = (
        insert(processed_events)
        .values(consumer=consumer, event_id=event_id)
        .on_conflict_do_nothing()
        .returning(processed_events.c.event_id)
    )
    return (await conn.execute(stmt)).first() is not None
