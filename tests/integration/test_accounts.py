"""Operator accounts and bearer sessions."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from api_edge.users.session_rules import SessionPolicy, token_hash
from api_edge.users.sessions import authenticate, open_session
from events.envelope import utcnow
from storage.users.accounts import ensure_user
from storage.users.tables import user_sessions, users

pytestmark = pytest.mark.integration


async def test_role_changes_only_when_asked(engine: AsyncEngine) -> None:
    email = f"{uuid.uuid4().hex[:8]}@example.com"
    async with engine.begin() as conn:
        first = await ensure_user(conn, email, "admin")
        again = await ensure_user(conn, email)  # e.g. `shine token --email` without --role
        role = (await conn.execute(select(users.c.role).where(users.c.id == first))).scalar()
        assert (again, role) == (first, "admin")
        await ensure_user(conn, email, "premium")
        assert (await conn.execute(select(users.c.role).where(users.c.id == first))).scalar() == "premium"


async def test_tokens_are_stored_hashed_and_expire(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        user = await ensure_user(conn, f"{uuid.uuid4().hex[:8]}@example.com")
        policy = SessionPolicy(timedelta(minutes=5), None, timedelta(hours=1), timedelta(hours=1), 5)
        token = (await open_session(conn, user, policy)).access_token
        stored = (
            await conn.execute(select(user_sessions.c.session_token).where(user_sessions.c.user_id == user))
        ).scalar()
        assert len(token) >= 43 and stored == token_hash(token) and token not in str(stored)
        idle = policy.idle_timeout
        assert (await authenticate(conn, token, idle)) is not None
        assert await authenticate(conn, token, idle, now=utcnow() + timedelta(minutes=6)) is None
        assert await authenticate(conn, token + "x", idle) is None
