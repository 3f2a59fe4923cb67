"""Analysis glue: blob → engine (in a worker thread) → overlay and mask blobs → events.

No claim in processed_events here: the analysis owns no projection, its output is deterministic for the
same bytes and analyzer version, and every emitted event has a derived id. Reprocessing therefore re-emits
identical events (which projectors drop as duplicates) and a crash between two publishes loses nothing.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import cv2

from consumers.analysis import domain
from consumers.analysis.engine import AnalyzerParams, analyse
from events.topics import ANALYSES
from events.uploads import UploadAccepted
from producers.publisher import EventPublisher
from storage.blobs import BlobNotFound, BlobStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AnalysisHandlers:
    """Handlers of the analysis consumer group."""

    blobs: BlobStore
    publisher: EventPublisher
    params: AnalyzerParams

    def __post_init__(self) -> None:
        # One analysis uses one core: throughput scales by running more processes (one per core),
        # which OpenCV's own thread pool would otherwise fight over.
        cv2.setNumThreads(1)

    async def on_upload_accepted(self, event: UploadAccepted) -> None:
        """Analyse an accepted upload and publish started, then completed or failed."""
        await self.publisher.publish(ANALYSES, domain.started_event(event))
        try:
            image = domain.decode_image(await self.blobs.get(event.data.blob_sha256))
        except BlobNotFound:
            image = None
        if image is None:
            await self.publisher.publish(ANALYSES, domain.failed_event(event, domain.UNREADABLE))
            return
        # The engine is CPU-bound; a worker thread keeps heartbeats and the consumer session alive.
        try:
            quick = domain.is_quick(event)
            outcome = await asyncio.to_thread(analyse, image, self.params, quick)
        except Exception:  # deterministic for these bytes: retrying cannot help, so the user hears at once
            log.exception("analysis engine failed", extra={"upload_id": str(event.data.upload_id)})
            await self.publisher.publish(ANALYSES, domain.failed_event(event, domain.INTERNAL_ERROR))
            return
        overlay = await self.blobs.put(outcome.overlay_jpeg) if outcome.overlay_jpeg else None
        # Each put writes and fsyncs a file: the ten masks are stored side by side, not one after another.
        names = sorted(outcome.masks)
        digests = await asyncio.gather(*(self.blobs.put(outcome.masks[name]) for name in names))
        masks = dict(zip(names, digests, strict=True))
        await self.publisher.publish(ANALYSES, domain.outcome_event(event, outcome, overlay, masks))
