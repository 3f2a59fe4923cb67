"""Which skin concerns an analysis shows, and the words that find and recognise products for each.

A concern is present when its metric's health score (0–100, higher is healthier) falls below the threshold
in THRESHOLDS, or when the analysis lists a finding of that type with a severity above "none". Its weight is
how far below the threshold the score is, as a fraction of the threshold (at least 0.1 when present), so the
worst concerns come first. `knowledge/concerns.py` is meant to own these thresholds; until the lead wires it,
any object with a `concerns(scores, conditions)` method (ConcernSource) can replace the table here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from consumers.crawl.domain.models import Concern

# concern -> (metric it is read from, threshold below which it is a concern)
THRESHOLDS: dict[str, tuple[str, float]] = {
    "acne": ("acne", 70.0),
    "oiliness": ("oiliness", 60.0),
    "enlarged_pores": ("pores", 60.0),
    "redness": ("redness", 65.0),
    "hyperpigmentation": ("pigmentation", 65.0),
    "uneven_tone": ("evenness", 60.0),
    "wrinkles": ("wrinkles", 65.0),
    "uneven_texture": ("texture", 60.0),
    "dark_circles": ("dark_circles", 60.0),
    "dullness": ("radiance", 55.0),
}
# The phrase a query uses for a concern, then words that show a page addresses it (ingredients included).
SEARCH_PHRASES: dict[str, str] = {
    "acne": "acne blemish",
    "oiliness": "oily skin oil control",
    "enlarged_pores": "pores",
    "redness": "redness calming",
    "hyperpigmentation": "dark spots pigmentation",
    "uneven_tone": "uneven tone brightening",
    "wrinkles": "wrinkles fine lines",
    "uneven_texture": "texture smoothing exfoliant",
    "dark_circles": "dark circles eye cream",
    "dullness": "dull skin radiance",
    "dryness": "dry skin hydration",
}
MATCH_TERMS: dict[str, tuple[str, ...]] = {
    "acne": ("acne", "blemish", "breakout", "salicylic", "benzoyl", "pimple"),
    "oiliness": ("oily", "oil control", "sebum", "shine", "mattif", "niacinamide"),
    "enlarged_pores": ("pore", "niacinamide", "bha", "salicylic"),
    "redness": ("redness", "calming", "soothing", "centella", "cica", "sensitive"),
    "hyperpigmentation": ("pigmentation", "dark spot", "vitamin c", "brightening", "spf", "sunscreen"),
    "uneven_tone": ("uneven", "even tone", "brightening", "vitamin c", "tone"),
    "wrinkles": ("wrinkle", "fine line", "retinol", "retinoid", "peptide", "anti-aging", "bakuchiol"),
    "uneven_texture": ("texture", "smooth", "exfoliat", "aha", "glycolic", "retinol"),
    "dark_circles": ("dark circle", "under-eye", "eye cream", "caffeine", "puffiness"),
    "dullness": ("dull", "radiance", "radiant", "glow", "vitamin c"),
    "dryness": ("dry", "hydrat", "hyaluronic", "ceramide", "moisturi", "dehydrated"),
}
MIN_WEIGHT = 0.1


class ConcernSource(Protocol):
    """Anything that turns scores and findings into weighted concerns (e.g. knowledge/concerns.py)."""

    def concerns(self, scores: Mapping[str, float], conditions: Sequence[str]) -> list[Concern]: ...


def _concern(name: str, weight: float) -> Concern:
    phrase = SEARCH_PHRASES.get(name, name.replace("_", " "))
    return Concern(name=name, weight=round(max(MIN_WEIGHT, min(1.0, weight)), 4), terms=(phrase,))


class ThresholdConcerns:
    """The documented threshold table above as a ConcernSource."""

    def __init__(self, thresholds: Mapping[str, tuple[str, float]] = THRESHOLDS) -> None:
        self.thresholds = dict(thresholds)

    def concerns(self, scores: Mapping[str, float], conditions: Sequence[str]) -> list[Concern]:
        """Concerns below threshold or listed as findings, worst first (ties by name, so deterministic)."""
        found: dict[str, float] = {}
        for name, (metric, threshold) in self.thresholds.items():
            score = scores.get(metric)
            if score is not None and score < threshold:
                found[name] = (threshold - score) / threshold
        for condition in conditions:
            found.setdefault(condition, MIN_WEIGHT)
        ranked = sorted(found.items(), key=lambda item: (-max(MIN_WEIGHT, item[1]), item[0]))
        return [_concern(name, weight) for name, weight in ranked]


def match_terms(concern: str) -> tuple[str, ...]:
    """Words whose presence on a page shows it addresses concern."""
    return MATCH_TERMS.get(concern, (concern.replace("_", " "),))
