"""Consumer liveness and progress, shared through Postgres so any edge process can judge readiness."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.platform.tables import consumer_heartbeats


@dataclass(frozen=True)
class Beat:
    consumer: str
    instance: str
    beat_at: datetime
    progress_at: datetime
    lag: int
    metrics_port: int | None
    waiting_on: str | None = None  # the dependency an outage makes this instance wait for


async def beat(conn: AsyncConnection, b: Beat) -> None:
    """Record that an instance is alive, its lag, and when it last made progress."""
    stmt = insert(consumer_heartbeats).values(**b.__dict__)
    await conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[consumer_heartbeats.c.consumer, consumer_heartbeats.c.instance],
            set_={k: v for k, v in b.__dict__.items() if k not in ("consumer", "instance")},
        )
    )


async def recent(conn: AsyncConnection, now: datetime, stale: timedelta) -> list[Beat]:
    """Instances that beat within the stale window."""
    rows = (
        (await conn.execute(select(consumer_heartbeats).where(consumer_heartbeats.c.beat_at > now - stale)))
        .mappings()
        .all()
    )
    return [Beat(**row) for row in rows]


def problems(beats: list[Beat], expected: tuple[str, ...], now: datetime, stale: timedelta) -> list[str]:
    """What keeps the consumers from being ready: a group with no live instance, or lag without progress."""
    found: list[str] = []
    for name in expected:
        mine = [b for b in beats if b.consumer == name]
        if not mine:
            found.append(f"consumer {name}: no live instance")
        elif all(b.waiting_on for b in mine):
            found.append(f"consumer {name}: waiting on {mine[0].waiting_on}")
        elif all(b.lag > 0 and now - b.progress_at > stale for b in mine):
            found.append(f"consumer {name}: lag {max(b.lag for b in mine)} and no progress for {stale.seconds}s")
    return found
