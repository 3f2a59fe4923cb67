"""Scoring, skin-type, confidence and feature-vector rules."""

from __future__ import annotations

import itertools
import math

import pytest

from consumers.analysis.engine.features import cosine_similarity
from consumers.analysis.engine.scoring import MIDPOINTS, SLOPES, WEIGHTS, band, overall, raw_for, score, severity
from consumers.analysis.engine.skin_type import skin_type
from events.analyses import SCORE_NAMES


def test_every_score_has_a_midpoint_and_weights_sum_to_one() -> None:
    assert set(MIDPOINTS) == set(SLOPES) == set(WEIGHTS) == set(SCORE_NAMES)
    assert math.isclose(sum(WEIGHTS.values()), 1.0)
    assert overall(dict.fromkeys(SCORE_NAMES, 80.0)) == 80.0


@pytest.mark.parametrize("name", SCORE_NAMES)
def test_score_curve_is_strictly_decreasing_through_its_midpoint(name: str) -> None:
    mid = MIDPOINTS[name]
    assert score(name, 0.0) == 100.0 and score(name, -1.0) == 100.0
    assert score(name, mid) == 50.0 and score(name, 2 * mid) == round(100 / (1 + 2 ** SLOPES[name]), 1)
    values = [score(name, mid * k / 10) for k in range(1, 40)]
    assert all(a > b for a, b in itertools.pairwise(values))
    assert math.isclose(score(name, raw_for(name, 73.0)), 73.0, abs_tol=0.05)


@pytest.mark.parametrize(
    ("value", "label"),
    [(95, "excellent"), (80, "excellent"), (79.9, "good"), (65, "good"), (50, "average"), (44.9, "poor")],
)
def test_bands(value: float, label: str) -> None:
    assert band(value) == label


@pytest.mark.parametrize(
    ("health", "label"), [(90, "none"), (75, "none"), (60, "mild"), (40, "moderate"), (10, "severe")]
)
def test_severity_cutoffs(health: float, label: str) -> None:
    assert severity(health) == label


@pytest.mark.parametrize(
    ("oil_t", "oil_u", "texture", "redness", "expected"),  # as the scores these raw values give
    [
        (95, 95, 95, 95, "normal"),
        (15, 15, 80, 95, "oily"),
        (15, 95, 80, 95, "combination"),
        (95, 95, 8, 95, "dry"),
        (95, 95, 80, 8, "sensitive"),
    ],
)
def test_skin_type_rule(oil_t: float, oil_u: float, texture: float, redness: float, expected: str) -> None:
    result = skin_type(
        raw_for("oiliness", oil_t), raw_for("oiliness", oil_u), raw_for("texture", texture), raw_for("redness", redness)
    )
    assert result.type == expected
    assert math.isclose(sum(result.probabilities.values()), 1.0, abs_tol=1e-3)


def test_cosine_similarity() -> None:
    assert cosine_similarity([1.0, 0.0], [2.0, 0.0]) == pytest.approx(1.0)
    assert cosine_similarity([1.0, 0.0], [0.0, 3.0]) == pytest.approx(0.0)
    assert cosine_similarity([1.0, 1.0], [-1.0, -1.0]) == pytest.approx(-1.0)
    assert cosine_similarity([0.0, 0.0], [1.0, 1.0]) == 0.0
    with pytest.raises(ValueError):
        cosine_similarity([1.0], [1.0, 2.0])
