"""Recommendation context: the explained recommendations generated for an analysis, and users' feedback on them.

Topic `shine.recommendations.v1`, keyed by user id (every event's subject), so a user's recommendations and
feedback stay in order.
"""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import Field

from events.envelope import Event, Payload

FeedbackType = Literal["view", "like", "save", "purchase", "dislike", "not_interested"]
RoutineStep = Literal["cleanse", "treat", "moisturise", "protect"]


class Contributions(Payload):
    """How much each part of the hybrid added to an item's score."""

    content: float
    collaborative: float
    popularity: float
    rules: float


class RecommendedItem(Payload):
    recommendation_id: uuid.UUID
    product_id: uuid.UUID
    rank: int = Field(ge=1)
    score: float = Field(ge=0, le=1)
    reason: str
    contributions: Contributions
    matched_concerns: tuple[str, ...] = ()
    routine_step: RoutineStep | None = None
    recommendation_type: str = "hybrid"


class ConcernRef(Payload):
    name: str
    severity: Literal["none", "mild", "moderate", "severe"]
    weight: float = Field(ge=0, le=1)


class RecommendationsGeneratedData(Payload):
    analysis_id: uuid.UUID
    user_id: uuid.UUID
    variant: str
    upload_id: uuid.UUID | None = None
    # The inputs, so feedback can regenerate the list from the recommendation context's own read model.
    scores: dict[str, float] = Field(default_factory=dict)
    skin_type_probabilities: dict[str, float] = Field(default_factory=dict)
    total_count: int = Field(default=0, ge=0)  # products that passed every rule (items holds the best of them)
    concerns: tuple[ConcernRef, ...] = ()
    items: tuple[RecommendedItem, ...] = ()
    routine: tuple[uuid.UUID, ...] = ()  # recommendation ids in cleanse → treat → moisturise → protect order
    recommendation_score: float = Field(ge=0, le=1)
    knowledge_version: str = ""
    revision: int = Field(default=1, ge=1)


class RecommendationFeedbackGivenData(Payload):
    feedback_id: uuid.UUID
    recommendation_id: uuid.UUID
    user_id: uuid.UUID
    product_id: uuid.UUID | None = None
    feedback_type: FeedbackType
    rating: int | None = Field(default=None, ge=1, le=5)
    comments: str | None = Field(default=None, max_length=2000)
    variant: str | None = None


class RecommendationsGenerated(Event):
    """Recommendations were computed for an analysis, each with its reason and the contribution of each part."""

    TYPE = "recommendations.generated"
    data: RecommendationsGeneratedData


class RecommendationFeedbackGiven(Event):
    """A user reacted to a recommendation (viewed, liked, saved, bought, disliked, not interested)."""

    TYPE = "recommendation.feedback_given"
    data: RecommendationFeedbackGivenData
