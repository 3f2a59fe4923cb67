"""Recommendation glue: read the projections (catalog, users read model, own feedback) → domain → publish.

The group writes no state of its own: the projector folds recommendations.generated. Derived event ids make a
redelivered input re-emit the same event. A set's revision is 1 when generated from the analysis; feedback
regenerates it at a strictly higher revision (the feedback's time in ms), so the newest list always wins.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from sqlalchemy import RowMapping
from sqlalchemy.ext.asyncio import AsyncEngine

from consumers.recommendation.catalog_cache import CatalogCache, Working, interaction
from consumers.recommendation.domain.ab import assign_variant
from consumers.recommendation.domain.collaborative import Interaction
from consumers.recommendation.domain.feedback import learned_preferences
from consumers.recommendation.domain.popularity import popularity_scores, trending
from consumers.recommendation.domain.recommend import Recommendations, Request, recommend
from consumers.recommendation.domain.rules import Preferences
from consumers.recommendation.outcome import SOURCE, generated_event
from events.analyses import AnalysisCompleted
from events.envelope import Event, derived_id
from events.recommendations import RecommendationFeedbackGiven
from events.topics import RECOMMENDATIONS
from knowledge.base import KnowledgeBase
from producers.publisher import EventPublisher
from storage.recommendations.queries import history_of, recommendation_of, set_of
from storage.users.read_model import profile_of

GENERATED_REVISION = 1


def preferences(profile: RowMapping | None) -> Preferences:
    """The rules' view of the users read model row (defaults before the user set any)."""
    if profile is None:
        return Preferences()

    def money(value: object) -> float | None:
        return float(value) if value is not None else None  # type: ignore[arg-type]

    return Preferences(
        skin_type=profile["skin_type"],
        allergies=tuple(profile["allergies"] or ()),
        preferred_brands=tuple(profile["preferred_brands"] or ()),
        price_min=money(profile["price_range_min"]),
        price_max=money(profile["price_range_max"]),
    )


def measured(scores: Mapping[str, float], metrics: Mapping[str, float]) -> dict[str, float]:
    """Scores the analysis measured (a quick analysis reports some as a neutral 50: they evidence nothing)."""
    return {name: value for name, value in scores.items() if not metrics.get(f"unmeasured_{name}")}


class RecommendationHandlers:
    """Handlers of the `recommendation` group."""

    def __init__(self, engine: AsyncEngine, publisher: EventPublisher, kb: KnowledgeBase, kept: int) -> None:
        self.engine, self.publisher, self.kb, self.kept = engine, publisher, kb, kept
        self.cache = CatalogCache(kb)

    def _compute(self, working: Working, request: Request, now: datetime) -> Recommendations:
        popularity = popularity_scores(working.index, trending(working.events, now, "month"))
        variant = assign_variant(request.user_id)
        return recommend(working.index, self.kb, request, model=working.model, popularity=popularity, variant=variant)

    async def _generate(
        self,
        cause: Event,
        user_id: uuid.UUID,
        analysis_id: uuid.UUID,
        upload_id: uuid.UUID | None,
        inputs: tuple[dict[str, float], dict[str, float]],
        revision: int,
        triggering: tuple[uuid.UUID, Interaction] | None = None,
    ) -> None:
        scores, probabilities = inputs
        async with self.engine.connect() as conn:
            working = await self.cache.current(conn)
            profile = await profile_of(conn, user_id)
            rows = await history_of(conn, user_id)
        seen = {r["id"] for r in rows}
        history = [interaction(user_id, r["product_id"], r["feedback_type"], r["created_at"]) for r in rows]
        if triggering is not None and triggering[0] not in seen:  # the projector may not have folded it yet
            history.append(triggering[1])
        # Ingredients the user's dismissals share (and no liked product has) are avoided like stated dislikes.
        learned = learned_preferences(history, working.index).ingredients_seemingly_disliked
        prefs = replace(preferences(profile), disliked_ingredients=learned)
        request = Request(analysis_id, str(user_id), scores, probabilities, prefs, history=history, limit=self.kept)
        result = await asyncio.to_thread(self._compute, working, request, cause.occurred_at)
        event = generated_event(
            cause,
            event_id=derived_id(SOURCE, cause.event_id),
            user_id=user_id,
            analysis_id=analysis_id,
            upload_id=upload_id,
            scores=scores,
            skin_type_probabilities=probabilities,
            result=result,
            knowledge_version=self.kb.version,
            revision=revision,
        )
        await self.publisher.publish(RECOMMENDATIONS, event)

    async def on_analysis_completed(self, event: AnalysisCompleted) -> None:
        """Recommend for a completed analysis."""
        d, report = event.data, event.data.report
        scores = measured(report.scores.model_dump(), report.metrics)
        inputs = (scores, dict(report.skin_type.probabilities))
        await self._generate(event, d.user_id, d.analysis_id, d.upload_id, inputs, GENERATED_REVISION)

    async def on_feedback_given(self, event: RecommendationFeedbackGiven) -> None:
        """Regenerate the list the feedback was about, so what the user sees next reflects it."""
        d = event.data
        async with self.engine.connect() as conn:
            item = await recommendation_of(conn, d.recommendation_id, d.user_id)
            found = await set_of(conn, item["analysis_id"], d.user_id) if item is not None else None
        if found is None or d.product_id is None:
            return  # nothing to regenerate (the feedback is still folded by the projector)
        revision = max(int(found["revision"]) + 1, int(event.occurred_at.timestamp() * 1000))
        inputs = (dict(found["scores"]), dict(found["skin_type_probabilities"]))
        now = (d.feedback_id, interaction(d.user_id, d.product_id, d.feedback_type, event.occurred_at))
        await self._generate(event, d.user_id, found["analysis_id"], found["upload_id"], inputs, revision, now)
