"""Publishing payloads and learned preferences from feedback."""

from __future__ import annotations

import uuid

from consumers.recommendation.domain.collaborative import Interaction
from consumers.recommendation.domain.feedback import learned_preferences
from consumers.recommendation.domain.index import build_index
from consumers.recommendation.domain.outcome import generated_data
from consumers.recommendation.domain.recommend import Request, recommend
from events.recommendations import RecommendationsGenerated
from knowledge.base import load
from tests.unit.recommendation.catalog import CATALOG, NOW, by_name

KB = load()
INDEX = build_index(CATALOG, KB)
USER, ANALYSIS = uuid.UUID(int=1), uuid.UUID(int=2)


def test_generated_payload_carries_items_routine_and_concerns() -> None:
    result = recommend(
        INDEX, KB, Request(ANALYSIS, str(USER), {"acne": 30.0}, limit=3), model=None, popularity=INDEX.prior
    )
    data = generated_data(result, analysis_id=ANALYSIS, user_id=USER, knowledge_version=KB.version)
    ids = {i.recommendation_id for i in data.items}
    assert {i.recommendation_id for i in result.items} <= ids and set(data.routine) <= ids
    assert len(ids) == len(data.items) and data.concerns[0].name == "acne"
    assert [i.rank for i in data.items] == sorted(i.rank for i in data.items)
    event = RecommendationsGenerated(source="recommendation", subject=str(USER), correlation_id="c", data=data)
    assert RecommendationsGenerated.model_validate_json(event.model_dump_json()) == event


def test_learned_preferences_from_feedback() -> None:
    history = [
        Interaction("u", by_name("Niacinamide Serum"), "like", NOW),
        Interaction("u", by_name("Gentle Cleanser"), "purchase", NOW),
        Interaction("u", by_name("Scented Niacinamide"), "dislike", NOW),
        Interaction("u", by_name("Glycolic Toner"), "not_interested", NOW),
        Interaction("u", by_name("Retinol Serum"), "dislike", NOW),
    ]
    learned = learned_preferences(history, INDEX)
    assert (learned.liked_products, learned.dismissed_products) == (2, 3)
    assert learned.favoured_brands == ("Ostra",)
    assert learned.ingredients_seemingly_disliked == ()
    history.append(Interaction("u", by_name("BPO Spot Gel"), "dislike", NOW))
    history.append(Interaction("u", by_name("Sold Out Acne Gel"), "dislike", NOW))
    assert learned_preferences(history, INDEX).as_dict()["ingredients_seemingly_disliked"] == ["Benzoyl Peroxide"]
