"""Domain results → the payloads the recommendation context publishes (recommendations.generated)."""

from __future__ import annotations

import uuid

from consumers.recommendation.domain.recommend import Item, Recommendations
from events.recommendations import (
    ConcernRef,
    Contributions,
    RecommendationsGeneratedData,
    RecommendedItem,
)


def _item(item: Item) -> RecommendedItem:
    c = item.contributions
    return RecommendedItem(
        recommendation_id=item.recommendation_id,
        product_id=item.product_id,
        rank=item.rank,
        score=item.score,
        reason=item.reason,
        matched_concerns=item.matched_concerns,
        routine_step=item.routine_step,
        contributions=Contributions(
            content=c["content"], collaborative=c["collaborative"], popularity=c["popularity"], rules=c["rules"]
        ),
    )


def generated_data(
    result: Recommendations, *, analysis_id: uuid.UUID, user_id: uuid.UUID, knowledge_version: str
) -> RecommendationsGeneratedData:
    """The recommendations.generated payload: page items and routine items (each once), routine order by id."""
    items = {i.recommendation_id: _item(i) for i in (*result.items, *result.routine)}
    return RecommendationsGeneratedData(
        analysis_id=analysis_id,
        user_id=user_id,
        variant=result.variant,
        concerns=tuple(ConcernRef(name=c.name, severity=c.severity, weight=c.weight) for c in result.concerns),
        items=tuple(sorted(items.values(), key=lambda i: i.rank)),
        routine=tuple(i.recommendation_id for i in result.routine),
        recommendation_score=result.recommendation_score,
        knowledge_version=knowledge_version,
    )
