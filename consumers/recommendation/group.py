"""The `recommendation` consumer group: recommends for each completed analysis and re-ranks after feedback."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from consumers.runtime.group import ConsumerGroup, GroupContext, Handlers
from events.analyses import AnalysisCompleted
from events.recommendations import RecommendationFeedbackGiven


@asynccontextmanager
async def open_recommendation(context: GroupContext) -> AsyncIterator[Handlers]:
    """Its own database engine and the knowledge base; the catalog index is built on the first message."""
    from consumers.recommendation.handlers import RecommendationHandlers
    from knowledge.base import load
    from storage.engine import create_engine

    engine = create_engine(context.settings.db_url, pool_size=2)
    try:
        handlers = RecommendationHandlers(engine, context.publisher, load(), context.settings.recommendations_kept)
        yield {
            AnalysisCompleted: handlers.on_analysis_completed,  # type: ignore[dict-item]
            RecommendationFeedbackGiven: handlers.on_feedback_given,  # type: ignore[dict-item]
        }
    finally:
        await engine.dispose()


RECOMMENDATION = ConsumerGroup("recommendation", (AnalysisCompleted, RecommendationFeedbackGiven), open_recommendation)
