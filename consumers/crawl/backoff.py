"""Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter")."""

from __future__ import annotations

import random
from collections.abc import Callable


def backoff_delay(attempt: int, base: float, cap: float, rand: Callable[[], float] = random.random) -> float:
    """Seconds to wait before retry number attempt (0-based): uniform in [0, min(cap, base·2^attempt)].

    Full jitter spreads retries of many callers so they do not hit a recovering server in lockstep.
    """
    ceiling: float = min(cap, base * 2.0 ** max(0, attempt))
    return ceiling * rand()
