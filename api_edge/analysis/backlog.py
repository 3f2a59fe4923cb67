"""Back-pressure rules, free of I/O: the wait a new upload faces and whether to take it at all."""

from __future__ import annotations

import math

from storage.analysis.backlog import Backlog

DEFAULT_SERVICE_SECONDS = 3.0  # before any analysis has completed
MAX_ESTIMATE_SECONDS = 24 * 3600


def service_time(b: Backlog) -> float:
    """The measured time one analysis takes, or the default before there is a measurement."""
    return b.service_seconds if b.service_seconds and b.service_seconds > 0 else DEFAULT_SERVICE_SECONDS


def estimate_seconds(b: Backlog) -> int:
    """Seconds until a new upload's result: the queue ahead drained at the measured rate, plus its own analysis.

    The rate is the recent throughput (which accounts for however many consumers run); without recent
    outcomes, the queue is assumed to be worked one at a time at the measured service time.
    """
    own = service_time(b)
    per_item = b.window_seconds / b.finished_recently if b.finished_recently > 0 else own
    ahead = b.waiting * per_item
    return max(1, min(MAX_ESTIMATE_SECONDS, math.ceil(ahead + own)))


def limit_for(role: str, max_backlog: int, premium_share: float) -> int | None:
    """How many waiting uploads this caller's upload may join (None: no limit); premium users get a larger share."""
    if max_backlog <= 0:
        return None
    return math.floor(max_backlog * premium_share) if role in ("premium", "admin") else max_backlog


def overloaded(b: Backlog, role: str, max_backlog: int, premium_share: float) -> bool:
    """Whether to refuse a new upload from this caller (503 OVERLOADED)."""
    limit = limit_for(role, max_backlog, premium_share)
    return limit is not None and b.waiting >= limit


def retry_after(b: Backlog, limit: int | None, floor: int) -> int:
    """How long to wait before retrying a refused upload: time for the excess over the limit to drain."""
    if limit is None or b.waiting < limit:
        return floor
    excess = b.waiting - limit + 1
    rate = b.finished_recently / b.window_seconds if b.finished_recently else 1 / service_time(b)
    return max(floor, min(300, math.ceil(excess / rate)))
