"""Back-pressure rules: estimates from the measured backlog and throughput, limits, premium share."""

from __future__ import annotations

from api_edge.analysis.backlog import (
    DEFAULT_SERVICE_SECONDS,
    Backlog,
    estimate_seconds,
    limit_for,
    overloaded,
    retry_after,
)


def test_estimate_drains_the_queue_at_the_measured_rate() -> None:
    # 60 outcomes in 300 s: one every 5 s; 10 ahead → 50 s, plus its own 4 s analysis.
    assert estimate_seconds(Backlog(10, 4.0, 60, 300)) == 54
    assert estimate_seconds(Backlog(0, 4.0, 60, 300)) == 4
    assert estimate_seconds(Backlog(100, 4.0, 60, 300)) > estimate_seconds(Backlog(10, 4.0, 60, 300))


def test_without_recent_outcomes_the_queue_is_worked_one_at_a_time() -> None:
    assert estimate_seconds(Backlog(3, 2.5, 0, 300)) == 10
    assert estimate_seconds(Backlog(0, None, 0, 300)) == DEFAULT_SERVICE_SECONDS


def test_limits_and_premium_share() -> None:
    busy = Backlog(200, 3.0, 10, 300)
    assert overloaded(busy, "user", 200, 1.5)
    assert not overloaded(busy, "premium", 200, 1.5) and not overloaded(busy, "admin", 200, 1.5)
    assert overloaded(Backlog(300, 3.0, 10, 300), "premium", 200, 1.5)
    assert limit_for("user", 0, 1.5) is None and not overloaded(busy, "user", 0, 1.5)  # 0 disables


def test_retry_after_waits_for_the_excess_to_drain() -> None:
    assert retry_after(Backlog(10, 3.0, 30, 300), 20, 5) == 5  # under the limit: the floor
    assert retry_after(Backlog(29, 3.0, 30, 300), 20, 5) == 100  # 10 over at one per 10 s
    assert retry_after(Backlog(10_000, 3.0, 0, 300), 20, 5) == 300  # capped
