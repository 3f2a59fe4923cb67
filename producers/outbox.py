"""The outbox: events written in the same transaction as the state they describe, published by a relay.

Used where the database write must come first (a new user, a new session): the log and the database then
never disagree. The relay publishes at least once; events keep their ids, so consumers drop repeats.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from events.codec import encode
from events.envelope import Event, utcnow
from events.topics import Topic
from producers.publisher import EventPublisher
from storage.platform.tables import outbox

log = logging.getLogger(__name__)
BATCH = 100
RELAY_LOCK = 0x5348494E45  # "SHINE": the advisory lock key of the outbox relay


async def enqueue(conn: AsyncConnection, topic: Topic, event: Event, prefix: str) -> None:
    """Record an event for publication when the surrounding transaction commits."""
    key, value, headers = encode(event)
    await conn.execute(
        outbox.insert().values(
            topic=topic.resolve(prefix),
            key=key.decode(),
            value=value.decode(),
            headers=[[k, v.decode()] for k, v in headers],
        )
    )


async def relay_once(engine: AsyncEngine, publisher: EventPublisher) -> int:
    """Publish a batch of pending events in order; one relay at a time across every edge process."""
    async with engine.begin() as conn:
        # A transaction-scoped advisory lock: a second relay would publish later rows while the first still
        # sends earlier ones, reordering one user's events.
        if not (await conn.execute(select(func.pg_try_advisory_xact_lock(RELAY_LOCK)))).scalar():
            return 0
        rows = (
            (
                await conn.execute(
                    select(outbox)
                    .where(outbox.c.published_at.is_(None))
                    .order_by(outbox.c.id)
                    .limit(BATCH)
                    .with_for_update()
                )
            )
            .mappings()
            .all()
        )
        for row in rows:
            headers = [(k, v.encode()) for k, v in row["headers"]]
            await publisher.send_raw(row["topic"], row["key"].encode(), row["value"].encode(), headers)
        if rows:
            await conn.execute(
                update(outbox).where(outbox.c.id.in_([r["id"] for r in rows])).values(published_at=utcnow())
            )
    return len(rows)


async def relay_forever(engine: AsyncEngine, publisher: EventPublisher, interval: float = 0.5) -> None:
    """Keep the outbox drained; failures are logged and retried on the next tick."""
    while True:
        try:
            if await relay_once(engine, publisher) == BATCH:
                continue  # more are waiting
        except Exception as exc:  # the broker or database blinked: rows stay pending and are retried
            log.warning("outbox relay failed", extra={"error": repr(exc)})
        await asyncio.sleep(interval)
