"""Consumer lag and progress: a gauge per partition and a heartbeat row per instance."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from datetime import datetime

from aiokafka import AIOKafkaConsumer
from sqlalchemy.ext.asyncio import AsyncEngine

from consumers.runtime.delivery import OutageState
from consumers.runtime.metrics import LAG
from events.envelope import utcnow
from storage.platform.heartbeats import Beat, beat

log = logging.getLogger(__name__)


class Progress:
    """Tracks when this instance last handled a record."""

    def __init__(self) -> None:
        self.last: datetime = utcnow()

    def advanced(self) -> None:
        """A record was handled."""
        self.last = utcnow()


async def lag_of(consumer: AIOKafkaConsumer | None, group: str) -> int:
    """Total records behind the end of the assigned partitions, also exported per partition."""
    total = 0
    for tp in consumer.assignment() if consumer else ():
        end = consumer.highwater(tp) if consumer else None
        if end is None:
            continue
        behind = max(end - await consumer.position(tp), 0)  # type: ignore[union-attr]
        LAG.labels(group, tp.topic, str(tp.partition)).set(behind)
        total += behind
    return total


async def heartbeat_forever(
    engine: AsyncEngine,
    group: str,
    consumer_of: ConsumerRef,
    progress: Progress,
    outage: OutageState,
    interval: float,
    metrics_port: int | None,
) -> None:
    """Every `interval` seconds record liveness, lag and progress (an idle instance counts as progressing)."""
    instance = f"{socket.gethostname()}:{os.getpid()}"
    while True:
        try:
            lag = await lag_of(consumer_of(), group)
            now = utcnow()
            progressed = now if lag == 0 else progress.last
            async with engine.begin() as conn:
                await beat(conn, Beat(group, instance, now, progressed, lag, metrics_port, outage.waiting_on))
        except Exception as exc:  # a missed beat must not kill the consumer
            log.warning("heartbeat failed", extra={"error": repr(exc)})
        await asyncio.sleep(interval)


class ConsumerRef:
    """Late-bound access to the subscriber's aiokafka consumer (it exists only once started)."""

    def __init__(self, subscriber: object) -> None:
        self._subscriber = subscriber

    def __call__(self) -> AIOKafkaConsumer | None:
        consumer = getattr(self._subscriber, "consumer", None)
        return consumer if isinstance(consumer, AIOKafkaConsumer) else None
