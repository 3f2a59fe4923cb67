"""The recommendation projection unit: sets, their items, and feedback."""

from __future__ import annotations

from events.recommendations import RecommendationFeedbackGiven, RecommendationsGenerated
from storage.projection import Projection
from storage.recommendations import folds
from storage.recommendations.tables import product_recommendations, recommendation_feedback, recommendation_sets

RECOMMENDATIONS = Projection(
    "recommendations",
    (recommendation_sets, product_recommendations, recommendation_feedback),
    {RecommendationsGenerated: folds.recommendations_generated, RecommendationFeedbackGiven: folds.feedback_given},
)
