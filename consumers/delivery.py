"""Per-record delivery policy shared by every consumer: decode, bounded retries, dead-lettering.

A record ends in one of three ways: handled, skipped (an event type this consumer does not handle), or
dead-lettered to `<topic>.dlq` with the error and original coordinates in headers. Only a failure to
dead-letter escapes, so the subscriber's NACK_ON_ERROR policy redelivers the record instead of losing it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from consumers.metrics import CONSUMED, DEAD_LETTERED, FAILED, HANDLER_SECONDS
from events.codec import EventRegistry, Headers, UndecodableEvent, decode
from events.envelope import Event, utcnow
from events.topics import DLQ_SUFFIX
from observability.logs import correlation_id

log = logging.getLogger(__name__)
Handler = Callable[[Event], Awaitable[None]]


class PermanentError(Exception):
    """The input can never succeed, however often it is retried."""


class Record(Protocol):
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Headers


class DeadLetterSink(Protocol):
    async def send_raw(self, topic: str, key: bytes | None, value: bytes | None, headers: Headers) -> None: ...


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded exponential backoff."""

    max_retries: int = 3
    backoff_ms: int = 200
    cap_ms: int = 5000

    def delay(self, attempt: int) -> float:
        """Seconds to wait before retry number `attempt` (1-based)."""
        return float(min(self.backoff_ms * 2 ** (attempt - 1), self.cap_ms)) / 1000


@dataclass(frozen=True)
class Delivery:
    """What one consumer group does with each record."""

    consumer: str
    handlers: Mapping[type[Event], Handler]
    registry: EventRegistry
    dead_letters: DeadLetterSink
    retry: RetryPolicy

    async def process(self, record: Record) -> str:
        """Handle one record; returns "handled", "skipped" or "dead"."""
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
        for attempt in range(1, self.retry.max_retries + 2):
            started = time.perf_counter()
            try:
                await handler(event)
            except PermanentError as exc:
                return await self._dead_letter(record, exc, attempts=attempt)
            except Exception as exc:  # any handler failure is retried, then dead-lettered
                FAILED.labels(self.consumer, record.topic).inc()
                log.warning(
                    "handler failed", extra={"event_id": str(event.event_id), "attempt": attempt, "error": repr(exc)}
                )
                if attempt > self.retry.max_retries:
                    return await self._dead_letter(record, exc, attempts=attempt)
                await asyncio.sleep(self.retry.delay(attempt))
            else:
                HANDLER_SECONDS.labels(self.consumer, event.type).observe(time.perf_counter() - started)
                CONSUMED.labels(self.consumer, record.topic, "handled").inc()
                return "handled"
        raise AssertionError("unreachable")

    async def _dead_letter(self, record: Record, exc: BaseException, attempts: int) -> str:
        headers = [h for h in record.headers if not h[0].startswith("dlq.")] + dlq_headers(
            record, self.consumer, exc, attempts
        )
        target = record.topic if record.topic.endswith(DLQ_SUFFIX) else record.topic + DLQ_SUFFIX
        await self.dead_letters.send_raw(target, record.key, record.value, headers)
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
