"""Session lifetimes and rotation at the storage level, with time passed in (no sleeping)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api_edge.users.session_rules import SessionPolicy, Tokens
from api_edge.users.sessions import active_sessions, authenticate, open_session, rotate
from events.envelope import utcnow
from storage.users.accounts import ensure_user

pytestmark = pytest.mark.integration

POLICY = SessionPolicy(
    access_ttl=timedelta(minutes=15),
    refresh_ttl=timedelta(days=30),
    idle_timeout=timedelta(hours=1),
    absolute_lifetime=timedelta(days=2),
    max_sessions=3,
)


async def _user(engine: AsyncEngine) -> uuid.UUID:
    async with engine.begin() as conn:
        return await ensure_user(conn, f"{uuid.uuid4().hex[:10]}@example.com")


async def test_idle_sessions_die_and_activity_keeps_them_alive(engine: AsyncEngine) -> None:
    user, now = await _user(engine), utcnow()
    async with engine.begin() as conn:
        kept = await open_session(conn, user, POLICY, now=now)
        idle = await open_session(conn, user, POLICY, now=now)
        assert await authenticate(conn, kept.access_token, POLICY.idle_timeout, now + timedelta(minutes=10))
        later = now + timedelta(minutes=65)  # 55 minutes after `kept` was last used, 65 after `idle`
        assert await authenticate(conn, kept.access_token, POLICY.idle_timeout, later) is None  # access token expired
        assert isinstance(await rotate(conn, str(kept.refresh_token), POLICY, later), Tokens)
        assert await rotate(conn, str(idle.refresh_token), POLICY, later) == "invalid"


async def test_absolute_lifetime_ends_even_an_active_session(engine: AsyncEngine) -> None:
    user, now = await _user(engine), utcnow()
    async with engine.begin() as conn:
        tokens = await open_session(conn, user, POLICY, now=now)
        moment, refresh = now, str(tokens.refresh_token)
        while moment < now + timedelta(days=2) - timedelta(minutes=30):
            moment += timedelta(minutes=30)
            step = await rotate(conn, refresh, POLICY, moment)
            assert isinstance(step, Tokens), moment - now
            refresh = str(step.refresh_token)
        assert await rotate(conn, refresh, POLICY, now + timedelta(days=2, minutes=1)) == "invalid"


async def test_the_session_cap_evicts_the_oldest(engine: AsyncEngine) -> None:
    user, now = await _user(engine), utcnow()
    async with engine.begin() as conn:
        opened = [await open_session(conn, user, POLICY, now=now + timedelta(seconds=i)) for i in range(5)]
        alive = {
            row["id"] for row in await active_sessions(conn, user, POLICY.idle_timeout, now + timedelta(seconds=9))
        }
        assert alive == {t.session_id for t in opened[2:]}
        assert await authenticate(conn, opened[0].access_token, POLICY.idle_timeout, now) is None
