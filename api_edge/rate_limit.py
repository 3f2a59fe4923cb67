"""Fixed-window rate limits per client IP and per user, counted in Postgres so every edge process shares them."""

from __future__ import annotations

import asyncio
import logging
import math
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from prometheus_client import Counter
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from api_edge.errors import ApiError, error_response
from events.envelope import utcnow
from storage.platform import rate_limits

log = logging.getLogger(__name__)

RATE_LIMITED = Counter("shine_http_rate_limited_total", "Requests refused by a rate limit", ["scope", "path_class"])
FAIL_OPEN = Counter("shine_rate_limit_fail_open_total", "Rate-limit checks allowed because the database failed")

# Monitoring must see the edge even while clients are being throttled.
EXEMPT_PATHS = frozenset({"/health", "/ready", "/metrics"})
# Webhooks are authenticated by their signatures, arrive from a sender's few addresses in bursts (Stripe retries
# what is refused), and their path writes nothing to the database: a per-IP counter row would be one.
WEBHOOK_PREFIX = "/webhooks/"
# A database that is down or too slow: the check gives up and allows the request.
_UNAVAILABLE = (DBAPIError, PoolTimeout, OSError, TimeoutError)
_EPOCH = datetime.fromtimestamp(0, UTC)
RECHECK_SECONDS = 1.0


@dataclass(frozen=True)
class Limit:
    """At most `requests` per fixed window of `window_seconds`."""

    requests: int
    window_seconds: int


def window_start(now: datetime, window_seconds: int) -> datetime:
    """The start of the window holding `now`; windows are aligned to epoch multiples of their length."""
    ts = int(now.timestamp()) // window_seconds * window_seconds
    return datetime.fromtimestamp(ts, UTC)


class RateLimiter:
    """Counts requests per key in Postgres; allows when the database cannot answer."""

    def __init__(self, engine: AsyncEngine, *, timeout_seconds: float = 1.0) -> None:
        self._engine, self._timeout = engine, timeout_seconds
        # Per window length, the newest window this process has pruned for: pruning runs once per window.
        self._pruned: dict[int, datetime] = {}
        self._failing = False
        self._failed_at = 0.0

    async def close(self) -> None:
        """Release the limiter's database connections."""
        await self._engine.dispose()

    async def check(self, key: str, limit: Limit, now: datetime | None = None) -> int | None:
        """None when the request is allowed, else the seconds until the window ends (for Retry-After)."""
        now = now or utcnow()
        start = window_start(now, limit.window_seconds)
        # The window length is part of the stored key, so the same key under two lengths never shares a
        # counter, and pruning one length's old windows never touches a longer window's live ones.
        prefix = f"{limit.window_seconds}s:"
        if self._failing and time.monotonic() - self._failed_at < RECHECK_SECONDS:
            # While the store is down, one check per interval probes it; the rest allow at once, so an
            # outage does not add the check's timeout to every request.
            FAIL_OPEN.inc()
            return None
        try:
            async with asyncio.timeout(self._timeout), self._engine.begin() as conn:
                count = await rate_limits.hit(conn, prefix + key, start)
        except _UNAVAILABLE as exc:
            # Fail open: a database outage must not turn into a full edge outage. The limit protects the
            # service from abuse; refusing everyone would do the abuser's work, and the requests themselves
            # need the database anyway, so an attacker gains little while it is down.
            self._unavailable(exc)
            return None
        await self._prune_once(limit.window_seconds, start, prefix)
        if self._failing:
            self._failing = False
            log.info("rate-limit store reachable again")
        if count <= limit.requests:
            return None
        return max(1, math.ceil((start + timedelta(seconds=limit.window_seconds) - now).total_seconds()))

    async def _prune_once(self, window_seconds: int, start: datetime, prefix: str) -> None:
        """Drop old windows of this length, the first time this process sees a new window."""
        if start <= self._pruned.get(window_seconds, _EPOCH):
            return
        self._pruned[window_seconds] = start
        # Two windows back: a peer whose clock lags a little may still be counting the previous one.
        before = start - timedelta(seconds=2 * window_seconds)
        try:
            async with asyncio.timeout(self._timeout), self._engine.begin() as conn:
                await rate_limits.prune(conn, before, prefix)
        except _UNAVAILABLE as exc:
            # Leftover rows only cost space; the next window's first request tries again.
            log.warning("rate-limit prune failed: %r", exc)

    def _unavailable(self, exc: BaseException) -> None:
        FAIL_OPEN.inc()
        self._failed_at = time.monotonic()
        # Warn once per outage, not once per request: the counter shows how many checks were skipped.
        if not self._failing:
            self._failing = True
            log.warning("rate-limit store unavailable; allowing requests until it answers: %r", exc)


def too_many(retry_after: int) -> ApiError:
    """The 429 error, with Retry-After."""
    return ApiError(
        429,
        "RATE_LIMITED",
        f"Too many requests; retry in {retry_after} seconds.",
        {"retry_after": retry_after},
        headers={"Retry-After": str(retry_after)},
    )


def limited(retry_after: int) -> JSONResponse:
    """The 429 answer for middleware, which runs outside the app's exception handlers."""
    error = too_many(retry_after)
    return error_response(error.status, error.code, error.message, error.details, error.headers)


SIGN_IN_PATHS = frozenset({"/auth/login", "/auth/callback", "/auth/refresh"})


def path_class(path: str) -> str | None:
    """Which budget a path draws on: "auth", "default", or None for monitoring paths that are never limited."""
    if path in EXEMPT_PATHS or path.startswith(WEBHOOK_PREFIX):
        return None
    # Only the sign-in endpoints get the strict budget: ordinary profile/session calls must not use it up.
    return "auth" if path in SIGN_IN_PATHS else "default"


class RateLimitMiddleware:
    """ASGI middleware: a per-client-IP budget, stricter on /auth/ paths, none on monitoring paths."""

    # The IP is the ASGI peer (scope["client"]): X-Forwarded-For is client-controlled, so trusting it here
    # would let anyone pick a fresh budget per request. Behind a proxy, let the server rewrite the peer from
    # proxy headers sent by known proxies only (uvicorn --proxy-headers --forwarded-allow-ips).

    def __init__(
        self, app: ASGIApp, limiter: RateLimiter | Callable[[Scope], RateLimiter], auth: Limit, default: Limit
    ) -> None:
        # The limiter itself, or how to find the one the application's lifespan opened.
        self.app, self.limiter = app, limiter
        self.limits = {"auth": auth, "default": default}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = path_class(scope["path"]) if scope["type"] == "http" else None
        if kind is None:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        # Without a peer address (e.g. a unix socket with no proxy headers) all such callers share a budget.
        ip = client[0] if client else "unknown"
        limiter = self.limiter if isinstance(self.limiter, RateLimiter) else self.limiter(scope)
        retry_after = await limiter.check(f"ip:{kind}:{ip}", self.limits[kind])
        if retry_after is None:
            await self.app(scope, receive, send)
            return
        RATE_LIMITED.labels("ip", kind).inc()
        await limited(retry_after)(scope, receive, send)


async def check_user(limiter: RateLimiter, user_id: uuid.UUID, path: str, auth: Limit, default: Limit) -> None:
    """Raise ApiError 429 when the authenticated user has spent the budget for this path's class."""
    kind = path_class(path)
    if kind is None:
        return
    retry_after = await limiter.check(f"user:{kind}:{user_id}", auth if kind == "auth" else default)
    if retry_after is not None:
        RATE_LIMITED.labels("user", kind).inc()
        raise too_many(retry_after)
