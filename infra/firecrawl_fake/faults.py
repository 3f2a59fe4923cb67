"""Failures on demand: tests ask the fake to be slow or to fail the next requests of an endpoint."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Fault:
    """Fail or delay the next `times` requests (-1: until cleared) with `status` after `delay` seconds."""

    status: int | None = None
    delay: float = 0.0
    times: int = -1


@dataclass
class FaultBoard:
    """Faults by endpoint name ("search", "scrape") and how many requests each endpoint has seen."""

    faults: dict[str, Fault] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)

    def take(self, endpoint: str) -> Fault | None:
        """Count a request to endpoint and return the fault to apply to it, if any."""
        self.requests[endpoint] = self.requests.get(endpoint, 0) + 1
        fault = self.faults.get(endpoint)
        if fault is None or fault.times == 0:
            return None
        if fault.times > 0:
            fault.times -= 1
        return fault

    def set(self, endpoint: str, fault: Fault) -> None:
        self.faults[endpoint] = fault

    def clear(self) -> None:
        self.faults.clear()
