"""Session rules, free of I/O: tokens, lifetimes, liveness, and who the caller is.

A session is one sign-in (the RFC 9700 "token family"): refreshing rotates its access and refresh tokens in
place and records the old refresh token's hash; presenting a recorded one again ends the whole session.
Tokens are opaque CSPRNG strings stored only as sha256.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta


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


@dataclass(frozen=True)
class Expiries:
    """When a session's access and refresh tokens stop working."""

    expires_at: datetime
    refresh_expires_at: datetime | None


@dataclass(frozen=True)
class SessionState:
    """What liveness depends on, as stored."""

    is_active: bool
    ended_reason: str | None
    expires_at: datetime | None
    refresh_expires_at: datetime | None
    absolute_expires_at: datetime | None
    last_accessed_at: datetime
    user_active: bool
    suspended: bool


def effective_role(role: str, subscription_tier: str) -> str:
    """The role access checks use: a paying user is premium whatever the role column says."""
    return "premium" if role == "user" and subscription_tier == "premium" else role


def new_token() -> str:
    """An opaque bearer token with 256 bits from the OS CSPRNG."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What is stored instead of the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def expiries(policy: SessionPolicy, now: datetime, absolute: datetime) -> Expiries:
    """Token expiries for tokens issued at `now`, never beyond the session's absolute end."""
    refresh = min(now + policy.refresh_ttl, absolute) if policy.refresh_ttl else None
    return Expiries(min(now + policy.access_ttl, absolute), refresh)


def idle_cutoff(now: datetime, idle: timedelta) -> datetime:
    """Sessions last used at or before this moment have idled out."""
    return now - idle


def alive(state: SessionState, expiry: datetime | None, now: datetime, idle: timedelta) -> bool:
    """Whether a token with this expiry still works: active, unexpired, within the absolute lifetime, not idle."""
    absolute = state.absolute_expires_at
    return bool(
        state.is_active
        and expiry is not None
        and expiry > now
        and (absolute is None or absolute > now)
        and state.last_accessed_at > idle_cutoff(now, idle)
    )


def access_verdict(state: SessionState, now: datetime, idle: timedelta) -> str:
    """ "live", "suspended" (answer 403, not 401: the suspension ended the session) or "invalid"."""
    if not state.user_active:
        return "invalid"
    if alive(state, state.expires_at, now, idle):
        return "live"
    if state.suspended and state.ended_reason == "suspended":
        return "suspended"
    return "invalid"


def refresh_verdict(state: SessionState | None, now: datetime, idle: timedelta) -> str:
    """ "rotate", "suspended", or "unknown" (then the token may be a reused one)."""
    if state is not None and state.suspended:
        return "suspended"
    if state is None or not state.user_active or not alive(state, state.refresh_expires_at, now, idle):
        return "unknown"
    return "rotate"
