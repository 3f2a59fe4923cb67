"""Reads topics from the beginning (or a time) up to the end offsets seen at start, without a consumer group."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition


@dataclass
class Snapshot:
    """How many records lie between the start positions and the end offsets, for progress reporting."""

    total: int = 0


async def read_topics(
    bootstrap: str, topics: list[str], *, since: datetime | None = None, snapshot: Snapshot | None = None
) -> AsyncIterator[ConsumerRecord[bytes, bytes]]:
    """Every record up to the end offsets at the time of the call, partition order preserved."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        group_id=None,
        auto_offset_reset="earliest",
        fetch_max_bytes=16 * 1024 * 1024,
    )
    await consumer.start()
    try:
        parts = [tp for t in topics for tp in await partitions_of(consumer, t)]
        if not parts:
            return
        consumer.assign(parts)
        starts = await _starts(consumer, parts, since)
        ends = await consumer.end_offsets(parts)
        pending = {tp for tp in parts if starts[tp] < ends[tp]}
        if snapshot is not None:
            snapshot.total = sum(ends[tp] - starts[tp] for tp in pending)
        for tp in parts:
            consumer.seek(tp, starts[tp])
        while pending:
            batch = await consumer.getmany(*pending, timeout_ms=1000)
            for tp, records in batch.items():
                for record in records:
                    if record.offset < ends[tp]:
                        yield record
                if await consumer.position(tp) >= ends[tp]:
                    pending.discard(tp)
    finally:
        await stop_consumer(consumer)


async def partitions_of(consumer: AIOKafkaConsumer, topic: str) -> list[TopicPartition]:
    """The topic's partitions from fresh metadata (a just-created topic is not in the consumer's cache yet)."""
    metadata = await consumer._client.fetch_all_metadata()  # no public API returns fresh partition metadata
    return [TopicPartition(topic, p) for p in sorted(metadata.partitions_for_topic(topic) or ())]


async def stop_consumer(consumer: AIOKafkaConsumer) -> None:
    """Stop a consumer; aiokafka 0.14 can leak a CancelledError from a group-less consumer's internal task."""
    try:
        await consumer.stop()
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise


async def _starts(
    consumer: AIOKafkaConsumer, parts: list[TopicPartition], since: datetime | None
) -> dict[TopicPartition, int]:
    firsts = await consumer.beginning_offsets(parts)
    if since is None:
        return dict(firsts)
    found = await consumer.offsets_for_times({tp: int(since.timestamp() * 1000) for tp in parts})
    ends = await consumer.end_offsets(parts)
    return {tp: (found[tp].offset if found.get(tp) else ends[tp]) for tp in parts}
