"""The `analysis` consumer group: analyses each accepted upload's photo."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from consumers.runtime.group import ConsumerGroup, GroupContext, Handlers
from events.uploads import UploadAccepted


@asynccontextmanager
async def open_analysis(context: GroupContext) -> AsyncIterator[Handlers]:
    """The blob store and the engine's parameters; the engine loads only in this group's processes."""
    from consumers.analysis.engine import AnalyzerParams
    from consumers.analysis.handlers import AnalysisHandlers
    from storage.blobs import BlobStore

    handlers = AnalysisHandlers(BlobStore(context.settings.blobs_path), context.publisher, AnalyzerParams())
    yield {UploadAccepted: handlers.on_upload_accepted}  # type: ignore[dict-item]


ANALYSIS = ConsumerGroup("analysis", (UploadAccepted,), open_analysis)
