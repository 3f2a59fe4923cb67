"""Rate limits counted in the real Postgres, shared by several edge processes."""

from __future__ import annotations

import asyncio
import logging
import socket
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from api_edge.errors import EXCEPTION_HANDLERS, ApiError
from api_edge.rate_limit import Limit, RateLimiter, RateLimitMiddleware, check_user, window_start
from shine.settings import Settings
from storage.engine import create_engine
from storage.platform.tables import rate_limits
from tests.support.services import free_port

pytestmark = pytest.mark.integration

WINDOW = 60


@pytest.fixture
async def second_engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    """A separate pool on the same database, standing in for another edge process."""
    eng = create_engine(settings.db_url)
    yield eng
    await eng.dispose()


def mid_window(offset: float = 7.0) -> datetime:
    """A moment `offset` seconds into the current window, so a test never straddles a boundary."""
    return window_start(datetime.now(UTC), WINDOW) + timedelta(seconds=offset)


async def test_two_processes_share_one_budget(engine: AsyncEngine, second_engine: AsyncEngine) -> None:
    edges = [RateLimiter(engine), RateLimiter(second_engine)]
    key, limit, now = f"test:{uuid.uuid4()}", Limit(5, WINDOW), mid_window()
    verdicts = [await edges[i % 2].check(key, limit, now) for i in range(8)]
    assert verdicts[:5] == [None] * 5
    refused = verdicts[5:]
    assert all(r is not None and 0 < r <= WINDOW for r in refused)
    assert refused == [WINDOW - 7] * 3  # until the window ends, from either process


async def test_windows_roll_over(engine: AsyncEngine) -> None:
    limiter, key, limit = RateLimiter(engine), f"test:{uuid.uuid4()}", Limit(2, WINDOW)
    now = mid_window(offset=59.5)
    assert [await limiter.check(key, limit, now) for _ in range(3)] == [None, None, 1]  # Retry-After never 0
    later = now + timedelta(seconds=1)  # half a second into the next window: a fresh budget
    assert [await limiter.check(key, limit, later) for _ in range(3)] == [None, None, WINDOW]


async def test_windows_two_back_and_older_are_pruned(engine: AsyncEngine) -> None:
    window = 7919  # a length no other test uses, so the row count below is this test's own
    limiter, key, limit = RateLimiter(engine), f"test:{uuid.uuid4()}", Limit(100, window)
    start = window_start(datetime(2030, 1, 1, tzinfo=UTC), window)
    for n in range(5):
        await limiter.check(key, limit, start + timedelta(seconds=n * window))

    async with engine.connect() as conn:
        starts = (
            await conn.execute(select(rate_limits.c.window_start).where(rate_limits.c.key == f"{window}s:{key}"))
        ).scalars()
        assert sorted(starts) == [start + timedelta(seconds=n * window) for n in (2, 3, 4)]


async def test_same_key_under_two_window_lengths_counts_apart(engine: AsyncEngine) -> None:
    short, long = Limit(1, 59), Limit(1, 59 * 60)  # lengths no other test uses; pruning stays within them
    limiter, key = RateLimiter(engine), f"test:{uuid.uuid4()}"
    now = datetime.fromtimestamp(long.window_seconds * 600_000, UTC)  # both windows start here
    assert window_start(now, short.window_seconds) == window_start(now, long.window_seconds) == now
    assert await limiter.check(key, short, now) is None
    assert await limiter.check(key, long, now) is None  # same key and start, its own counter
    assert await limiter.check(key, short, now) is not None


async def test_unreachable_database_fails_open(caplog: pytest.LogCaptureFixture) -> None:
    dead = create_engine(f"postgresql+asyncpg://shine@127.0.0.1:{free_port()}/shine")
    try:
        limiter = RateLimiter(dead)
        assert [await limiter.check("test:down", Limit(1, WINDOW)) for _ in range(3)] == [None] * 3
    finally:
        await dead.dispose()
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and "unavailable" in r.message]
    assert len(warnings) == 1  # once per outage, not once per request


