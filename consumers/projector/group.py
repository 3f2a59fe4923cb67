"""The `projector` consumer group: folds every registered projection (storage/registry.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from consumers.projector.handlers import handled_events, projector_handlers
from consumers.runtime.group import ConsumerGroup, GroupContext, Handlers
from storage.engine import create_engine


@asynccontextmanager
async def open_projector(context: GroupContext) -> AsyncIterator[Handlers]:
    """Its own database engine."""
    engine = create_engine(context.settings.db_url)
    try:
        yield projector_handlers(engine)
    finally:
        await engine.dispose()


PROJECTOR = ConsumerGroup("projector", handled_events(), open_projector)
