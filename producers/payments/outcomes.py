"""What a webhook bridge decided about one request; the edge route turns each into its answer."""

from __future__ import annotations

from dataclasses import dataclass

from events.envelope import Event
from producers.payments.verification import Rejection


@dataclass(frozen=True)
class Publish:
    """Publish `event` keyed by its subject and answer 2xx only after the broker's ack (its id is the dedupe key)."""

    event: Event
    external_id: str
    external_type: str


@dataclass(frozen=True)
class Rejected:
    """Answer 400 and publish nothing."""

    reason: Rejection
    message: str


@dataclass(frozen=True)
class Ignored:
    """A genuine event of a type we do not handle: answer 2xx (so the sender stops retrying) and count it."""

    external_id: str
    external_type: str


Outcome = Publish | Rejected | Ignored
