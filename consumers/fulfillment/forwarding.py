"""Forward a paid order: partners in preference order, each behind its own circuit breaker (domain/routing.py)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from consumers.fulfillment.domain import circuit as breaker
from consumers.fulfillment.domain.facts import Line
from consumers.fulfillment.domain.routing import HEALTHY, Attempt, Route, Tried, route, strays
from consumers.fulfillment.partners import PartnerClient, PartnerReply


@dataclass(frozen=True)
class Forwarding:
    """How forwarding ended: the route's end, every reply in order, and partners to clean up."""

    result: Route
    replies: tuple[PartnerReply, ...]
    strays: tuple[str, ...] = ()

    @property
    def accepted(self) -> PartnerReply | None:
        """The reply of the partner that took the order, if one did."""
        return next((r for r in self.replies if r.outcome is Attempt.ACCEPTED), None)


@dataclass
class Forwarder:
    """Partners in preference order with their circuits; one per consumer process."""

    partners: Sequence[PartnerClient]
    config: breaker.CircuitConfig = field(default_factory=breaker.CircuitConfig)
    clock: Callable[[], float] = time.monotonic
    circuits: dict[str, breaker.Circuit] = field(default_factory=dict)

    async def _attempt(self, client: PartnerClient, reference: str, lines: Sequence[Line], key: str) -> PartnerReply:
        circuit = self.circuits.get(client.name, breaker.Circuit())
        allowed, circuit = breaker.allow(circuit, self.clock(), self.config)
        self.circuits[client.name] = circuit
        if not allowed:
            return PartnerReply(client.name, Attempt.CIRCUIT_OPEN, detail=f"circuit {circuit.state}")
        reply = await client.create_order(reference, lines, key)
        if reply.outcome in HEALTHY:
            self.circuits[client.name] = breaker.succeeded(circuit)
        else:
            self.circuits[client.name] = breaker.failed(circuit, self.clock(), self.config)
        return reply

    async def forward(self, reference: str, lines: Sequence[Line], idempotency_key: str) -> Forwarding:
        """Try partners until one accepts or routing ends; the same key goes to each of them."""
        by_name = {p.name: p for p in self.partners}
        replies: list[PartnerReply] = []
        while True:
            tried = [Tried(r.partner, r.outcome) for r in replies]
            step = route([p.name for p in self.partners], tried)
            if step.next_partner is None:
                return Forwarding(step, tuple(replies), strays(tried))
            replies.append(await self._attempt(by_name[step.next_partner], reference, lines, idempotency_key))

    def states(self) -> dict[str, str]:
        """Each partner's circuit state, for metrics and readiness."""
        return {p.name: self.circuits.get(p.name, breaker.Circuit()).state for p in self.partners}
