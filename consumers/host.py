"""Runs one consumer group in this process: subscriber, DLQ policy, heartbeats and a /metrics port."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from faststream import FastStream
from faststream.kafka import KafkaBroker
from prometheus_client import start_http_server
from sqlalchemy.ext.asyncio import AsyncEngine

from consumers.delivery import Delivery, Handler, RetryPolicy
from consumers.progress import ConsumerRef, Progress, heartbeat_forever
from consumers.subscription import subscribe
from events.envelope import Event
from events.registry import REGISTRY
from events.topics import Topic
from producers.publisher import EventPublisher
from storage.blobs import BlobStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Resources:
    """What handlers may use; opened by the composition root."""

    engine: AsyncEngine
    publisher: EventPublisher
    blobs: BlobStore


@dataclass(frozen=True)
class ConsumerSpec:
    """A consumer group: its name, input topics, handlers and metrics port offset."""

    name: str
    topics: tuple[Topic, ...]
    handlers: Callable[[Resources], Mapping[type[Event], Handler]]
    port_offset: int


@dataclass(frozen=True)
class HostConfig:
    bootstrap: str
    prefix: str
    retry: RetryPolicy
    heartbeat_interval: float
    metrics_port: int | None


def serve_metrics(port: int) -> int:
    """Serve /metrics on `port`, or on a free port when another instance of the group already holds it."""
    try:
        server, _ = start_http_server(port, addr="127.0.0.1")
    except OSError:
        server, _ = start_http_server(0, addr="127.0.0.1")
        log.warning("metrics port taken; serving on another", extra={"wanted": port, "port": server.server_port})
    return int(server.server_port)


def build_app(broker: KafkaBroker, spec: ConsumerSpec, resources: Resources, config: HostConfig) -> FastStream:
    """Wire the consumer group onto the broker; heartbeats start with the app and stop with it."""
    delivery = Delivery(spec.name, spec.handlers(resources), REGISTRY, resources.publisher, config.retry)
    progress = Progress()
    topics = [t.resolve(config.prefix) for t in spec.topics]
    subscriber = subscribe(broker, delivery, topics, f"{config.prefix}{spec.name}", progress)
    app = FastStream(broker, logger=logging.getLogger("shine.faststream"))
    tasks: list[asyncio.Task[None]] = []

    @app.after_startup
    async def start_heartbeat() -> None:
        port = serve_metrics(config.metrics_port) if config.metrics_port else None
        tasks.append(
            asyncio.create_task(
                heartbeat_forever(
                    resources.engine,
                    spec.name,
                    ConsumerRef(subscriber),
                    progress,
                    config.heartbeat_interval,
                    port,
                )
            )
        )

    @app.on_shutdown
    async def stop_heartbeat() -> None:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)  # no beat may be mid-transaction at dispose

    return app
