"""The recommender's working state per process: the catalog index and the collaborative model, rebuilt only when
the products projection or the feedback changes (a cheap version query per message decides)."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from consumers.recommendation.domain.collaborative import Interaction, ItemModel, fit
from consumers.recommendation.domain.index import CatalogIndex, build_index
from knowledge.base import KnowledgeBase
from storage.catalog.queries import catalog_version, feed_products
from storage.recommendations.queries import feedback_version, interactions


def interaction(user_id: uuid.UUID, product_id: uuid.UUID, kind: str, at: datetime) -> Interaction:
    """The domain's view of one piece of feedback."""
    return Interaction(str(user_id), product_id, kind, at)


@dataclass
class Working:
    """What a recommendation is computed from, and the versions it was built at."""

    index: CatalogIndex
    model: ItemModel
    events: tuple[Interaction, ...]
    catalog_at: tuple[int, int]
    feedback_at: tuple[int, datetime | None]


class CatalogCache:
    """Holds the index and model; `current` refreshes whichever is stale (the index build runs off the loop)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._working: Working | None = None

    async def current(self, conn: AsyncConnection) -> Working:
        """The index and model as of the projections now."""
        catalog_at, feedback_at = await catalog_version(conn), await feedback_version(conn)
        old = self._working
        if old is not None and old.catalog_at == catalog_at and old.feedback_at == feedback_at:
            return old
        if old is None or old.catalog_at != catalog_at:
            index = await asyncio.to_thread(build_index, await feed_products(conn), self.kb)
        else:
            index = old.index
        rows = await interactions(conn)
        events = tuple(
            interaction(r["user_id"], r["product_id"], r["feedback_type"], r["created_at"]) for r in reversed(rows)
        )
        model = await asyncio.to_thread(fit, events, index.position)
        self._working = Working(index, model, events, catalog_at, feedback_at)
        return self._working
