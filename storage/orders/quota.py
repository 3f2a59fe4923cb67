"""The free tier's monthly analysis counter: admit an upload by counting it under a row lock, or refuse."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.orders.owned_tables import scan_quota


def month_of(now: datetime) -> date:
    """The first day of `now`'s calendar month (UTC)."""
    return now.astimezone(UTC).date().replace(day=1)


def next_reset(now: datetime) -> datetime:
    """When the next calendar month starts (UTC)."""
    first = month_of(now)
    year, month = (first.year + 1, 1) if first.month == 12 else (first.year, first.month + 1)
    return datetime(year, month, 1, tzinfo=UTC)


async def admit(conn: AsyncConnection, user_id: uuid.UUID, limit: int, now: datetime) -> tuple[bool, int]:
    """Count one more analysis this month if under `limit`: (admitted, used before). Hold the row lock until the
    transaction ends, so concurrent uploads of the user wait and see this one's count (no over-admission)."""
    month = month_of(now)
    await conn.execute(insert(scan_quota).values(user_id=user_id, month=month, used=0).on_conflict_do_nothing())
    used = (
        await conn.execute(
            select(scan_quota.c.used)
            .where(scan_quota.c.user_id == user_id, scan_quota.c.month == month)
            .with_for_update()
        )
    ).scalar_one()
    if used >= limit:
        return False, used
    await conn.execute(
        scan_quota.update()
        .where(scan_quota.c.user_id == user_id, scan_quota.c.month == month)
        .values(used=scan_quota.c.used + 1)
    )
    return True, used


async def release(conn: AsyncConnection, user_id: uuid.UUID, month: date) -> None:
    """Un-count one analysis of `month` (an admitted upload that was refused afterwards)."""
    await conn.execute(
        scan_quota.update()
        .where(scan_quota.c.user_id == user_id, scan_quota.c.month == month, scan_quota.c.used > 0)
        .values(used=scan_quota.c.used - 1)
    )
