"""A domain recommendation result → the recommendations.generated event, with the inputs it was computed from
(so feedback can regenerate the list from the recommendation context's own read model) and its revision."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from consumers.recommendation.domain.outcome import generated_data
from consumers.recommendation.domain.recommend import Recommendations
from events.envelope import Event
from events.recommendations import RecommendationsGenerated

SOURCE = "recommendation"


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
    """The event for a result: ranked items plus routine items ranked below them, the routine order, the inputs."""
    data = generated_data(result, analysis_id=analysis_id, user_id=user_id, knowledge_version=knowledge_version)
    extra = {
        "upload_id": upload_id,
        "scores": dict(scores),
        "skin_type_probabilities": dict(skin_type_probabilities),
        "total_count": result.total_count,
        "revision": revision,
    }
    return RecommendationsGenerated.caused_by(
        cause, event_id=event_id, source=SOURCE, subject=str(user_id), data=data.model_copy(update=extra)
    )
