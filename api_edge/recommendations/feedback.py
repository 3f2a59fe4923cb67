"""Feedback on a recommendation: an event on shine.recommendations.v1 (once per Idempotency-Key), folded at once
so the next list the user reads already hides what they dismissed; the recommender then re-ranks the list."""

from __future__ import annotations

import logging
import uuid
from collections import Counter

from sqlalchemy import RowMapping

from api_edge.errors import ApiError
from api_edge.platform.idempotency import Answer
from api_edge.platform.idempotency_rules import derived_id, fingerprint
from api_edge.recommendations.deps import RecommendationDeps
from api_edge.users.session_rules import Principal
from events.recommendations import RecommendationFeedbackGiven, RecommendationFeedbackGivenData
from events.topics import RECOMMENDATIONS
from schemas.recommendations import FeedbackAnswer, FeedbackBody
from storage.recommendations import folds
from storage.recommendations.queries import DISMISSIVE, history_of, recommendation_of

log = logging.getLogger(__name__)
SOURCE = "shine.edge"
OPERATION = "recommendations.feedback"
POSITIVE = ("like", "save", "purchase")


async def give(deps: RecommendationDeps, who: Principal, body: FeedbackBody, key: str | None, cid: str) -> Answer:
    """Record the feedback (200), or replay the answer to the same keyed request."""
    print_ = fingerprint(OPERATION, body.model_dump_json().encode())

    async def work() -> Answer:
        return await _give(deps, who, body, key, cid)

    return await deps.idempotency.once(who.user_id, key, OPERATION, print_, work)


async def _give(deps: RecommendationDeps, who: Principal, body: FeedbackBody, key: str | None, cid: str) -> Answer:
    async with deps.db.reading() as conn:
        item = await recommendation_of(conn, body.recommendation_id, who.user_id)
    if item is None:
        raise ApiError(404, "RECOMMENDATION_NOT_FOUND", "No such recommendation among yours.")
    feedback_id = derived_id(who.user_id, key, "feedback") if key else uuid.uuid4()
    event = RecommendationFeedbackGiven(
        event_id=derived_id(who.user_id, key, "feedback.given") if key else uuid.uuid4(),
        source=SOURCE,
        subject=str(who.user_id),
        correlation_id=cid,
        data=RecommendationFeedbackGivenData(
            feedback_id=feedback_id,
            recommendation_id=body.recommendation_id,
            user_id=who.user_id,
            product_id=item["product_id"],
            feedback_type=body.feedback_type,
            rating=body.rating,
            comments=body.comments,
            variant=item["variant"],
        ),
    )

    async def project() -> None:
        async with deps.db.transaction() as conn:
            await folds.feedback_given(conn, event)

    async def nothing() -> None:
        return None

    await deps.bus.publish(RECOMMENDATIONS, event, on_late=project, on_lost=nothing)
    try:
        await project()  # read-your-write; the projector applies the same event anyway
    except Exception:
        log.warning("read-your-write projection of feedback failed; the projector will apply it", exc_info=True)
    async with deps.db.reading() as conn:
        history = await history_of(conn, who.user_id)
    answer = FeedbackAnswer(
        success=True,
        feedback_id=feedback_id,
        updated_preferences=_preferences(history),
        message=_message(body.feedback_type),
    )
    return Answer(200, answer.model_dump(mode="json"))


def _preferences(rows: list[RowMapping]) -> dict[str, object]:
    """What the user's feedback now tells the recommender: counts, products hidden and products favoured."""
    latest: dict[str, str] = {}
    for row in rows:  # oldest first: the latest reaction to a product counts
        latest[str(row["product_id"])] = str(row["feedback_type"])
    return {
        "feedback_counts": dict(Counter(str(r["feedback_type"]) for r in rows)),
        "hidden_products": sorted(p for p, kind in latest.items() if kind in DISMISSIVE),
        "favoured_products": sorted(p for p, kind in latest.items() if kind in POSITIVE),
    }


def _message(kind: str) -> str:
    if kind in DISMISSIVE:
        return "Thanks: we will not show this product again, and your next recommendations take it into account."
    if kind == "view":
        return "Noted."
    return "Thanks: products like this one will rank higher in your next recommendations."
