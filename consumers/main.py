"""Composition root of a consumer process: reads settings, opens the shared connections, runs one group."""

from __future__ import annotations

import asyncio
import logging

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from faststream.kafka import KafkaBroker

from consumers.registry import group, metrics_port
from consumers.runtime.delivery import RetryPolicy
from consumers.runtime.group import GroupContext
from consumers.runtime.host import HostConfig, run_group
from observability.logs import configure_logging
from producers.publisher import EventPublisher, build_producer
from shine.settings import Settings
from storage.engine import create_engine

log = logging.getLogger(__name__)


async def started_producer(bootstrap: str, client_id: str, cap_seconds: float = 10.0) -> AIOKafkaProducer:
    """A started producer; a broker that is down at start is waited for, not a reason to exit."""
    delay = 0.5
    while True:
        producer = build_producer(bootstrap, client_id)
        try:
            await producer.start()
        except KafkaError as exc:
            await producer.stop()
            log.warning("broker unavailable at start; waiting for it", extra={"error": repr(exc), "retry_in_s": delay})
            await asyncio.sleep(delay)
            delay = min(delay * 2, cap_seconds)
        else:
            return producer


async def serve(settings: Settings, name: str) -> None:
    """Run the named consumer group until SIGINT/SIGTERM."""
    declared = group(name)
    configure_logging(settings.log_level, f"consumer.{name}", settings.log_repeat_interval_seconds)
    heartbeats = create_engine(settings.db_url, pool_size=1)  # liveness only; the group opens its own
    producer = await started_producer(settings.kafka_servers, f"shine-{name}")

    def new_broker() -> KafkaBroker:
        return KafkaBroker(
            settings.kafka_servers,
            client_id=f"shine-{name}",
            logger=logging.getLogger("shine.faststream"),
            log_level=logging.DEBUG,
        )

    config = HostConfig(
        prefix=settings.topic_prefix,
        retry=RetryPolicy(
            settings.consumer_max_retries,
            settings.consumer_retry_backoff_ms,
            outage_hold_seconds=settings.consumer_outage_hold_seconds,
        ),
        heartbeat_interval=settings.heartbeat_interval_seconds,
        metrics_port=metrics_port(name, settings.metrics_port_base),
    )
    try:
        context = GroupContext(settings, EventPublisher(producer, settings.topic_prefix))
        await run_group(new_broker, declared, context, heartbeats, config)
    finally:
        await producer.stop()
        await heartbeats.dispose()
