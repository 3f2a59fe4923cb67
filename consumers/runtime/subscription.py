"""Wires a Delivery onto a FastStream Kafka subscriber with an explicit, commit-after-processing ack policy."""

from __future__ import annotations

from typing import Any, cast

from aiokafka import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.kafka.subscriber.usecase import DefaultSubscriber

from consumers.runtime.delivery import Delivery
from consumers.runtime.group import Polling
from consumers.runtime.progress import Progress


async def _raw_body(msg: Any) -> bytes:
    # Decoding is ours (consumers.runtime.delivery), so a poison record reaches the DLQ path instead of
    # failing inside the framework before any handler runs.
    return bytes(msg.body)


def subscribe(
    broker: KafkaBroker,
    delivery: Delivery,
    topics: list[str],
    group_id: str,
    progress: Progress,
    polling: Polling | None = None,
) -> DefaultSubscriber:
    """Subscribe the consumer group to its topics.

    NACK_ON_ERROR: the offset is committed only after the handler returns; if it raises (an outage held too
    long, or dead-lettering failed) the consumer seeks back and the record is delivered again.
    """
    polling = polling or Polling()
    subscriber = broker.subscriber(
        *topics,
        group_id=group_id,
        ack_policy=AckPolicy.NACK_ON_ERROR,
        auto_offset_reset="earliest",
        decoder=_raw_body,
        max_poll_interval_ms=polling.max_poll_interval_ms,
        max_poll_records=polling.max_poll_records,
    )

    @subscriber
    async def consume(body: bytes, msg: KafkaMessage) -> None:
        await delivery.process(cast(ConsumerRecord, msg.raw_message))  # one record: not a batch subscriber
        progress.advanced()

    return subscriber
