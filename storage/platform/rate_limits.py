"""Fixed-window request counters shared by every edge process."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.platform.tables import rate_limits


async def hit(conn: AsyncConnection, key: str, window_start: datetime) -> int:
    """Count one request against a key's window and return the window's count so far."""
    # One atomic upsert: concurrent hits from any number of processes serialise on the row, none is lost.
    stmt = insert(rate_limits).values(key=key, window_start=window_start, count=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[rate_limits.c.key, rate_limits.c.window_start],
        set_={"count": rate_limits.c.count + 1},
    )
    return (await conn.execute(stmt.returning(rate_limits.c.count))).scalar_one()  # type: ignore[no-any-return]


async def prune(conn: AsyncConnection, before: datetime, key_prefix: str = "") -> int:
    """Delete windows that started before `before` (only keys with the prefix, if given); return how many."""
    stmt = delete(rate_limits).where(rate_limits.c.window_start < before)
    if key_prefix:
        stmt = stmt.where(rate_limits.c.key.startswith(key_prefix, autoescape=True))
    result = await conn.execute(stmt)
    return int(result.rowcount)
