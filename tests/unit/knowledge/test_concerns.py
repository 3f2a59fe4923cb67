"""Scores and skin-type probabilities → concerns through the documented bands."""

from __future__ import annotations

import pytest

from knowledge.concerns import METRIC_BANDS, concern_weights, concerns_from_analysis, grade_probability, grade_score


@pytest.mark.parametrize(
    ("metric", "score", "severity"),
    [
        ("acne", 80, None),
        ("acne", 74, "mild"),
        ("acne", 50, "moderate"),
        ("acne", 20, "severe"),
        ("radiance", 59, "mild"),
        ("radiance", 61, None),
        ("evenness", 44, "moderate"),
    ],
)
def test_bands(metric: str, score: float, severity: str | None) -> None:
    concern = grade_score(metric, score)
    assert (concern.severity if concern else None) == severity


def test_every_metric_of_the_analysis_has_a_band() -> None:
    from events.analyses import SCORE_NAMES

    assert set(SCORE_NAMES) == set(METRIC_BANDS)


def test_weight_grows_as_score_falls() -> None:
    weights = [c.weight for s in (70, 50, 30, 0) if (c := grade_score("wrinkles", s))]
    assert weights == sorted(weights) and weights[-1] == 1.0


def test_skin_type_probabilities() -> None:
    assert grade_probability("dry", 0.2) is None
    concern = grade_probability("sensitive", 0.8)
    assert concern is not None and concern.name == "sensitivity" and concern.severity == "severe"
    assert grade_probability("normal", 0.9) is None


def test_one_concern_per_name_strongest_first() -> None:
    concerns = concerns_from_analysis({"oiliness": 60, "acne": 30, "redness": 95}, {"oily": 0.9})
    names = [c.name for c in concerns]
    assert names == ["oiliness", "acne"]
    assert concerns[0].metric == "skin_type.oily"
    assert concern_weights(concerns)["acne"] == pytest.approx(0.6)
