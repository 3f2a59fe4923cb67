"""Pure parts of the delivery policy and readiness rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from consumers.runtime.delivery import RetryPolicy
from storage.platform.heartbeats import Beat, problems

NOW = datetime(2026, 1, 1, tzinfo=UTC)
STALE = timedelta(seconds=15)


def test_backoff_doubles_and_is_capped() -> None:
    policy = RetryPolicy(max_retries=5, backoff_ms=100, cap_ms=500)
    assert [policy.delay(n) for n in range(1, 6)] == [0.1, 0.2, 0.4, 0.5, 0.5]


def _beat(consumer: str, lag: int, progress_age: float) -> Beat:
    return Beat(consumer, "h:1", NOW, NOW - timedelta(seconds=progress_age), lag, None)


def test_ready_when_every_group_has_a_live_progressing_instance() -> None:
    beats = [_beat("analysis", 0, 100), _beat("projector", 5, 1)]
    assert problems(beats, ("analysis", "projector"), NOW, STALE) == []


def test_missing_group_and_stuck_group_are_reported() -> None:
    beats = [_beat("projector", 7, 60)]
    found = problems(beats, ("analysis", "projector"), NOW, STALE)
    assert found[0] == "consumer analysis: no live instance"
    assert found[1].startswith("consumer projector: lag 7")
