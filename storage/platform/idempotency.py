"""Idempotency keys in SQL (table storage.platform.tables.idempotency_keys)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.platform.tables import idempotency_keys

k = idempotency_keys.c


@dataclass(frozen=True)
class Record:
    """A stored key: its request fingerprint and, once answered, the answer."""

    fingerprint: str
    status_code: int | None
    response: dict[str, Any] | None
    created_at: datetime


async def find(conn: AsyncConnection, user_id: uuid.UUID, key: str) -> Record | None:
    """The record of this user's key."""
    row = (
        await conn.execute(
            select(k.fingerprint, k.status_code, k.response, k.created_at).where(k.user_id == user_id, k.key == key)
        )
    ).first()
    return Record(row.fingerprint, row.status_code, row.response, row.created_at) if row else None


async def claim(
    conn: AsyncConnection,
    user_id: uuid.UUID,
    key: str,
    operation: str,
    print_: str,
    now: datetime,
    replacing: datetime | None,
) -> bool:
    """Mark the key in flight; False if someone else claimed it first (`replacing`: the stale record's time)."""
    values = {"operation": operation, "fingerprint": print_, "created_at": now, "status_code": None, "response": None}
    if replacing is None:
        stmt = insert(idempotency_keys).values(user_id=user_id, key=key, **values).on_conflict_do_nothing()
        return bool((await conn.execute(stmt)).rowcount)
    same = and_(k.user_id == user_id, k.key == key, k.created_at == replacing)
    return bool((await conn.execute(update(idempotency_keys).where(same).values(**values))).rowcount)


async def complete(
    conn: AsyncConnection, user_id: uuid.UUID, key: str, status: int, response: dict[str, Any], now: datetime
) -> None:
    """Store the answer given."""
    await conn.execute(
        update(idempotency_keys)
        .where(k.user_id == user_id, k.key == key)
        .values(status_code=status, response=response, completed_at=now)
    )


async def release(conn: AsyncConnection, user_id: uuid.UUID, key: str) -> None:
    """Forget an in-flight claim whose work failed (the client may retry with the same key)."""
    await conn.execute(delete(idempotency_keys).where(k.user_id == user_id, k.key == key, k.status_code.is_(None)))


async def prune(conn: AsyncConnection, user_id: uuid.UUID, before: datetime) -> None:
    """Drop the user's keys created before `before` (expired)."""
    await conn.execute(delete(idempotency_keys).where(k.user_id == user_id, k.created_at < before))
