"""Composition root of the edge process: reads settings, opens connections, serves HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import uvicorn
from aiokafka import AIOKafkaProducer

from api_edge.app import create_app
from api_edge.deps import EdgeDeps, UploadLimits
from events.topics import UPLOADS
from producers.observability import configure_logging
from producers.publisher import EventPublisher, build_producer
from shine.settings import Settings
from storage.blobs import BlobStore
from storage.engine import create_engine


def kafka_probe(producer: AIOKafkaProducer, topic: str) -> Callable[[], Awaitable[str | None]]:
    """A readiness check: fresh metadata from the broker that includes the uploads topic."""

    async def check() -> str | None:
        try:
            metadata = await asyncio.wait_for(producer.client.fetch_all_metadata(), timeout=3)
        except Exception as exc:  # reported by /ready, not raised
            return f"unreachable: {type(exc).__name__}"
        return None if topic in metadata.topics() else f"topic {topic} missing"

    return check


async def serve(settings: Settings) -> None:
    """Run the edge until SIGINT/SIGTERM."""
    configure_logging(settings.log_level, "edge")
    engine = create_engine(settings.db_url, pool_size=10)
    producer = build_producer(settings.kafka_servers, "shine-edge")
    await producer.start()
    deps = EdgeDeps(
        engine=engine,
        publisher=EventPublisher(producer, settings.topic_prefix),
        blobs=BlobStore(settings.blobs_path),
        limits=UploadLimits(settings.max_upload_bytes, settings.max_image_pixels, settings.min_image_side),
        kafka_check=kafka_probe(producer, UPLOADS.resolve(settings.topic_prefix)),
        expected_consumers=settings.ready_consumers,
        heartbeat_stale_seconds=settings.heartbeat_stale_seconds,
        decode_slots=asyncio.Semaphore(settings.max_concurrent_decodes),
    )
    config = uvicorn.Config(
        create_app(deps),
        host=settings.edge_host,
        port=settings.edge_port,
        log_config=None,
        access_log=False,
        server_header=False,
    )
    try:
        await uvicorn.Server(config).serve()
    finally:
        await producer.stop()
        await engine.dispose()
