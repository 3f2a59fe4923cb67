"""Raw measurements to 0-100 scores (higher is healthier), overall score and severity.

Each score is linear between two anchors of its raw measure: `good` (and better) -> 100,
`bad` (and worse) -> 0. Anchors are at the standard 512 px face width, in the units
listed in measures.py.

`overall_score` is the weighted mean of the ten scores with WEIGHTS (sum 1): visible
blemishes, tone evenness and lines weigh most; oiliness and radiance, which change
with the hour and the light, weigh least.

Severity of a condition from its (health) score: >= 75 none, >= 55 mild,
>= 35 moderate, else severe.
"""

from __future__ import annotations

from events.analyses import SCORE_NAMES, Severity

ANCHORS: dict[str, tuple[float, float]] = {
    "redness": (0.3, 10.0),
    "oiliness": (0.02, 0.25),
    "pigmentation": (0.2, 6.0),
    "texture": (2.0, 9.0),
    "pores": (2.0, 40.0),
    "acne": (0.0, 25.0),
    "wrinkles": (0.5, 12.0),
    "dark_circles": (2.0, 14.0),
    "evenness": (2.0, 8.0),
    "radiance": (0.15, 0.8),
}
WEIGHTS: dict[str, float] = {
    "acne": 0.14,
    "pigmentation": 0.12,
    "evenness": 0.12,
    "wrinkles": 0.12,
    "redness": 0.10,
    "texture": 0.10,
    "pores": 0.08,
    "dark_circles": 0.08,
    "oiliness": 0.07,
    "radiance": 0.07,
}
SEVERITY_CUTS: tuple[tuple[float, Severity], ...] = ((75.0, "none"), (55.0, "mild"), (35.0, "moderate"))


def score(name: str, raw: float) -> float:
    """The 0-100 score of one raw measurement, rounded to 0.1."""
    good, bad = ANCHORS[name]
    value = 100.0 * (bad - raw) / (bad - good)
    return round(min(100.0, max(0.0, value)), 1)


def overall(scores: dict[str, float]) -> float:
    """Weighted mean of the ten scores."""
    return round(sum(WEIGHTS[n] * scores[n] for n in SCORE_NAMES), 1)


def severity(health: float) -> Severity:
    """Severity of a condition whose health score is `health`."""
    for cut, label in SEVERITY_CUTS:
        if health >= cut:
            return label
    return "severe"
