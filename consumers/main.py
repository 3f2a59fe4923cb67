"""Composition root of a consumer process: reads settings, opens connections, runs one group."""

from __future__ import annotations

import logging

from faststream.kafka import KafkaBroker

from consumers.catalog import CONSUMERS
from consumers.delivery import RetryPolicy
from consumers.host import HostConfig, Resources, build_app
from observability.logs import configure_logging
from producers.publisher import EventPublisher, build_producer
from shine.settings import Settings
from storage.blobs import BlobStore
from storage.engine import create_engine


async def serve(settings: Settings, name: str) -> None:
    """Run the named consumer group until SIGINT/SIGTERM."""
    spec = CONSUMERS[name]
    configure_logging(settings.log_level, f"consumer.{name}")
    engine = create_engine(settings.db_url)
    producer = build_producer(settings.kafka_servers, f"shine-{name}")
    await producer.start()
    broker = KafkaBroker(
        settings.kafka_servers,
        client_id=f"shine-{name}",
        logger=logging.getLogger("shine.faststream"),
        log_level=logging.DEBUG,
    )
    resources = Resources(engine, EventPublisher(producer, settings.topic_prefix), BlobStore(settings.blobs_path))
    config = HostConfig(
        bootstrap=settings.kafka_servers,
        prefix=settings.topic_prefix,
        retry=RetryPolicy(settings.consumer_max_retries, settings.consumer_retry_backoff_ms),
        heartbeat_interval=settings.heartbeat_interval_seconds,
        metrics_port=settings.metrics_port_base + spec.port_offset if settings.metrics_port_base else None,
    )
    try:
        await build_app(broker, spec, resources, config).run()
    finally:
        await producer.stop()
        await engine.dispose()
