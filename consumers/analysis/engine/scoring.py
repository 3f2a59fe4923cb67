"""Raw measurements to 0-100 scores (higher is healthier), bands, overall score and severity.

Each score is a smooth, strictly decreasing curve of its raw load (measures.py):

    score = 100 / (1 + (raw / midpoint) ** slope)

so a raw value of 0 scores 100 and `midpoint` scores 50. Unlike a clamped line it never
flattens at the top while the skin still changes, which is why an ordinary face does not
collect "perfect" scores. Midpoints are at the standard 224 px face width, set on two real
faces: the astronaut (a smooth younger face on a soft photo) lands in good/excellent, and
Grace Hopper (an elderly face, a grainy studio print: matplotlib's sample) lands average to
poor on lines, pores, texture and shine.

Bands (as vendors publish them): excellent >= 80, good >= 65, average >= 45, poor below.

`overall_score` is the weighted mean of the ten scores with WEIGHTS (sum 1): visible
blemishes, tone evenness and lines weigh most; oiliness and radiance, which change with the
hour and the light, weigh least.

Severity of a condition from its (health) score: >= 65 none, >= 45 mild, >= 25 moderate,
else severe (none = the good and excellent bands).
"""

from __future__ import annotations

import math

from events.analyses import SCORE_NAMES, Severity

# Colour measures vary over a small range between faces (the two reference faces differ 2-3x):
# slope 2. Fine-detail and shine loads vary over a wide one (7-50x between a smooth young face on a
# soft photo and an elderly face on a grainy print): slope 1, so both ends stay on the scale.
SLOPES: dict[str, float] = {
    "redness": 2.0,
    "oiliness": 1.0,
    "pigmentation": 2.0,
    "texture": 1.0,
    "pores": 1.0,
    "acne": 1.0,
    "wrinkles": 1.0,
    "dark_circles": 2.0,
    "evenness": 2.0,
    "radiance": 2.0,
}
# Raw value scoring 50, in the units of measures.py.
MIDPOINTS: dict[str, float] = {
    "redness": 3.6,
    "oiliness": 0.54,
    "pigmentation": 1.4,
    "texture": 2.0,
    "pores": 1.0,
    "acne": 0.1,
    "wrinkles": 0.54,
    "dark_circles": 5.4,
    "evenness": 6.6,
    "radiance": 14.0,
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
BANDS: tuple[tuple[float, str], ...] = ((80.0, "excellent"), (65.0, "good"), (45.0, "average"))
SEVERITY_CUTS: tuple[tuple[float, Severity], ...] = ((65.0, "none"), (45.0, "mild"), (25.0, "moderate"))


def score(name: str, raw: float) -> float:
    """The 0-100 score of one raw measurement, rounded to 0.1."""
    ratio = max(raw, 0.0) / MIDPOINTS[name]
    return round(100.0 / (1.0 + math.pow(ratio, SLOPES[name])), 1)


def raw_for(name: str, value: float) -> float:
    """The raw measurement that scores `value` (0 < value <= 100): the curve's inverse."""
    return MIDPOINTS[name] * math.pow(100.0 / value - 1.0, 1.0 / SLOPES[name])


def band(value: float) -> str:
    """The band of a score."""
    for cut, label in BANDS:
        if value >= cut:
            return label
    return "poor"


def overall(scores: dict[str, float]) -> float:
    """Weighted mean of the ten scores."""
    return round(sum(WEIGHTS[n] * scores[n] for n in SCORE_NAMES), 1)


def severity(health: float) -> Severity:
    """Severity of a condition whose health score is `health`."""
    for cut, label in SEVERITY_CUTS:
        if health >= cut:
            return label
    return "severe"
