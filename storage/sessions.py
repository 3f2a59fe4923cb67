"""Bearer sessions: opaque CSPRNG tokens stored only as sha256, rotation with reuse detection, lifetimes.

A session is one sign-in (the RFC 9700 "token family"): refreshing rotates its access and refresh tokens in
place and records the old refresh token's hash; presenting a recorded one again ends the whole session.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, RowMapping, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from events.envelope import utcnow
from storage.tables import used_refresh_tokens, user_sessions, users


@dataclass(frozen=True)
class Principal:
    """The authenticated caller."""

    user_id: uuid.UUID
    session_id: uuid.UUID
    email: str
    role: str
    suspended: bool


@dataclass(frozen=True)
class SessionPolicy:
    access_ttl: timedelta
    refresh_ttl: timedelta | None  # None: no refresh token (operator sessions)
    idle_timeout: timedelta
    absolute_lifetime: timedelta
    max_sessions: int


@dataclass(frozen=True)
class Tokens:
    session_id: uuid.UUID
    access_token: str
    refresh_token: str | None
    expires_in: int


def new_token() -> str:
    """An opaque bearer token with 256 bits from the OS CSPRNG."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What is stored instead of the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _expiries(policy: SessionPolicy, now: datetime, absolute: datetime) -> dict[str, datetime | None]:
    refresh = min(now + policy.refresh_ttl, absolute) if policy.refresh_ttl else None
    return {"expires_at": min(now + policy.access_ttl, absolute), "refresh_expires_at": refresh}


async def open_session(
    conn: AsyncConnection,
    user_id: uuid.UUID,
    policy: SessionPolicy,
    *,
    ip: str | None = None,
    agent: str | None = None,
    now: datetime | None = None,
) -> Tokens:
    """A new session (never a reused one: no fixation); the oldest sessions beyond the cap are ended."""
    now = now or utcnow()
    access, refresh = new_token(), new_token() if policy.refresh_ttl else None
    absolute = now + policy.absolute_lifetime
    session_id = (
        await conn.execute(
            user_sessions.insert()
            .values(
                user_id=user_id,
                session_token=token_hash(access),
                refresh_token=token_hash(refresh) if refresh else None,
                absolute_expires_at=absolute,
                created_at=now,
                last_accessed_at=now,
                ip_address=ip,
                user_agent=agent,
                **_expiries(policy, now, absolute),
            )
            .returning(user_sessions.c.id)
        )
    ).scalar_one()
    await _evict_beyond(conn, user_id, policy.max_sessions, now)
    return Tokens(session_id, access, refresh, int(policy.access_ttl.total_seconds()))


async def _evict_beyond(conn: AsyncConnection, user_id: uuid.UUID, cap: int, now: datetime) -> None:
    keep = (
        select(user_sessions.c.id)
        .where(user_sessions.c.user_id == user_id, user_sessions.c.is_active)
        .order_by(user_sessions.c.created_at.desc(), user_sessions.c.id.desc())
        .limit(cap)
    )
    await conn.execute(
        update(user_sessions)
        .where(
            user_sessions.c.user_id == user_id,
            user_sessions.c.is_active,
            user_sessions.c.id.not_in(keep),
        )
        .values(is_active=False, ended_at=now, ended_reason="evicted")
    )


def _live(now: datetime, idle: timedelta) -> list[ColumnElement[bool]]:
    s = user_sessions.c
    return [
        s.is_active,
        or_(s.absolute_expires_at.is_(None), s.absolute_expires_at > now),
        s.last_accessed_at > now - idle,
    ]


