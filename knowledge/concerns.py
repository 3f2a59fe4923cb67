"""Analysis scores → skin concerns with a severity, through documented thresholds.

The analysis reports ten 0–100 scores where higher is healthier, plus skin-type probabilities. Like Haut.AI's
PRS ("Perfect-skin Recommendation Score") 2.0, which maps each measured metric to the concern it evidences and
grades it by how far the score falls below a healthy band, each metric here maps to one concern and four bands:

| metric        | concern       | mild below | moderate below | severe below |
|---------------|---------------|-----------:|---------------:|-------------:|
| acne          | acne          | 75 | 55 | 35 |
| redness       | redness       | 70 | 50 | 30 |
| pigmentation  | pigmentation  | 70 | 50 | 30 |
| evenness      | uneven_tone   | 65 | 45 | 25 |
| wrinkles      | wrinkles      | 70 | 50 | 30 |
| pores         | pores         | 65 | 45 | 25 |
| oiliness      | oiliness      | 65 | 45 | 25 |
| texture       | texture       | 65 | 45 | 25 |
| dark_circles  | dark_circles  | 65 | 45 | 25 |
| radiance      | dullness      | 60 | 40 | 20 |

Acne's bands sit higher because even a few active lesions matter to a person; radiance's lower because a dull
reading is the least specific. Skin-type probabilities add concerns of their own: P(dry) → dryness,
P(sensitive) → sensitivity, P(oily) → oiliness, graded mild ≥ 0.35, moderate ≥ 0.5, severe ≥ 0.7.

The weight of a concern is continuous in [0, 1]: 0 at the mild threshold, 1 at a score of 0 (or probability 1),
so two users graded "moderate" still differ by how far they are from healthy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Severity = Literal["none", "mild", "moderate", "severe"]
SEVERITY_RANK: Mapping[str, int] = {"none": 0, "mild": 1, "moderate": 2, "severe": 3}


@dataclass(frozen=True)
class Band:
    """A metric's concern and the health-score thresholds below which it is mild, moderate or severe."""

    concern: str
    mild: float
    moderate: float
    severe: float


METRIC_BANDS: Mapping[str, Band] = {
    "acne": Band("acne", 75, 55, 35),
    "redness": Band("redness", 70, 50, 30),
    "pigmentation": Band("pigmentation", 70, 50, 30),
    "evenness": Band("uneven_tone", 65, 45, 25),
    "wrinkles": Band("wrinkles", 70, 50, 30),
    "pores": Band("pores", 65, 45, 25),
    "oiliness": Band("oiliness", 65, 45, 25),
    "texture": Band("texture", 65, 45, 25),
    "dark_circles": Band("dark_circles", 65, 45, 25),
    "radiance": Band("dullness", 60, 40, 20),
}
SKIN_TYPE_CONCERNS: Mapping[str, str] = {"dry": "dryness", "sensitive": "sensitivity", "oily": "oiliness"}
PROBABILITY_BANDS = (0.35, 0.5, 0.7)  # mild, moderate, severe

LABELS: Mapping[str, str] = {
    "acne": "breakouts",
    "redness": "redness",
    "pigmentation": "dark spots",
    "uneven_tone": "uneven tone",
    "wrinkles": "fine lines",
    "pores": "visible pores",
    "oiliness": "oiliness",
    "texture": "rough texture",
    "dark_circles": "dark circles",
    "dullness": "dullness",
    "dryness": "dryness",
    "sensitivity": "sensitivity",
}


@dataclass(frozen=True)
class Concern:
    """A concern the analysis evidences: its severity band, a 0–1 weight, and the evidence (metric, value)."""

    name: str
    severity: Severity
    weight: float
    metric: str
    value: float

    @property
    def label(self) -> str:
        """Plain words for the concern ("dark spots")."""
        return LABELS.get(self.name, self.name.replace("_", " "))


def grade_score(metric: str, score: float) -> Concern | None:
    """The concern a health score evidences, or None when it is inside the healthy band or not a known metric."""
    band = METRIC_BANDS.get(metric)
    if band is None or score >= band.mild:
        return None
    severity: Severity = "severe" if score < band.severe else "moderate" if score < band.moderate else "mild"
    weight = min(1.0, max(0.0, (band.mild - score) / band.mild))
    return Concern(band.concern, severity, round(weight, 4), metric, score)


def grade_probability(skin_type: str, probability: float) -> Concern | None:
    """The concern a skin-type probability evidences, or None below the mild band."""
    concern = SKIN_TYPE_CONCERNS.get(skin_type)
    mild, moderate, severe = PROBABILITY_BANDS
    if concern is None or probability < mild:
        return None
    level: Severity = "severe" if probability >= severe else "moderate" if probability >= moderate else "mild"
    weight = min(1.0, (probability - mild) / (1 - mild) * 0.8 + 0.2)
    return Concern(concern, level, round(weight, 4), f"skin_type.{skin_type}", probability)


def concerns_from_analysis(
    scores: Mapping[str, float], skin_type: Mapping[str, float] | None = None
) -> tuple[Concern, ...]:
    """Every concern the scores and skin-type probabilities evidence, strongest first, one per concern name."""
    found = [c for m, s in scores.items() if (c := grade_score(m, s)) is not None]
    found += [c for t, p in (skin_type or {}).items() if (c := grade_probability(t, p)) is not None]
    best: dict[str, Concern] = {}
    for concern in found:
        if concern.name not in best or concern.weight > best[concern.name].weight:
            best[concern.name] = concern
    return tuple(sorted(best.values(), key=lambda c: (-c.weight, c.name)))


def concern_weights(concerns: tuple[Concern, ...]) -> dict[str, float]:
    """Concern name → weight, the form the recommender and discovery query generation consume."""
    return {c.name: c.weight for c in concerns}
