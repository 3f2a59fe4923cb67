"""A circuit breaker per server: after repeated failures stop calling it for a while, then try once."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

State = Literal["closed", "open", "half_open"]


@dataclass
class CircuitBreaker:
    """Closed → open after `failure_threshold` consecutive failures; open → half-open after `reset_after` seconds.

    Half-open lets exactly one trial call through: its success closes the breaker, its failure reopens it.
    """

    failure_threshold: int = 3
    reset_after: float = 15.0
    clock: Callable[[], float] = time.monotonic
    state: State = "closed"
    failures: int = 0
    opened_at: float = field(default=0.0)
    _trial_in_flight: bool = False

    def allows(self) -> bool:
        """Whether a call may go through now; in half-open state this claims the single trial."""
        if self.state == "closed":
            return True
        if self.state == "open":
            if self.clock() - self.opened_at < self.reset_after:
                return False
            self.state = "half_open"
            self._trial_in_flight = False
        if self._trial_in_flight:
            return False
        self._trial_in_flight = True
        return True

    def available(self) -> bool:
        """Whether allows() would let a call through, without claiming a half-open trial."""
        if self.state == "closed":
            return True
        if self.state == "open":
            return self.clock() - self.opened_at >= self.reset_after
        return not self._trial_in_flight

    def record_success(self) -> None:
        """A call succeeded: close the breaker."""
        self.state = "closed"
        self.failures = 0
        self._trial_in_flight = False

    def record_failure(self) -> None:
        """A call failed: count it, and open the breaker at the threshold or after a failed trial."""
        self.failures += 1
        self._trial_in_flight = False
        if self.state == "half_open" or self.failures >= self.failure_threshold:
            self.state = "open"
            self.opened_at = self.clock()

    def release(self) -> None:
        """A claimed call did not happen (or ended neither way): free the half-open trial."""
        self._trial_in_flight = False
