"""Per-record delivery policy shared by every consumer: decode, hold through outages, bounded retries, DLQ.

A record ends in one of three ways: handled, skipped (an event type this consumer does not handle), or
dead-lettered to `<topic>.dlq` with the error and original coordinates in headers — but only when it can
never be handled (undecodable, invalid, a permanent or deterministic handler error after bounded retries).
An outage (consumers/runtime/failures.py) is retried with capped backoff for `outage_hold` seconds and then
raised, so the subscriber's NACK_ON_ERROR policy seeks back and the record is delivered again: the offset is
never committed past it, however long the outage lasts. A failure to dead-letter is raised the same way.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from consumers.runtime.failures import PermanentError, dependency_of
from consumers.runtime.metrics import CONSUMED, DEAD_LETTERED, FAILED, HANDLER_SECONDS, OUTAGE, OUTAGE_RETRIES
from events.codec import EventRegistry, Headers, UndecodableEvent, decode
from events.envelope import Event, utcnow
from events.topics import DLQ_SUFFIX
from observability.logs import correlation_id

log = logging.getLogger(__name__)
Handler = Callable[[Event], Awaitable[None]]

__all__ = ["Delivery", "Handler", "Outage", "PermanentError", "Record", "RetryPolicy"]


class Record(Protocol):
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Headers


class DeadLetterSink(Protocol):
    async def send_raw(self, topic: str, key: bytes | None, value: bytes | None, headers: Headers) -> None: ...


class Outage(Exception):
    """Raised to the subscriber so the record is redelivered once the dependency is back."""


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded exponential backoff for handler errors; capped backoff without bound for outages."""

    max_retries: int = 3
    backoff_ms: int = 200
    cap_ms: int = 5000
    outage_hold_seconds: float = 30.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait before retry number `attempt` (1-based)."""
        return float(min(self.backoff_ms * 2 ** (attempt - 1), self.cap_ms)) / 1000


@dataclass
class OutageState:
    """What this instance is waiting on, for readiness and metrics (None when nothing is)."""

    waiting_on: str | None = None
    since: float = field(default=0.0)


@dataclass(frozen=True)
class Delivery:
    """What one consumer group does with each record."""

    consumer: str
    handlers: Mapping[type[Event], Handler]
    registry: EventRegistry
    dead_letters: DeadLetterSink
    retry: RetryPolicy
    outage: OutageState = field(default_factory=OutageState)

    async def process(self, record: Record) -> str:
        """Handle one record; returns "handled", "skipped" or "dead" (raises Outage to be redelivered)."""
        try:
            event = decode(record.value, self.registry)
        except UndecodableEvent as exc:
            return await self._dead_letter(record, exc, attempts=0)
        handler = self.handlers.get(type(event)) if event is not None else None
        if event is None or handler is None:
            CONSUMED.labels(self.consumer, record.topic, "skipped").inc()
            return "skipped"
        token = correlation_id.set(event.correlation_id)
        try:
            return await self._attempt(record, event, handler)
        finally:
            correlation_id.reset(token)

    async def _attempt(self, record: Record, event: Event, handler: Handler) -> str:
        attempt, held_since = 0, None
        while True:
            started = time.perf_counter()
            try:
                await handler(event)
            except PermanentError as exc:
                return await self._dead_letter(record, exc, attempts=attempt + 1)
            except Exception as exc:  # classified: an outage is held, anything else retried then dead-lettered
                dependency = dependency_of(exc)
                if dependency is not None:
                    held_since = held_since or time.monotonic()
                    await self._hold(record, dependency, exc, held_since)
                    continue
                attempt += 1
                FAILED.labels(self.consumer, record.topic).inc()
                log.warning(
                    "handler failed", extra={"event_id": str(event.event_id), "attempt": attempt, "error": repr(exc)}
                )
                if attempt > self.retry.max_retries:
                    return await self._dead_letter(record, exc, attempts=attempt)
                await asyncio.sleep(self.retry.delay(attempt))
            else:
                self._recovered()
                HANDLER_SECONDS.labels(self.consumer, event.type).observe(time.perf_counter() - started)
                CONSUMED.labels(self.consumer, record.topic, "handled").inc()
                return "handled"

    async def _hold(self, record: Record, dependency: str, exc: BaseException, held_since: float) -> None:
        if self.outage.waiting_on is None:
            self.outage.since = time.monotonic()
            log.error("outage: holding the partition", extra={"dependency": dependency, "error": repr(exc)})
        self.outage.waiting_on = f"{dependency}: {type(exc).__name__}"
        OUTAGE.labels(self.consumer).set(1)
        OUTAGE_RETRIES.labels(self.consumer, dependency).inc()
        held = time.monotonic() - held_since
        if held >= self.retry.outage_hold_seconds:
            # Give the record back (uncommitted) so polling, group membership and rebalances go on.
            raise Outage(f"{dependency} unavailable for {held:.0f} s") from exc
        tries = int(held * 1000 / max(self.retry.backoff_ms, 1)) + 1
        await asyncio.sleep(self.retry.delay(min(tries, 30)))

    def _recovered(self) -> None:
        if self.outage.waiting_on is not None:
            log.warning(
                "outage over", extra={"was": self.outage.waiting_on, "seconds": time.monotonic() - self.outage.since}
            )
            self.outage.waiting_on = None
            OUTAGE.labels(self.consumer).set(0)

    async def _dead_letter(self, record: Record, exc: BaseException, attempts: int) -> str:
        headers = [h for h in record.headers if not h[0].startswith("dlq.")] + dlq_headers(
            record, self.consumer, exc, attempts
        )
        target = record.topic if record.topic.endswith(DLQ_SUFFIX) else record.topic + DLQ_SUFFIX
        try:
            await self.dead_letters.send_raw(target, record.key, record.value, headers)
        except Exception as send_exc:  # the broker is down: keep the record, it is redelivered later
            raise Outage(f"could not dead-letter: {send_exc!r}") from send_exc
        DEAD_LETTERED.labels(self.consumer, record.topic).inc()
        CONSUMED.labels(self.consumer, record.topic, "dead").inc()
        log.error(
            "dead-lettered",
            extra={"topic": record.topic, "partition": record.partition, "offset": record.offset, "error": repr(exc)},
        )
        return "dead"


def dlq_headers(record: Record, consumer: str, exc: BaseException, attempts: int) -> Headers:
    """The error and the original coordinates, so a dead letter can be understood and redriven."""
    values = {
        "dlq.error.class": type(exc).__name__,
        "dlq.error.message": str(exc)[:1000],
        "dlq.original.topic": record.topic,
        "dlq.original.partition": str(record.partition),
        "dlq.original.offset": str(record.offset),
        "dlq.consumer": consumer,
        "dlq.attempts": str(attempts),
        "dlq.failed_at": utcnow().isoformat(),
    }
    return [(k, v.encode()) for k, v in values.items()]
