"""Sessions over a connection: the rules of session_rules applied to the rows of storage.users.sessions."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from api_edge.users.session_rules import (
    Principal,
    SessionPolicy,
    SessionState,
    Tokens,
    access_verdict,
    effective_role,
    expiries,
    idle_cutoff,
    new_token,
    refresh_verdict,
    token_hash,
)
from events.envelope import utcnow
from storage.users import sessions as rows
from storage.users.sessions import SessionRow


def _state(row: SessionRow) -> SessionState:
    return SessionState(
        row.is_active,
        row.ended_reason,
        row.expires_at,
        row.refresh_expires_at,
        row.absolute_expires_at,
        row.last_accessed_at,
        row.user_active,
        row.suspended,
    )


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
    ends = expiries(policy, now, absolute)
    session_id = await rows.insert(
        conn,
        user_id,
        access_hash=token_hash(access),
        refresh_hash=token_hash(refresh) if refresh else None,
        expires_at=ends.expires_at,
        refresh_expires_at=ends.refresh_expires_at,
        absolute_expires_at=absolute,
        now=now,
        ip=ip,
        agent=agent,
    )
    await rows.evict_beyond(conn, user_id, policy.max_sessions, now, idle_cutoff(now, policy.idle_timeout))
    return Tokens(session_id, user_id, access, refresh, int(policy.access_ttl.total_seconds()))


async def authenticate(
    conn: AsyncConnection, token: str, idle: timedelta, now: datetime | None = None
) -> Principal | None:
    """The principal behind an access token; None if unknown, ended, expired or idle too long.

    A suspended user's tokens (live, or ended by the suspension) yield a suspended principal, so the caller
    answers 403 rather than 401.
    """
    now = now or utcnow()
    row = await rows.by_access_hash(conn, token_hash(token))
    verdict = access_verdict(_state(row), now, idle) if row else "invalid"
    if row is None or verdict == "invalid":
        return None
    if verdict == "live":
        await rows.touch(conn, row.id, now)
    return Principal(row.user_id, row.id, row.email, effective_role(row.role, row.subscription_tier), row.suspended)


async def rotate(
    conn: AsyncConnection, refresh_token: str, policy: SessionPolicy, now: datetime | None = None
) -> Tokens | str:
    """New tokens for a live refresh token; else why not: "suspended", "reused" (the session is ended), "invalid"."""
    now, presented = now or utcnow(), token_hash(refresh_token)
    row = await rows.by_refresh_hash_for_update(conn, presented)
    verdict = refresh_verdict(_state(row) if row else None, now, policy.idle_timeout)
    if verdict == "suspended":
        return "suspended"
    if row is None or verdict != "rotate":
        stolen = await rows.session_of_spent_refresh(conn, presented)
        if stolen is None:
            return "invalid"
        await rows.end_sessions(conn, [stolen], "refresh_token_reused", now)
        return "reused"
    access, refresh = new_token(), new_token()
    # Sessions from before absolute lifetimes existed get one counted from now.
    ends = expiries(policy, now, row.absolute_expires_at or now + policy.absolute_lifetime)
    await rows.replace_tokens(
        conn,
        row.id,
        spent_refresh_hash=presented,
        access_hash=token_hash(access),
        refresh_hash=token_hash(refresh),
        expires_at=ends.expires_at,
        refresh_expires_at=ends.refresh_expires_at,
        now=now,
    )
    return Tokens(row.id, row.user_id, access, refresh, int(policy.access_ttl.total_seconds()))


async def active_sessions(
    conn: AsyncConnection, user_id: uuid.UUID, idle: timedelta, now: datetime | None = None
) -> Sequence[RowMapping]:
    """A user's live sessions, newest first."""
    now = now or utcnow()
    return await rows.active_sessions(conn, user_id, now, idle_cutoff(now, idle))
