"""Scoring, skin-type, confidence and feature-vector rules."""

from __future__ import annotations

import math

import pytest

from consumers.analysis.engine.features import cosine_similarity
from consumers.analysis.engine.scoring import ANCHORS, WEIGHTS, overall, score, severity
from consumers.analysis.engine.skin_type import skin_type
from events.analyses import SCORE_NAMES


def test_every_score_has_anchors_and_weights_sum_to_one() -> None:
    assert set(ANCHORS) == set(WEIGHTS) == set(SCORE_NAMES)
    assert math.isclose(sum(WEIGHTS.values()), 1.0)
    assert overall(dict.fromkeys(SCORE_NAMES, 80.0)) == 80.0


def test_score_is_clamped_and_decreasing() -> None:
    good, bad = ANCHORS["acne"]
    assert score("acne", good) == 100.0 and score("acne", bad) == 0.0
    assert score("acne", bad * 10) == 0.0 and score("acne", -5.0) == 100.0
    assert score("acne", good + 1) > score("acne", good + 2)


@pytest.mark.parametrize(
    ("health", "label"), [(90, "none"), (75, "none"), (60, "mild"), (40, "moderate"), (10, "severe")]
)
def test_severity_cutoffs(health: float, label: str) -> None:
    assert severity(health) == label


@pytest.mark.parametrize(
    ("oil_t", "oil_u", "texture", "redness", "expected"),
    [
        (0.0, 0.0, 1.0, 0.0, "normal"),
        (0.25, 0.25, 2.0, 0.0, "oily"),
        (0.25, 0.0, 2.0, 0.0, "combination"),
        (0.0, 0.0, 9.0, 0.0, "dry"),
        (0.0, 0.0, 2.0, 10.0, "sensitive"),
    ],
)
def test_skin_type_rule(oil_t: float, oil_u: float, texture: float, redness: float, expected: str) -> None:
    result = skin_type(oil_t, oil_u, texture, redness)
    assert result.type == expected
    assert math.isclose(sum(result.probabilities.values()), 1.0, abs_tol=1e-3)


def test_cosine_similarity() -> None:
    assert cosine_similarity([1.0, 0.0], [2.0, 0.0]) == pytest.approx(1.0)
    assert cosine_similarity([1.0, 0.0], [0.0, 3.0]) == pytest.approx(0.0)
    assert cosine_similarity([1.0, 1.0], [-1.0, -1.0]) == pytest.approx(-1.0)
    assert cosine_similarity([0.0, 0.0], [1.0, 1.0]) == 0.0
    with pytest.raises(ValueError):
        cosine_similarity([1.0], [1.0, 2.0])
