"""Projector glue: claim the event for each projection that folds it, and fold it, in one transaction.

The same handlers rebuild projections during replay, pointed at another schema.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from consumers.runtime.delivery import Handler
from consumers.runtime.metrics import UPLOAD_TO_RESULT
from events.analyses import AnalysisCompleted, AnalysisFailed
from events.envelope import Event
from storage.analysis.tables import image_uploads
from storage.platform.claims import claim
from storage.projection import Projection
from storage.registry import PROJECTIONS


def handled_events(projections: Sequence[Projection] = PROJECTIONS) -> tuple[type[Event], ...]:
    """Every event type some projection folds."""
    return tuple(dict.fromkeys(t for p in projections for t in p.folds))


def projector_handlers(
    engine: AsyncEngine, schema: str | None = None, projections: Sequence[Projection] = PROJECTIONS
) -> dict[type[Event], Handler]:
    """A handler per event type; `schema` redirects every write (replay into a fresh schema)."""
    if schema is not None:
        engine = engine.execution_options(schema_translate_map={None: schema})

    def handler_for(event_type: type[Event]) -> Handler:
        mine = [p for p in projections if event_type in p.folds]

        async def handle(event: Event) -> None:
            async with engine.begin() as conn:
                for projection in mine:
                    # Claimed per projection: a redelivered or replayed record is applied at most once to each.
                    if await claim(conn, projection.claim_name, event.event_id):
                        await projection.folds[event_type](conn, event)
                if schema is None and isinstance(event, AnalysisCompleted | AnalysisFailed):
                    await _observe_latency(conn, event)

        return handle

    return {event_type: handler_for(event_type) for event_type in handled_events(projections)}


async def _observe_latency(conn: AsyncConnection, event: AnalysisCompleted | AnalysisFailed) -> None:
    accepted = (
        await conn.execute(select(image_uploads.c.created_at).where(image_uploads.c.id == event.data.upload_id))
    ).scalar_one_or_none()
    if accepted is not None:
        UPLOAD_TO_RESULT.observe(max((event.occurred_at - accepted).total_seconds(), 0.0))
