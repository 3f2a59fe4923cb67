"""A per-partner circuit breaker as pure values: closed → open after N failures in a row → one probe → closed.

While open, calls are not made at all (the order goes to the fallback at once instead of waiting for a timeout);
after `reset_after` seconds one call is let through as a probe, and its outcome closes or reopens the circuit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class CircuitConfig:
    """Failures in a row that open a circuit, and how long it stays open before a probe."""

    failure_threshold: int = 5
    reset_after_seconds: float = 30.0

    def __post_init__(self) -> None:
        if self.failure_threshold < 1 or self.reset_after_seconds <= 0:
            raise ValueError("a circuit needs a threshold >= 1 and a positive reset time")


@dataclass(frozen=True)
class Circuit:
    """One partner's breaker: consecutive failures, when it opened, whether a probe is out."""

    failures: int = 0
    opened_at: float | None = None
    probing: bool = False

    @property
    def state(self) -> str:
        """closed | open | half_open (for metrics and readiness)."""
        if self.opened_at is None:
            return "closed"
        return "half_open" if self.probing else "open"


def allow(circuit: Circuit, now: float, config: CircuitConfig) -> tuple[bool, Circuit]:
    """Whether a call may go out now, and the circuit after deciding (a probe is marked as out)."""
    if circuit.opened_at is None:
        return True, circuit
    if circuit.probing or now - circuit.opened_at < config.reset_after_seconds:
        return False, circuit
    return True, replace(circuit, probing=True)


def succeeded(circuit: Circuit) -> Circuit:
    """After a call that worked: closed, count reset."""
    return Circuit()


def failed(circuit: Circuit, now: float, config: CircuitConfig) -> Circuit:
    """After a call that failed: a failed probe reopens at once; otherwise open once the threshold is reached."""
    failures = circuit.failures + 1
    if circuit.probing or failures >= config.failure_threshold:
        return Circuit(failures=failures, opened_at=now, probing=False)
    return replace(circuit, failures=failures)
