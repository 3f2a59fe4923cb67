"""What the upload, result, history and trend routes use."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from api_edge.analysis.backlog_meter import BacklogMeter
from api_edge.analysis.paths import Urls
from api_edge.platform.bus import Bus
from api_edge.platform.database import Database
from api_edge.platform.idempotency import Idempotency
from storage.blobs import BlobStore


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int
    max_pixels: int
    min_side: int


@dataclass(frozen=True)
class Backpressure:
    """Above `max_backlog` waiting uploads new ones are refused (premium callers: × `premium_share`)."""

    max_backlog: int
    premium_share: float
    retry_after: int


@dataclass(frozen=True)
class AnalysisDeps:
    db: Database
    bus: Bus
    blobs: BlobStore
    limits: UploadLimits
    decode_slots: asyncio.Semaphore
    decode_wait_seconds: float
    urls: Urls
    backlog: BacklogMeter
    backpressure: Backpressure
    idempotency: Idempotency
    free_analyses_per_month: int | None = None  # None: no monthly limit for free users
