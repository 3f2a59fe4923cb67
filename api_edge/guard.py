"""Authenticating a bearer token for a request: 401 unknown, 403 suspended, 429 over the user's budget."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from api_edge.errors import ApiError
from api_edge.platform.database import Database
from api_edge.rate_limit import Limit, RateLimiter, check_user
from api_edge.users.session_rules import Principal
from api_edge.users.sessions import authenticate


@dataclass(frozen=True)
class GuardDeps:
    db: Database
    idle_timeout: timedelta
    limiter: RateLimiter
    auth_user: Limit
    default_user: Limit


async def authenticated(guard: GuardDeps, token: str, path: str) -> Principal:
    """The principal behind `token`, after the suspension and per-user rate-limit checks."""
    if len(token) > 512 or not token.isascii() or not token.isprintable():
        raise _invalid()
    async with guard.db.reading() as conn:
        who = await authenticate(conn, token, guard.idle_timeout)
    if who is None:
        raise _invalid()
    if who.suspended:
        raise ApiError(403, "ACCOUNT_SUSPENDED", "This account is suspended.")
    await check_user(guard.limiter, who.user_id, path, guard.auth_user, guard.default_user)
    return who


def _invalid() -> ApiError:
    return ApiError(
        401,
        "INVALID_TOKEN",
        "The token is unknown, expired or ended.",
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )
