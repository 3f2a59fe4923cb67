"""Bearer sessions in SQL: rows keyed by token hashes; the rules deciding liveness live in the edge
(api_edge/users/session_rules.py) and reach here as values (hashes, expiries, cut-offs)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, RowMapping, Select, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.users.tables import used_refresh_tokens, user_sessions, users


@dataclass(frozen=True)
class SessionRow:
    """A session joined with its user, as liveness rules need it."""

    id: uuid.UUID
    user_id: uuid.UUID
    email: str
    role: str
    subscription_tier: str
    is_active: bool
    ended_reason: str | None
    expires_at: datetime | None
    refresh_expires_at: datetime | None
    absolute_expires_at: datetime | None
    last_accessed_at: datetime
    user_active: bool
    suspended: bool


async def insert(
    conn: AsyncConnection,
    user_id: uuid.UUID,
    *,
    access_hash: str,
    refresh_hash: str | None,
    expires_at: datetime,
    refresh_expires_at: datetime | None,
    absolute_expires_at: datetime,
    now: datetime,
    ip: str | None,
    agent: str | None,
) -> uuid.UUID:
    """Store a new session; returns its id."""
    stmt = user_sessions.insert().values(
        user_id=user_id,
        session_token=access_hash,
        refresh_token=refresh_hash,
        expires_at=expires_at,
        refresh_expires_at=refresh_expires_at,
        absolute_expires_at=absolute_expires_at,
        created_at=now,
        last_accessed_at=now,
        ip_address=ip,
        user_agent=agent,
    )
    return (await conn.execute(stmt.returning(user_sessions.c.id))).scalar_one()  # type: ignore[no-any-return]


def _live(now: datetime, idle_cutoff: datetime) -> list[ColumnElement[bool]]:
    s = user_sessions.c
    return [
        s.is_active,
        or_(s.absolute_expires_at.is_(None), s.absolute_expires_at > now),
        s.last_accessed_at > idle_cutoff,
    ]


async def evict_beyond(conn: AsyncConnection, user_id: uuid.UUID, keep: int, now: datetime, cutoff: datetime) -> None:
    """End every active session of the user but the `keep` newest live ones (dead ones never hold a slot)."""
    s = user_sessions.c
    usable = or_(s.expires_at > now, s.refresh_expires_at > now)
    newest = (
        select(s.id)
        .where(s.user_id == user_id, usable, *_live(now, cutoff))
        .order_by(s.created_at.desc(), s.id.desc())
        .limit(keep)
    )
    await conn.execute(
        update(user_sessions)
        .where(s.user_id == user_id, s.is_active, s.id.not_in(newest))
        .values(is_active=False, ended_at=now, ended_reason="evicted")
    )


def _session_and_user(*where: ColumnElement[bool]) -> Select[Any]:
    s = user_sessions.c
    return (
        select(
            s.id,
            s.user_id,
            users.c.email,
            users.c.role,
            users.c.subscription_tier,
            s.is_active,
            s.ended_reason,
            s.expires_at,
            s.refresh_expires_at,
            s.absolute_expires_at,
            s.last_accessed_at,
            users.c.is_active.label("user_active"),
            (users.c.suspended_at.is_not(None)).label("suspended"),
        )
        .join(users, users.c.id == s.user_id)
        .where(*where)
    )


async def by_access_hash(conn: AsyncConnection, access_hash: str) -> SessionRow | None:
    """The session holding this access token."""
    row = (await conn.execute(_session_and_user(user_sessions.c.session_token == access_hash))).mappings().first()
    return SessionRow(**row) if row else None


async def by_refresh_hash_for_update(conn: AsyncConnection, refresh_hash: str) -> SessionRow | None:
    """The session holding this refresh token, locked until the transaction ends."""
    stmt = _session_and_user(user_sessions.c.refresh_token == refresh_hash).with_for_update(of=user_sessions)
    row = (await conn.execute(stmt)).mappings().first()
    return SessionRow(**row) if row else None


async def touch(conn: AsyncConnection, session_id: uuid.UUID, now: datetime) -> None:
    """Record use of a session (idle time restarts)."""
    await conn.execute(update(user_sessions).where(user_sessions.c.id == session_id).values(last_accessed_at=now))


async def replace_tokens(
    conn: AsyncConnection,
    session_id: uuid.UUID,
    *,
    spent_refresh_hash: str,
    access_hash: str,
    refresh_hash: str,
    expires_at: datetime,
    refresh_expires_at: datetime | None,
    now: datetime,
) -> None:
    """Rotate a session's tokens in place and remember the spent refresh token."""
    await conn.execute(
        used_refresh_tokens.insert().values(token_hash=spent_refresh_hash, session_id=session_id, used_at=now)
    )
    await conn.execute(
        update(user_sessions)
        .where(user_sessions.c.id == session_id)
        .values(
            session_token=access_hash,
            refresh_token=refresh_hash,
            last_accessed_at=now,
            expires_at=expires_at,
            refresh_expires_at=refresh_expires_at,
        )
    )


async def session_of_spent_refresh(conn: AsyncConnection, refresh_hash: str) -> uuid.UUID | None:
    """The session whose already-rotated refresh token has this hash."""
    stmt = select(used_refresh_tokens.c.session_id).where(used_refresh_tokens.c.token_hash == refresh_hash)
    return (await conn.execute(stmt)).scalar_one_or_none()


async def end_sessions(conn: AsyncConnection, ids: Sequence[uuid.UUID], reason: str, now: datetime) -> int:
    """End these sessions; returns how many were still active."""
    done = await conn.execute(
        update(user_sessions)
        .where(user_sessions.c.id.in_(ids), user_sessions.c.is_active)
        .values(is_active=False, ended_at=now, ended_reason=reason)
    )
    return done.rowcount


async def end_all(conn: AsyncConnection, user_id: uuid.UUID, reason: str, now: datetime) -> int:
    """End every active session of a user."""
    done = await conn.execute(
        update(user_sessions)
        .where(user_sessions.c.user_id == user_id, user_sessions.c.is_active)
        .values(is_active=False, ended_at=now, ended_reason=reason)
    )
    return done.rowcount


async def active_sessions(
    conn: AsyncConnection, user_id: uuid.UUID, now: datetime, cutoff: datetime
) -> Sequence[RowMapping]:
    """A user's live sessions, newest first."""
    s = user_sessions.c
    stmt = (
        select(s.id, s.created_at, s.last_accessed_at, s.ip_address, s.user_agent)
        .where(s.user_id == user_id, *_live(now, cutoff))
        .order_by(s.created_at.desc())
    )
    return (await conn.execute(stmt)).mappings().all()


async def session_owner(conn: AsyncConnection, session_id: uuid.UUID) -> uuid.UUID | None:
    """Who a session belongs to (None if there is no such session)."""
    return (await conn.execute(select(user_sessions.c.user_id).where(user_sessions.c.id == session_id))).scalar()
