"""Read queries over the discovery projections (every read scoped to its owner) and the WebSocket tickets."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, delete, func, insert, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.discovery.tables import discovered_content, discovery_sessions, discovery_tickets

RUNNING = ("queued", "active")


async def session_of(conn: AsyncConnection, discovery_id: uuid.UUID, user_id: uuid.UUID) -> RowMapping | None:
    """The owner's discovery session (None for a missing or someone else's)."""
    s = discovery_sessions.c
    stmt = select(discovery_sessions).where(and_(s.id == discovery_id, s.user_id == user_id))
    return (await conn.execute(stmt)).mappings().first()


async def content_of(conn: AsyncConnection, discovery_id: uuid.UUID) -> Sequence[RowMapping]:
    """A discovery's kept results in the discovery's own order (call only after session_of passed)."""
    c = discovered_content.c
    stmt = select(discovered_content).where(c.discovery_session_id == discovery_id).order_by(c.rank)
    return (await conn.execute(stmt)).mappings().all()


async def running_count(conn: AsyncConnection, user_id: uuid.UUID, since: datetime) -> int:
    """How many of the user's discoveries requested since `since` have not finished."""
    s = discovery_sessions.c
    stmt = select(func.count()).where(and_(s.user_id == user_id, s.session_status.in_(RUNNING), s.created_at >= since))
    return int((await conn.execute(stmt)).scalar_one())


async def recent_durations(conn: AsyncConnection, limit: int = 20) -> list[float]:
    """Seconds taken by the latest completed discoveries (for the edge's completion estimate)."""
    s = discovery_sessions.c
    took = func.extract("epoch", s.completed_at - s.created_at)
    stmt = (
        select(took)
        .where(and_(s.session_status == "completed", s.completed_at.is_not(None)))
        .order_by(s.completed_at.desc())
        .limit(limit)
    )
    return [float(v) for v in (await conn.execute(stmt)).scalars().all()]


async def store_ticket(
    conn: AsyncConnection, digest: str, user_id: uuid.UUID, discovery_id: uuid.UUID, expires_at: datetime, now: datetime
) -> None:
    """Keep a ticket (as its sha256) until it expires; expired tickets are pruned on the way."""
    await conn.execute(delete(discovery_tickets).where(discovery_tickets.c.expires_at < now))
    values = {"ticket_sha256": digest, "user_id": user_id, "discovery_id": discovery_id, "expires_at": expires_at}
    await conn.execute(insert(discovery_tickets).values(**values))


async def take_ticket(conn: AsyncConnection, digest: str, now: datetime) -> RowMapping | None:
    """Use a ticket up: its user and discovery if it exists and has not expired; it is gone either way."""
    t = discovery_tickets.c
    stmt = delete(discovery_tickets).where(t.ticket_sha256 == digest).returning(t.user_id, t.discovery_id, t.expires_at)
    row = (await conn.execute(stmt)).mappings().first()
    return row if row is not None and row["expires_at"] > now else None


async def outcome_known(conn: AsyncConnection, discovery_id: uuid.UUID) -> bool:
    """Whether the discovery's outcome (completed or failed) is already folded."""
    s = discovery_sessions.c
    stmt = select(s.session_status).where(s.id == discovery_id)
    return (await conn.execute(stmt)).scalar() in ("completed", "failed")


async def lock_user(conn: AsyncConnection, user_id: uuid.UUID) -> None:
    """Serialise one user's discovery starts until the transaction ends (the running count stays true)."""
    await conn.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(f"discovery:{user_id}", 0))))
