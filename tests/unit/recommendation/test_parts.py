"""The recommender's parts one by one: index, collaborative model, trending, A/B assignment, blend."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import timedelta

import numpy as np
import pytest

from consumers.recommendation.domain.ab import arm_stats, assign_variant
from consumers.recommendation.domain.blend import VARIANTS, Weights, blend
from consumers.recommendation.domain.collaborative import Interaction, fit, user_history
from consumers.recommendation.domain.index import build_index
from consumers.recommendation.domain.popularity import decay, popularity_scores, trending
from knowledge.base import load
from tests.unit.recommendation.catalog import CATALOG, NOW, by_name

INDEX = build_index(CATALOG, load())


def test_index_concern_vectors_and_masks() -> None:
    row = INDEX.position[by_name("BHA Exfoliant")]
    acne = INDEX.concerns.index("acne")
    assert INDEX.concern_matrix[row, acne] > 0.8
    assert INDEX.concern_matrix[INDEX.position[by_name("Barrier Cream")], acne] == 0
    assert INDEX.evidence[row]["acne"] == "Salicylic Acid"
    assert INDEX.comedogenic[INDEX.position[by_name("Oily Balm")]] == 5
    assert INDEX.prohibited[INDEX.position[by_name("Vitamin K Eye")]]
    assert not INDEX.in_stock[INDEX.position[by_name("Sold Out Acne Gel")]]
    assert "retinoid" in INDEX.tags[INDEX.position[by_name("Retinol Serum")]]
    assert INDEX.rows_with(frozenset({"niacinamide"})).sum() == 4


def test_rating_prior_prefers_volume_over_a_few_perfect_reviews() -> None:
    assert INDEX.prior[INDEX.position[by_name("Scented Niacinamide")]] > INDEX.prior[0]


def test_item_similarity_from_co_purchases_and_negative_feedback() -> None:
    a, b, c = by_name("Retinol Serum"), by_name("Barrier Cream"), by_name("Mineral SPF")
    events = [Interaction(f"u{i}", p, "purchase", NOW) for i in range(5) for p in (a, b)]
    events += [Interaction("x", c, "view", NOW), Interaction("x", a, "dislike", NOW)]
    model = fit(events, INDEX.position)
    liked = model.scores({INDEX.position[a]: 1.0})
    assert liked[INDEX.position[b]] == pytest.approx(1.0) and liked[INDEX.position[c]] == 0
    assert model.scores({INDEX.position[a]: -2.0})[INDEX.position[b]] < 0
    assert not model.scores({}).any()


def test_user_history_sums_and_clips() -> None:
    a = by_name("Retinol Serum")
    events = [Interaction("u", a, "purchase", NOW)] * 3 + [Interaction("u", uuid.uuid4(), "like", NOW)]
    assert user_history(events, INDEX.position) == {INDEX.position[a]: 3.0}


def test_trending_decays_with_time_and_ignores_negative_feedback() -> None:
    a, b = by_name("Retinol Serum"), by_name("Barrier Cream")
    events = [
        Interaction("u1", a, "purchase", NOW - timedelta(days=2)),
        Interaction("u2", b, "like", NOW - timedelta(hours=1)),
        Interaction("u3", b, "dislike", NOW),
        Interaction("u4", a, "purchase", NOW - timedelta(days=30)),
    ]
    ranked = trending(events, NOW, "week")
    assert [t.product_id for t in ranked] == [a, b] and ranked[0].events == 1
    assert ranked[0].score == pytest.approx(3 * decay(timedelta(days=2), timedelta(days=3.5)))
    day = trending(events, NOW, "day")
    assert [t.product_id for t in day] == [b]
    assert trending(events, NOW, "week", allowed=[b])[0].product_id == b
    scores = popularity_scores(INDEX, ranked)
    assert scores[INDEX.position[a]] > INDEX.prior[INDEX.position[a]]


def test_ab_assignment_is_stable_and_roughly_balanced() -> None:
    arms = [assign_variant(f"user-{i}") for i in range(2000)]
    assert arms == [assign_variant(f"user-{i}") for i in range(2000)]
    counts = Counter(arms)
    assert set(counts) == set(VARIANTS) and abs(counts["hybrid"] - 1000) < 100
    assert assign_variant("user-1", arms={"only": 1.0}) == "only"
    with pytest.raises(ValueError):
        assign_variant("u", arms={})


def test_arm_rates() -> None:
    stats = arm_stats([("a", 10), ("b", 20), ("a", 10)], [("a", "like"), ("a", "purchase"), ("b", "view")])
    a, b = stats
    assert (a.shown, a.feedback, a.purchases, a.purchase_rate) == (20, 2, 1, 0.05)
    assert b.feedback_rate == 0.0


def test_cold_start_moves_the_collaborative_share() -> None:
    one = np.ones(3)
    warm = blend(Weights(0.6, 0.25, 0.15), one, one, one, np.zeros(3), has_history=True)
    cold = blend(Weights(0.6, 0.25, 0.15), one, one, one, np.zeros(3), has_history=False)
    assert warm.total[0] == pytest.approx(1.0) and cold.collaborative[0] == 0
    assert cold.content[0] + cold.popularity[0] == pytest.approx(1.0)
