"""Composition root of a consumer process: reads settings, opens the shared connections, runs one group."""

from __future__ import annotations

import logging

from faststream.kafka import KafkaBroker

from consumers.registry import group, metrics_port
from consumers.runtime.delivery import RetryPolicy
from consumers.runtime.group import GroupContext
from consumers.runtime.host import HostConfig, run_group
from observability.logs import configure_logging
from producers.publisher import EventPublisher, build_producer
from shine.settings import Settings
from storage.engine import create_engine


async def serve(settings: Settings, name: str) -> None:
    """Run the named consumer group until SIGINT/SIGTERM."""
    declared = group(name)
    configure_logging(settings.log_level, f"consumer.{name}", settings.log_repeat_interval_seconds)
    heartbeats = create_engine(settings.db_url, pool_size=1)  # liveness only; the group opens its own
    producer = build_producer(settings.kafka_servers, f"shine-{name}")
    await producer.start()
    broker = KafkaBroker(
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
        await run_group(broker, declared, context, heartbeats, config)
    finally:
        await producer.stop()
        await heartbeats.dispose()
