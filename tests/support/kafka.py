"""Kafka helpers for tests: fresh topic sets, publishing, in-process consumer groups, reading topics."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker

from analyst.topic_reader import read_topics
from consumers.runtime.delivery import Delivery, Handler, RetryPolicy
from consumers.runtime.progress import Progress
from consumers.runtime.subscription import subscribe
from events.envelope import Event
from events.registry import REGISTRY
from events.topics import Topic
from events.uploads import UploadAccepted, UploadAcceptedData
from infra.topics import ensure_topics
from producers.publisher import EventPublisher, build_producer


async def fresh_prefix(bootstrap: str, base: str) -> str:
    """A new prefix with every catalog topic (and DLQ) created under it."""
    prefix = f"{base}{uuid.uuid4().hex[:8]}."
    await ensure_topics(bootstrap, prefix)
    return prefix


@asynccontextmanager
async def publisher(bootstrap: str, prefix: str) -> AsyncIterator[EventPublisher]:
    """A started EventPublisher."""
    producer = build_producer(bootstrap, "tests")
    await producer.start()
    try:
        yield EventPublisher(producer, prefix)
    finally:
        await producer.stop()


QUICK_RETRY = RetryPolicy(max_retries=2, backoff_ms=10)


@asynccontextmanager
async def running_group(
    bootstrap: str,
    prefix: str,
    name: str,
    topics: tuple[Topic, ...],
    handlers: Mapping[type[Event], Handler],
    retry: RetryPolicy = QUICK_RETRY,
) -> AsyncIterator[None]:
    """A consumer group running in this process with the production delivery policy."""
    async with publisher(bootstrap, prefix) as dead_letters:
        broker = KafkaBroker(bootstrap)
        delivery = Delivery(name, handlers, REGISTRY, dead_letters, retry)
        subscribe(broker, delivery, [t.resolve(prefix) for t in topics], f"{prefix}{name}", Progress())
        await broker.start()
        try:
            yield
        finally:
            await broker.stop()


async def read_all(bootstrap: str, topic: str) -> list[ConsumerRecord[bytes, bytes]]:
    """Every record currently on a topic."""
    return [r async for r in read_topics(bootstrap, [topic])]


def upload_event(user_id: uuid.UUID | None = None, **data: Any) -> UploadAccepted:
    """An upload.accepted event with plausible data."""
    upload_id = data.pop("upload_id", uuid.uuid4())
    defaults: dict[str, Any] = {
        "blob_sha256": "0" * 64,
        "mime_type": "image/jpeg",
        "file_size": 1000,
        "width": 640,
        "height": 480,
    }
    payload = UploadAcceptedData(upload_id=upload_id, user_id=user_id or uuid.uuid4(), **{**defaults, **data})
    return UploadAccepted(source="tests", subject=str(upload_id), correlation_id=f"test-{upload_id}", data=payload)
