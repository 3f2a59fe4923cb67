"""Pure: a domain recommendation result → the recommendations.generated event (items, routine, inputs)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from consumers.recommendation.domain.recommend import Item, Recommendations
from events.envelope import Event
from events.recommendations import (
    ConcernRef,
    Contributions,
    RecommendationsGenerated,
    RecommendationsGeneratedData,
    RecommendedItem,
)

SOURCE = "recommendation"


def _item(item: Item) -> RecommendedItem:
    c = item.contributions
    return RecommendedItem(
        recommendation_id=item.recommendation_id,
        product_id=item.product_id,
        rank=item.rank,
        score=min(1.0, max(0.0, item.score)),
        reason=item.reason,
        contributions=Contributions(
            content=c.get("content", 0.0),
            collaborative=c.get("collaborative", 0.0),
            popularity=c.get("popularity", 0.0),
            rules=c.get("rules", 0.0),
        ),
        matched_concerns=item.matched_concerns,
        routine_step=item.routine_step,
    )


def generated_event(
    cause: Event,
    *,
    event_id: uuid.UUID,
    user_id: uuid.UUID,
    analysis_id: uuid.UUID,
    upload_id: uuid.UUID | None,
    scores: Mapping[str, float],
    skin_type_probabilities: Mapping[str, float],
    result: Recommendations,
    knowledge_version: str,
    revision: int,
) -> RecommendationsGenerated:
    """The event for a result: its ranked items plus any routine item ranked below them, and the routine order."""
    items = list(result.items)
    listed = {i.recommendation_id for i in items}
    items += [i for i in result.routine if i.recommendation_id not in listed]
    return RecommendationsGenerated.caused_by(
        cause,
        event_id=event_id,
        source=SOURCE,
        subject=str(user_id),
        data=RecommendationsGeneratedData(
            analysis_id=analysis_id,
            user_id=user_id,
            upload_id=upload_id,
            variant=result.variant,
            scores=dict(scores),
            skin_type_probabilities=dict(skin_type_probabilities),
            total_count=result.total_count,
            concerns=tuple(ConcernRef(name=c.name, severity=c.severity, weight=c.weight) for c in result.concerns),
            items=tuple(_item(i) for i in items),
            routine=tuple(i.recommendation_id for i in result.routine),
            recommendation_score=min(1.0, max(0.0, result.recommendation_score)),
            knowledge_version=knowledge_version,
            revision=revision,
        ),
    )
