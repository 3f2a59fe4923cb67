"""What the edge's routes use, opened by the composition root and handed to create_app."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from producers.publisher import EventPublisher
from storage.blobs import BlobStore


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int
    max_pixels: int
    min_side: int


@dataclass(frozen=True)
class EdgeDeps:
    """Connections and limits; `kafka_check` answers None when the broker is reachable, else what is wrong."""

    engine: AsyncEngine
    publisher: EventPublisher
    blobs: BlobStore
    limits: UploadLimits
    kafka_check: Callable[[], Awaitable[str | None]]
    expected_consumers: tuple[str, ...]
    heartbeat_stale_seconds: float
    decode_slots: asyncio.Semaphore