async def authenticate(
    conn: AsyncConnection, token: str, idle: timedelta, now: datetime | None = None
) -> Principal | None:
    """The principal behind a live access token, or None (unknown, ended, expired or idle too long)."""
    now = now or utcnow()
    s = user_sessions.c
    row = (
        await conn.execute(
            select(
                s.id,
                users.c.id.label("user_id"),
                users.c.email,
                users.c.role,
                users.c.subscription_tier,
                users.c.suspended_at,
            )
            .join(users, users.c.id == s.user_id)
            .where(s.session_token == token_hash(token), s.expires_at > now, *_live(now, idle))
        )
    ).first()
    if row is None:
        return None
    await conn.execute(update(user_sessions).where(s.id == row.id).values(last_accessed_at=now))
    role = "premium" if row.role == "user" and row.subscription_tier == "premium" else row.role
    return Principal(row.user_id, row.id, row.email, role, row.suspended_at is not None)


async def rotate(
    conn: AsyncConnection, refresh_token: str, policy: SessionPolicy, now: datetime | None = None
) -> Tokens | str:
    """New tokens for a live refresh token; otherwise why not: "reused" (the session is ended) or "invalid"."""
    now, presented = now or utcnow(), token_hash(refresh_token)
    s = user_sessions.c
    row = (
        await conn.execute(
            select(s.id, s.absolute_expires_at)
            .where(s.refresh_token == presented, s.refresh_expires_at > now, *_live(now, policy.idle_timeout))
            .with_for_update()
        )
    ).first()
    if row is None:
        return await _reuse_or_invalid(conn, presented, now)
    access, refresh = new_token(), new_token()
    await conn.execute(used_refresh_tokens.insert().values(token_hash=presented, session_id=row.id, used_at=now))
    await conn.execute(
        update(user_sessions)
        .where(s.id == row.id)
        .values(
            session_token=token_hash(access),
            refresh_token=token_hash(refresh),
            last_accessed_at=now,
            **_expiries(policy, now, row.absolute_expires_at),
        )
    )
    return Tokens(row.id, access, refresh, int(policy.access_ttl.total_seconds()))


async def _reuse_or_invalid(conn: AsyncConnection, presented: str, now: datetime) -> str:
    stolen = (
        await conn.execute(
            select(used_refresh_tokens.c.session_id).where(used_refresh_tokens.c.token_hash == presented)
        )
    ).scalar_one_or_none()
    if stolen is None:
        return "invalid"
    await end_sessions(conn, [stolen], "refresh_token_reused", now)
    return "reused"


async def end_sessions(
    conn: AsyncConnection, ids: Sequence[uuid.UUID], reason: str, now: datetime | None = None
) -> int:
    """End these sessions; returns how many were still active."""
    done = await conn.execute(
        update(user_sessions)
        .where(user_sessions.c.id.in_(ids), user_sessions.c.is_active)
        .values(is_active=False, ended_at=now or utcnow(), ended_reason=reason)
    )
    return done.rowcount


async def end_all(conn: AsyncConnection, user_id: uuid.UUID, reason: str) -> int:
    """End every active session of a user."""
    ids = (
        (
            await conn.execute(
                select(user_sessions.c.id).where(user_sessions.c.user_id == user_id, user_sessions.c.is_active)
            )
        )
        .scalars()
        .all()
    )
    return await end_sessions(conn, ids, reason)


async def active_sessions(
    conn: AsyncConnection, user_id: uuid.UUID, idle: timedelta, now: datetime | None = None
) -> Sequence[RowMapping]:
    """A user's live sessions, newest first."""
    now = now or utcnow()
    s = user_sessions.c
    return (
        (
            await conn.execute(
                select(s.id, s.created_at, s.last_accessed_at, s.ip_address, s.user_agent)
                .where(s.user_id == user_id, *_live(now, idle))
                .order_by(s.created_at.desc())
            )
        )
        .mappings()
        .all()
    )


async def session_owner(conn: AsyncConnection, session_id: uuid.UUID) -> uuid.UUID | None:
    """Who a session belongs to (None if there is no such session)."""
    return (await conn.execute(select(user_sessions.c.user_id).where(user_sessions.c.id == session_id))).scalar()
