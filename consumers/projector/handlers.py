"""Projector glue: claim the event and fold it into the projections in one transaction.

The same handlers rebuild projections during replay, pointed at another schema.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from consumers.delivery import Handler
from consumers.metrics import UPLOAD_TO_RESULT
from events.analyses import AnalysisCompleted, AnalysisFailed, AnalysisStarted
from events.envelope import Event
from events.uploads import UploadAccepted
from storage import projections
from storage.claims import claim
from storage.tables import image_uploads

CONSUMER = "projector"
Fold = Callable[[AsyncConnection, Any], Awaitable[None]]
FOLDS: Mapping[type[Event], Fold] = {
    UploadAccepted: projections.upload_accepted,
    AnalysisStarted: projections.analysis_started,
    AnalysisCompleted: projections.analysis_completed,
    AnalysisFailed: projections.analysis_failed,
}


def projector_handlers(engine: AsyncEngine, schema: str | None = None) -> dict[type[Event], Handler]:
    """A handler per event type; `schema` redirects every write (replay into a fresh schema)."""
    if schema is not None:
        engine = engine.execution_options(schema_translate_map={None: schema})

    def handler_for(fold: Fold) -> Handler:
        async def handle(event: Event) -> None:
            async with engine.begin() as conn:
                if not await claim(conn, CONSUMER, event.event_id):
                    return  # already applied: redelivery or replay of a processed record
                await fold(conn, event)
                if schema is None and isinstance(event, AnalysisCompleted | AnalysisFailed):
                    await _observe_latency(conn, event)

        return handle

    return {event_type: handler_for(fold) for event_type, fold in FOLDS.items()}


async def _observe_latency(conn: AsyncConnection, event: AnalysisCompleted | AnalysisFailed) -> None:
    accepted = (
        await conn.execute(select(image_uploads.c.created_at).where(image_uploads.c.id == event.data.upload_id))
    ).scalar_one_or_none()
    if accepted is not None:
        UPLOAD_TO_RESULT.observe(max((event.occurred_at - accepted).total_seconds(), 0.0))
