"""Folds of the recommendation projections, monotonic by revision (storage/revisions.py).

A set's revision is assigned by the recommendation consumer, each analysis's single writer: 1 when generated
from the analysis, then higher when feedback regenerates it. Its items are written only when the set itself
moved (an older set arriving late changes nothing); items that dropped out keep their older revision, so they
leave the current list but stay resolvable for feedback. Feedback rows are facts, written once.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from events.recommendations import RecommendationFeedbackGiven, RecommendationsGenerated
from storage.recommendations.tables import product_recommendations, recommendation_feedback, recommendation_sets
from storage.revisions import upsert_newer

FEEDBACK_REVISION = 1


async def recommendations_generated(conn: AsyncConnection, event: RecommendationsGenerated) -> None:
    """The set for its analysis and its items, unless a newer set is already folded."""
    d = event.data
    set_row = {
        "analysis_id": d.analysis_id,
        "upload_id": d.upload_id,
        "user_id": d.user_id,
        "variant": d.variant,
        "concerns": [c.model_dump(mode="json") for c in d.concerns],
        "scores": d.scores,
        "skin_type_probabilities": d.skin_type_probabilities,
        "routine": [str(r) for r in d.routine],
        "recommendation_score": round(d.recommendation_score, 4),
        "total_count": d.total_count,
        "knowledge_version": d.knowledge_version,
        "generated_at": event.occurred_at,
    }
    if not await upsert_newer(conn, recommendation_sets, ["analysis_id"], set_row, revision=d.revision):
        return
    routine = set(d.routine)
    for item in d.items:
        row = {
            "id": item.recommendation_id,
            "analysis_id": d.analysis_id,
            "user_id": d.user_id,
            "product_id": item.product_id,
            "recommendation_score": round(item.score, 4),
            "recommendation_reason": item.reason,
            "recommendation_type": item.recommendation_type,
            "rank": item.rank,
            "contributions": item.contributions.model_dump(mode="json"),
            "matched_concerns": list(item.matched_concerns),
            "routine_step": item.routine_step,
            "in_routine": item.recommendation_id in routine,
            "variant": d.variant,
        }
        await upsert_newer(
            conn,
            product_recommendations,
            ["id"],
            row,
            revision=d.revision,
            on_insert={"created_at": event.occurred_at},
        )


async def feedback_given(conn: AsyncConnection, event: RecommendationFeedbackGiven) -> None:
    """One piece of feedback (a fact: written once)."""
    d = event.data
    row = {
        "id": d.feedback_id,
        "recommendation_id": d.recommendation_id,
        "user_id": d.user_id,
        "product_id": d.product_id,
        "feedback_type": d.feedback_type,
        "rating": d.rating,
        "comments": d.comments,
        "variant": d.variant,
        "created_at": event.occurred_at,
    }
    await upsert_newer(conn, recommendation_feedback, ["id"], row, revision=FEEDBACK_REVISION)
