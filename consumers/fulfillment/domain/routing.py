"""Choosing the dropship partner: the primary first, the next one when a partner cannot take the order.

A partner that answered 5xx, timed out, could not be reached, has an open circuit or cannot supply the items
is passed over for the next. A partner that refused the request itself (a 4xx such as a reused idempotency key)
stops the routing: the request is wrong, and the next partner would not make it right. After a timeout, the
slow partner may still have created the order: once another partner accepts, the slow one is named in
`strays` so the caller cancels what it may hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Attempt(StrEnum):
    """How one partner answered a request to take an order."""

    ACCEPTED = "accepted"
    SERVER_ERROR = "server_error"
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"
    CIRCUIT_OPEN = "circuit_open"
    OUT_OF_STOCK = "out_of_stock"
    REJECTED = "rejected"


NEXT_PARTNER = frozenset(
    {Attempt.SERVER_ERROR, Attempt.TIMEOUT, Attempt.UNREACHABLE, Attempt.CIRCUIT_OPEN, Attempt.OUT_OF_STOCK}
)
# Outcomes after which the partner may hold the order although we never saw it accept.
UNCERTAIN = frozenset({Attempt.TIMEOUT, Attempt.SERVER_ERROR})
# Outcomes that say nothing about the partner's health (the circuit ignores them).
HEALTHY = frozenset({Attempt.ACCEPTED, Attempt.OUT_OF_STOCK, Attempt.REJECTED, Attempt.CIRCUIT_OPEN})
# Outcomes worth retrying the whole routing for later: everyone was down, nobody said no for good.
TRANSIENT = frozenset({Attempt.SERVER_ERROR, Attempt.TIMEOUT, Attempt.UNREACHABLE, Attempt.CIRCUIT_OPEN})


@dataclass(frozen=True)
class Tried:
    """One attempt: which partner, and how it went."""

    partner: str
    outcome: Attempt


@dataclass(frozen=True)
class Route:
    """Where routing stands: the next partner to call, or the end (accepted by `accepted`, or failed)."""

    next_partner: str | None
    accepted: str | None = None
    failed_reason: str | None = None
    transient: bool = False


def route(partners: Sequence[str], tried: Sequence[Tried]) -> Route:
    """The next step given the partners in preference order and the attempts so far."""
    for attempt in tried:
        if attempt.outcome is Attempt.ACCEPTED:
            return Route(None, accepted=attempt.partner)
        if attempt.outcome is Attempt.REJECTED:
            return Route(None, failed_reason=f"rejected_by_{attempt.partner}")
    done = {t.partner for t in tried}
    for partner in partners:
        if partner not in done:
            return Route(partner)
    if not tried:
        return Route(None, failed_reason="no_partners")
    transient = all(t.outcome in TRANSIENT for t in tried)
    reason = "all_partners_unavailable" if transient else "no_partner_can_supply"
    return Route(None, failed_reason=reason, transient=transient)


def strays(tried: Sequence[Tried]) -> tuple[str, ...]:
    """Partners that may hold an order they never confirmed, when another one accepted it."""
    accepted = [t.partner for t in tried if t.outcome is Attempt.ACCEPTED]
    if not accepted:
        return ()
    return tuple(t.partner for t in tried if t.outcome in UNCERTAIN and t.partner not in accepted)


def classify_status(status_code: int, error_code: str | None) -> Attempt:
    """The attempt outcome of an HTTP answer from a partner's order creation."""
    if status_code in (200, 201):
        return Attempt.ACCEPTED
    if status_code == 409 and error_code == "out_of_stock":
        return Attempt.OUT_OF_STOCK
    if status_code >= 500 or status_code == 429:
        return Attempt.SERVER_ERROR
    return Attempt.REJECTED
