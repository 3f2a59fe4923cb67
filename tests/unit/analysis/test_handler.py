"""The analysis handler: blob in, started then completed out, with the overlay and one stored mask per score."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import cv2

from consumers.analysis.engine import AnalyzerParams
from consumers.analysis.handlers import AnalysisHandlers
from events.analyses import SCORE_NAMES, AnalysisCompleted, AnalysisStarted
from events.envelope import Event
from events.topics import Topic
from producers.publisher import EventPublisher
from storage.blobs import BlobStore
from tests.support.kafka import upload_event

from ._synth import astronaut


class RecordingPublisher:
    """Keeps what would have been published."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    async def publish(self, topic: Topic, event: Event) -> None:
        self.events.append(event)


async def _run(tmp_path: Path, analysis_type: str) -> tuple[BlobStore, list[Event]]:
    blobs, publisher = BlobStore(tmp_path), RecordingPublisher()
    sha = await blobs.put(bytes(cv2.imencode(".jpg", astronaut(), [cv2.IMWRITE_JPEG_QUALITY, 95])[1]))
    threads = cv2.getNumThreads()
    try:  # the handler makes its process analyse on one core; the rest of this session keeps its threads
        handlers = AnalysisHandlers(blobs, cast(EventPublisher, publisher), AnalyzerParams())
        await handlers.on_upload_accepted(upload_event(blob_sha256=sha, analysis_type=analysis_type))
    finally:
        cv2.setNumThreads(threads)
    return blobs, publisher.events


async def test_a_comprehensive_analysis_stores_the_overlay_and_every_mask(tmp_path: Path) -> None:
    blobs, events = await _run(tmp_path, "comprehensive")
    started, completed = events
    assert isinstance(started, AnalysisStarted) and isinstance(completed, AnalysisCompleted)
    masks = completed.data.mask_sha256
    assert set(masks) == set(SCORE_NAMES) and completed.data.overlay_sha256 is not None
    for sha in [*masks.values(), completed.data.overlay_sha256]:
        assert blobs.path_for(sha).is_file()
    png = await blobs.get(masks["redness"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


async def test_a_quick_analysis_stores_no_overlay_or_masks(tmp_path: Path) -> None:
    _, events = await _run(tmp_path, "quick")
    completed = events[-1]
    assert isinstance(completed, AnalysisCompleted)
    assert completed.data.mask_sha256 == {} and completed.data.overlay_sha256 is None
    assert completed.data.report.metrics["quick"] == 1.0
