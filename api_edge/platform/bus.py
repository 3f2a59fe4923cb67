"""The broker as the edge uses it: connected in the background, every publish bounded in time.

A publish refused outright raises `Unavailable` (the record was not sent). One the broker has not
acknowledged within the bound raises `Unavailable` with `unacknowledged_event_id` while the record may still
be in flight (an idempotent producer retries it until the broker answers). Such a record is not lost track
of: a watcher learns its fate and runs the caller's `on_late` (on acknowledgement) or `on_lost` (on final
failure), so the caller can project or clean up; with an Idempotency-Key the retry is the same event.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from api_edge.errors import Unavailable
from events.codec import encode
from events.envelope import Event
from events.topics import Topic
from observability.logs import EVENTS_PUBLISHED, PUBLISH_FAILURES
from producers.publisher import EventPublisher

log = logging.getLogger(__name__)
Callback = Callable[[], Awaitable[None]]


def edge_producer(servers: str, timeout: float) -> AIOKafkaProducer:
    """An idempotent, all-acks producer whose metadata waits and unsent batches give up within `timeout`."""
    return AIOKafkaProducer(
        bootstrap_servers=servers,
        client_id="shine-edge",
        acks="all",
        enable_idempotence=True,
        linger_ms=0,
        request_timeout_ms=max(1000, int(timeout * 1000)),
        retry_backoff_ms=100,
    )


class Bus:
    """The edge's producer: started (and restarted) in the background; publishes refused fast while down."""

    def __init__(self, servers: str, prefix: str, timeout: float, retry_after: int) -> None:
        self.servers, self.prefix, self.timeout, self.retry_after = servers, prefix, timeout, retry_after
        self._producer: AIOKafkaProducer | None = None
        self._connected = asyncio.Event()
        self._watchers: set[asyncio.Task[None]] = set()

    @property
    def publisher(self) -> EventPublisher | None:
        """The plain publisher over the live producer (the outbox relay uses it), None until connected."""
        return EventPublisher(self._producer, self.prefix) if self._producer is not None else None

    async def connect_forever(self, every: float = 2.0) -> None:
        """Start the producer, retrying until the broker answers (the edge serves 503s meanwhile)."""
        while self._producer is None:
            producer = edge_producer(self.servers, self.timeout)
            try:
                await asyncio.wait_for(producer.start(), timeout=self.timeout * 2)
            except (KafkaError, OSError, TimeoutError) as exc:
                log.warning("broker not reachable yet", extra={"error": repr(exc)})
                with contextlib.suppress(Exception):
                    await producer.stop()
                await asyncio.sleep(every)
                continue
            self._producer = producer
            self._connected.set()

    async def wait_connected(self) -> EventPublisher:
        """The publisher once the producer is up."""
        await self._connected.wait()
        publisher = self.publisher
        assert publisher is not None
        return publisher

    def ensure_connected(self) -> None:
        """Raise Unavailable at once while the producer is not up."""
        if self._producer is None:
            raise self._unavailable()

    async def probe(self, topic: str) -> str | None:
        """None when fresh broker metadata includes `topic`, else what is wrong (for /ready)."""
        if self._producer is None:
            return "unreachable: not connected"
        try:
            metadata = await asyncio.wait_for(self._producer.client.fetch_all_metadata(), timeout=self.timeout)
        except Exception as exc:  # reported by /ready, not raised
            return f"unreachable: {type(exc).__name__}"
        return None if topic in metadata.topics() else f"topic {topic} missing"

    async def publish(self, topic: Topic, event: Event, *, on_late: Callback, on_lost: Callback) -> None:
        """Publish and await the ack within the bound; raise Unavailable otherwise (see the module doc)."""
        self.ensure_connected()
        producer = self._producer
        assert producer is not None
        key, value, headers = encode(event)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        try:
            # Cancelling `send` itself withdraws the record; only the returned future outlives a timeout.
            ack = await asyncio.wait_for(
                producer.send(topic.resolve(self.prefix), value, key=key, headers=headers), self.timeout
            )
        except (KafkaError, TimeoutError) as exc:
            PUBLISH_FAILURES.labels(topic.name).inc()
            raise self._unavailable() from exc
        try:
            await asyncio.wait_for(asyncio.shield(ack), max(0.0, deadline - loop.time()))
        except TimeoutError:
            PUBLISH_FAILURES.labels(topic.name).inc()
            self._watch(ack, event, on_late, on_lost)
            raise self._unavailable(pending=str(event.event_id)) from None
        except KafkaError as exc:
            PUBLISH_FAILURES.labels(topic.name).inc()
            raise self._unavailable() from exc
        EVENTS_PUBLISHED.labels(topic.name, event.type).inc()

    def _watch(self, ack: asyncio.Future[object], event: Event, on_late: Callback, on_lost: Callback) -> None:
        async def settle() -> None:
            eid = str(event.event_id)
            try:
                await ack
            except Exception:
                log.warning("unacknowledged record failed for good", extra={"event_id": eid})
                follow_up = on_lost
            else:
                log.warning("record acknowledged after the client was answered 503", extra={"event_id": eid})
                follow_up = on_late
            try:
                await follow_up()
            except Exception:  # e.g. the database is down too: the projector still applies an acked event
                log.exception("follow-up of a late publish failed", extra={"event_id": eid})

        task = asyncio.create_task(settle())
        self._watchers.add(task)
        task.add_done_callback(self._watchers.discard)

    def _unavailable(self, pending: str | None = None) -> Unavailable:
        details = {"unacknowledged_event_id": pending} if pending else {}
        message = "The event bus is unavailable; nothing was accepted."
        if pending:
            message = "The event bus did not confirm in time; retry with the same Idempotency-Key."
        return Unavailable("kafka", "EVENT_BUS_UNAVAILABLE", message, self.retry_after, details)

    async def close(self) -> None:
        """Stop watching and stop the producer."""
        for task in list(self._watchers):
            task.cancel()
        await asyncio.gather(*self._watchers, return_exceptions=True)
        if self._producer is not None:
            await self._producer.stop()
