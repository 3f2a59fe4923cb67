"""Progress of one discovery: stages with their share of the work, and an estimate of the time left."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

# Stage -> (percentage at its start, percentage at its end); the bands never overlap, so progress only grows.
BANDS: dict[str, tuple[int, int]] = {
    "generating_queries": (0, 5),
    "searching": (5, 40),
    "scraping": (40, 90),
    "processing": (90, 99),
    "completed": (100, 100),
}


@dataclass(frozen=True)
class Progress:
    """One update: the stage, how far along (0–100), results so far and seconds probably left."""

    stage: str
    percentage: int
    results_found: int
    estimated_remaining_seconds: int


ProgressCallback = Callable[[Progress], Awaitable[None]]


def percentage(stage: str, done: int, total: int) -> int:
    """The overall percentage after done of total steps of stage."""
    start, end = BANDS[stage]
    fraction = 1.0 if total <= 0 else min(1.0, done / total)
    return start + math.floor((end - start) * fraction)


def remaining_seconds(elapsed: float, percent: int, initial_estimate: float) -> int:
    """Seconds left, extrapolated from the elapsed time once there is progress to go by."""
    if percent >= 100:
        return 0
    if percent < 10 or elapsed <= 0:
        return math.ceil(max(0.0, initial_estimate - elapsed))
    return math.ceil(elapsed * (100 - percent) / percent)
