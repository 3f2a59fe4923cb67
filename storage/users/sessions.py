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
from typing import Any

from sqlalchemy import ColumnElement, Row, RowMapping, Select, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from events.envelope import utcnow
from storage.users.tables import used_refresh_tokens, user_sessions, users


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
    user_id: uuid.UUID
    access_token: str
    refresh_token: str | None
    expires_in: int


def effective_role(role: str, subscription_tier: str) -> str:
    """The role access checks use: a paying user is premium whatever the role column says."""
    return "premium" if role == "user" and subscription_tier == "premium" else role


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
    await _evict_beyond(conn, user_id, policy, now)
    return Tokens(session_id, user_id, access, refresh, int(policy.access_ttl.total_seconds()))


async def _evict_beyond(conn: AsyncConnection, user_id: uuid.UUID, policy: SessionPolicy, now: datetime) -> None:
    # Only live sessions hold a slot: dead ones (expired, idle) are ended here too, never counted.
    s = user_sessions.c
    usable = or_(s.expires_at > now, s.refresh_expires_at > now)
    keep = (
        select(s.id)
        .where(s.user_id == user_id, usable, *_live(now, policy.idle_timeout))
        .order_by(s.created_at.desc(), s.id.desc())
        .limit(policy.max_sessions)
    )
    await conn.execute(
        update(user_sessions)
        .where(s.user_id == user_id, s.is_active, s.id.not_in(keep))
        .values(is_active=False, ended_at=now, ended_reason="evicted")
    )


def _live(now: datetime, idle: timedelta) -> list[ColumnElement[bool]]:
    s = user_sessions.c
    return [
        s.is_active,
        or_(s.absolute_expires_at.is_(None), s.absolute_expires_at > now),
        s.last_accessed_at > now - idle,
    ]


def _alive(row: Row[Any], expiry: datetime | None, now: datetime, idle: timedelta) -> bool:
    absolute = row.absolute_expires_at
    return bool(
        row.is_active
        and expiry is not None
        and expiry > now
        and (absolute is None or absolute > now)
        and row.last_accessed_at > now - idle
    )


def _session_and_user(*where: ColumnElement[bool]) -> Select[Any]:
    s = user_sessions.c
    return (
        select(
            s.id,
            s.user_id,
            s.is_active,
            s.ended_reason,
            s.expires_at,
            s.refresh_expires_at,
            s.absolute_expires_at,
            s.last_accessed_at,
            users.c.email,
            users.c.role,
            users.c.subscription_tier,
            users.c.suspended_at,
            users.c.is_active.label("user_active"),
        )
        .join(users, users.c.id == s.user_id)
        .where(*where)
    )


async def authenticate(
    conn: AsyncConnection, token: str, idle: timedelta, now: datetime | None = None
) -> Principal | None:
    """The principal behind an access token; None if unknown, ended, expired or idle too long.

    A suspended user's tokens (live, or ended by the suspension) yield a suspended principal, so the caller
    answers 403 rather than 401.
    """
    now = now or utcnow()
    row = (await conn.execute(_session_and_user(user_sessions.c.session_token == token_hash(token)))).first()
    if row is None or not row.user_active:
        return None
    alive = _alive(row, row.expires_at, now, idle)
    suspended = row.suspended_at is not None
    if not alive and not (suspended and row.ended_reason == "suspended"):
        return None
    if alive:
        await conn.execute(update(user_sessions).where(user_sessions.c.id == row.id).values(last_accessed_at=now))
    role = effective_role(row.role, row.subscription_tier)
    return Principal(row.user_id, row.id, row.email, role, suspended)


async def rotate(
    conn: AsyncConnection, refresh_token: str, policy: SessionPolicy, now: datetime | None = None
) -> Tokens | str:
    """New tokens for a live refresh token; else why not: "suspended", "reused" (the session is ended), "invalid"."""
    now, presented = now or utcnow(), token_hash(refresh_token)
    stmt = _session_and_user(user_sessions.c.refresh_token == presented).with_for_update(of=user_sessions)
    row = (await conn.execute(stmt)).first()
    if row is not None and row.suspended_at is not None:
        return "suspended"
    if row is None or not row.user_active or not _alive(row, row.refresh_expires_at, now, policy.idle_timeout):
        return await _reuse_or_invalid(conn, presented, now)
    access, refresh = new_token(), new_token()
    await conn.execute(used_refresh_tokens.insert().values(token_hash=presented, session_id=row.id, used_at=now))
    await conn.execute(
        update(user_sessions)
        .where(user_sessions.c.id == row.id)
        .values(
            session_token=token_hash(access),
            refresh_token=token_hash(refresh),
            last_accessed_at=now,
            **_expiries(policy, now, row.absolute_expires_at),
        )
    )
    return Tokens(row.id, row.user_id, access, refresh, int(policy.access_ttl.total_seconds()))


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
    done = await conn.execute(
        update(user_sessions)
        .where(user_sessions.c.user_id == user_id, user_sessions.c.is_active)
        .values(is_active=False, ended_at=utcnow(), ended_reason=reason)
    )
    return done.rowcount


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
