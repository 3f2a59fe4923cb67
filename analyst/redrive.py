"""Re-publishes dead letters to the topic they came from, once each (tracked by a consumer group)."""

from __future__ import annotations

from collections.abc import Callable

from aiokafka import AIOKafkaConsumer

from analyst.topic_reader import partitions_of
from events.topics import Topic
from producers.publisher import EventPublisher


async def redrive(
    bootstrap: str,
    topic: Topic,
    publisher: EventPublisher,
    progress: Callable[[int], None],
) -> int:
    """Move every not-yet-redriven record of `topic`'s DLQ back onto `topic`; returns how many."""
    source, target = topic.dlq(publisher.prefix), topic.resolve(publisher.prefix)
    # Manual assignment (no rebalancing); the group only stores how far redrive has got.
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=f"{publisher.prefix}shine-dlq-redrive",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    moved = 0
    try:
        parts = await partitions_of(consumer, source)
        consumer.assign(parts)
        for tp in parts:
            committed = await consumer.committed(tp)
            if committed is None:
                await consumer.seek_to_beginning(tp)
            else:
                consumer.seek(tp, committed)
        ends = await consumer.end_offsets(parts)
        while [tp for tp in parts if await consumer.position(tp) < ends[tp]]:
            batch = await consumer.getmany(timeout_ms=1000)
            for records in batch.values():
                for r in records:
                    headers = [h for h in r.headers if not h[0].startswith("dlq.")]
                    await publisher.send_raw(
                        target, r.key, r.value, [*headers, ("redriven.from", f"{r.partition}:{r.offset}".encode())]
                    )
                    moved += 1
                    progress(moved)
            await consumer.commit()  # only after the batch is on the original topic
    finally:
        await consumer.stop()
    return moved
