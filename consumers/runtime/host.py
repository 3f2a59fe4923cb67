"""Runs one consumer group in this process: its resources, subscriber, delivery policy, heartbeats, /metrics."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass

from aiokafka.errors import KafkaError
from faststream import FastStream
from faststream.kafka import KafkaBroker
from prometheus_client import start_http_server
from sqlalchemy.ext.asyncio import AsyncEngine

from consumers.runtime.delivery import Delivery, RetryPolicy
from consumers.runtime.group import ConsumerGroup, GroupContext
from consumers.runtime.progress import ConsumerRef, Progress, heartbeat_forever
from consumers.runtime.subscription import subscribe
from events.registry import REGISTRY

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HostConfig:
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


async def run_group(
    new_broker: Callable[[], KafkaBroker],
    group: ConsumerGroup,
    context: GroupContext,
    heartbeats: AsyncEngine,
    config: HostConfig,
) -> None:
    """Open the group's resources, subscribe it and run until SIGINT/SIGTERM; heartbeats run alongside.

    A broker that cannot be reached while the app starts is waited for (an outage is not a reason to exit);
    once running, the Kafka client itself reconnects.
    """
    async with AsyncExitStack() as stack:
        handlers = await stack.enter_async_context(group.open(context))
        delivery = Delivery(group.name, handlers, REGISTRY, context.publisher, group.retry or config.retry)
        delay = 0.5
        while True:
            started = asyncio.Event()
            try:
                await _run_app(new_broker(), group, delivery, heartbeats, config, started)
                return
            except KafkaError as exc:
                if started.is_set():
                    raise
                log.warning("broker unavailable at start; waiting for it", extra={"error": repr(exc)})
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)


async def _run_app(
    broker: KafkaBroker,
    group: ConsumerGroup,
    delivery: Delivery,
    heartbeats: AsyncEngine,
    config: HostConfig,
    started: asyncio.Event,
) -> None:
    progress = Progress()
    topics = [t.resolve(config.prefix) for t in group.topics]
    subscriber = subscribe(broker, delivery, topics, f"{config.prefix}{group.name}", progress, group.polling)
    app = FastStream(broker, logger=logging.getLogger("shine.faststream"))
    tasks: list[asyncio.Task[None]] = []

    @app.after_startup
    async def start_heartbeat() -> None:
        started.set()
        port = serve_metrics(config.metrics_port) if config.metrics_port else None
        beat = heartbeat_forever(
            heartbeats, group.name, ConsumerRef(subscriber), progress, delivery.outage, config.heartbeat_interval, port
        )
        tasks.append(asyncio.create_task(beat))

    @app.on_shutdown
    async def stop_heartbeat() -> None:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)  # no beat may be mid-transaction at dispose

    await app.run()
