"""The one publishing path: idempotent producer, acks from all in-sync replicas, key = event subject."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from events.codec import Headers, encode
from events.envelope import Event
from events.topics import Topic
from observability.logs import EVENTS_PUBLISHED, PUBLISH_FAILURES

log = logging.getLogger(__name__)


class PublishFailed(RuntimeError):
    """The broker did not acknowledge the record."""


def build_producer(bootstrap: str, client_id: str) -> AIOKafkaProducer:
    """A producer with the guarantees DESIGN §4 requires (aiokafka's defaults are weaker)."""
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=0,  # a route awaiting one publish must not linger; publish_many batches by queueing first
        request_timeout_ms=15000,
        compression_type=None,
    )


class EventPublisher:
    """Publishes events to catalog topics under a deployment prefix and awaits the broker's ack."""

    def __init__(self, producer: AIOKafkaProducer, prefix: str = "") -> None:
        self._producer = producer
        self.prefix = prefix

    async def publish(self, topic: Topic, event: Event) -> None:
        """Publish one event; raises PublishFailed when the broker does not acknowledge it."""
        key, value, headers = encode(event)
        await self.send_raw(topic.resolve(self.prefix), key, value, headers)
        EVENTS_PUBLISHED.labels(topic.name, event.type).inc()
        log.info("published", extra={"topic": topic.name, "type": event.type, "event_id": str(event.event_id)})

    async def publish_many(self, topic: Topic, events: Sequence[Event]) -> None:
        """Publish a batch: all sends are queued first, then every ack is awaited."""
        futures = []
        for event in events:
            key, value, headers = encode(event)
            futures.append(await self._producer.send(topic.resolve(self.prefix), value, key=key, headers=headers))
        for future in futures:
            await future
        for event in events:
            EVENTS_PUBLISHED.labels(topic.name, event.type).inc()

    async def send_raw(self, topic: str, key: bytes | None, value: bytes | None, headers: Headers) -> None:
        """Send an already-encoded record (dead letters, redrives)."""
        try:
            await self._producer.send_and_wait(topic, value, key=key, headers=headers)
        except KafkaError as exc:
            PUBLISH_FAILURES.labels(topic).inc()
            raise PublishFailed(f"{topic}: {exc}") from exc