async def test_silent_database_fails_open_after_the_timeout() -> None:
    # A peer that accepts TCP but never speaks Postgres: the check must not hang the request.
    with socket.create_server(("127.0.0.1", 0)) as silent:
        port = silent.getsockname()[1]
        hung = create_engine(f"postgresql+asyncpg://shine@127.0.0.1:{port}/shine")
        try:
            limiter = RateLimiter(hung, timeout_seconds=0.2)
            assert await asyncio.wait_for(limiter.check("test:hung", Limit(1, WINDOW)), 5) is None
        finally:
            await hung.dispose()


def edge_app(engine: AsyncEngine, auth: Limit, default: Limit) -> Starlette:
    async def ok(request: Request) -> JSONResponse:
        return JSONResponse({"ok": True})

    return Starlette(
        routes=[
            Route("/auth/login", ok, methods=["POST"]),
            Route("/analysis/x", ok, methods=["GET"]),
            Route("/health", ok, methods=["GET"]),
        ],
        middleware=[Middleware(RateLimitMiddleware, limiter=RateLimiter(engine), auth=auth, default=default)],
        exception_handlers=EXCEPTION_HANDLERS,
    )


def client_from(app: Starlette, ip: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(ip, 1234))
    return httpx.AsyncClient(transport=transport, base_url="http://edge")


def unique_ip() -> str:
    """A 10.x address from a fresh uuid, so tests never share a budget in the shared database."""
    b = uuid.uuid4().bytes
    return f"10.{b[0]}.{b[1]}.{b[2]}"


async def test_middleware_limits_auth_per_ip_apart_from_other_paths(engine: AsyncEngine) -> None:
    app = edge_app(engine, auth=Limit(3, 600), default=Limit(100, 600))
    ip, other_ip = unique_ip(), unique_ip()
    async with client_from(app, ip) as client:
        codes = [(await client.post("/auth/login")).status_code for _ in range(3)]
        refused = await client.post("/auth/login")
        assert codes == [200, 200, 200] and refused.status_code == 429
        retry_after = int(refused.headers["Retry-After"])
        assert 0 < retry_after <= 600
        assert refused.json() == {
            "error": {
                "code": "RATE_LIMITED",
                "message": refused.json()["error"]["message"],
                "details": {"retry_after": retry_after},
            }
        }
        assert (await client.get("/analysis/x")).status_code == 200  # a separate budget
        assert [(await client.get("/health")).status_code for _ in range(10)] == [200] * 10
    async with client_from(app, other_ip) as client:
        assert (await client.post("/auth/login")).status_code == 200  # another IP, another budget


async def test_health_is_never_limited(engine: AsyncEngine) -> None:
    app = edge_app(engine, auth=Limit(1, 600), default=Limit(1, 600))
    async with client_from(app, unique_ip()) as client:
        assert (await client.get("/analysis/x")).status_code == 200
        assert (await client.get("/analysis/x")).status_code == 429
        assert (await client.post("/auth/login")).status_code == 200
        assert (await client.post("/auth/login")).status_code == 429
        assert [(await client.get("/health")).status_code for _ in range(5)] == [200] * 5


async def test_check_user_raises_429_after_user_budget(engine: AsyncEngine) -> None:
    limiter, user = RateLimiter(engine), uuid.uuid4()
    auth, default = Limit(2, 600), Limit(4, 600)
    for _ in range(2):
        await check_user(limiter, user, "/auth/refresh", auth, default)
    with pytest.raises(ApiError) as refused:
        await check_user(limiter, user, "/auth/refresh", auth, default)
    err = refused.value
    assert (err.status, err.code) == (429, "RATE_LIMITED")
    assert err.headers == {"Retry-After": str(err.details["retry_after"])}
    assert 0 < err.details["retry_after"] <= 600
    for _ in range(4):  # the default budget is separate from the auth one
        await check_user(limiter, user, "/analysis/history", auth, default)
    with pytest.raises(ApiError):
        await check_user(limiter, user, "/analysis/history", auth, default)
    await check_user(limiter, uuid.uuid4(), "/auth/refresh", auth, default)  # another user is unaffected
