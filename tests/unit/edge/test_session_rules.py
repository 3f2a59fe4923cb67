"""Session rules: expiries never pass the absolute end, liveness, and what a token or refresh token yields."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from api_edge.users.session_rules import (
    SessionPolicy,
    SessionState,
    access_verdict,
    effective_role,
    expiries,
    new_token,
    refresh_verdict,
    token_hash,
)

NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)
IDLE = timedelta(hours=1)
POLICY = SessionPolicy(timedelta(minutes=15), timedelta(days=30), IDLE, timedelta(days=2), 3)
LIVE = SessionState(
    is_active=True,
    ended_reason=None,
    expires_at=NOW + timedelta(minutes=10),
    refresh_expires_at=NOW + timedelta(days=1),
    absolute_expires_at=NOW + timedelta(days=1),
    last_accessed_at=NOW - timedelta(minutes=5),
    user_active=True,
    suspended=False,
)


def test_expiries_are_capped_by_the_absolute_end() -> None:
    ends = expiries(POLICY, NOW, NOW + timedelta(minutes=5))
    assert ends.expires_at == ends.refresh_expires_at == NOW + timedelta(minutes=5)
    assert expiries(replace(POLICY, refresh_ttl=None), NOW, NOW + timedelta(days=2)).refresh_expires_at is None


def test_access_verdicts() -> None:
    assert access_verdict(LIVE, NOW, IDLE) == "live"
    assert access_verdict(replace(LIVE, expires_at=NOW), NOW, IDLE) == "invalid"
    assert access_verdict(replace(LIVE, last_accessed_at=NOW - IDLE), NOW, IDLE) == "invalid"
    assert access_verdict(replace(LIVE, absolute_expires_at=NOW), NOW, IDLE) == "invalid"
    assert access_verdict(replace(LIVE, user_active=False), NOW, IDLE) == "invalid"
    ended = replace(LIVE, is_active=False, suspended=True, ended_reason="suspended")
    assert access_verdict(ended, NOW, IDLE) == "suspended"
    assert access_verdict(replace(ended, ended_reason="logout"), NOW, IDLE) == "invalid"


def test_refresh_verdicts() -> None:
    assert refresh_verdict(LIVE, NOW, IDLE) == "rotate"
    assert refresh_verdict(None, NOW, IDLE) == "unknown"
    assert refresh_verdict(replace(LIVE, suspended=True), NOW, IDLE) == "suspended"
    assert refresh_verdict(replace(LIVE, refresh_expires_at=NOW - timedelta(seconds=1)), NOW, IDLE) == "unknown"


def test_tokens_and_roles() -> None:
    token = new_token()
    assert len(token) >= 43 and token != new_token()
    assert token_hash(token) == token_hash(token) != token and len(token_hash(token)) == 64
    assert effective_role("user", "premium") == "premium"
    assert effective_role("admin", "premium") == "admin" and effective_role("user", "free") == "user"
