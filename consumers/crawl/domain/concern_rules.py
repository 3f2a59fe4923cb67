"""Which skin concerns an analysis shows, and the words that find and recognise products for each.

Concerns and their weights come from `knowledge/concerns.py` (the documented metric → concern bands: a
metric below its "mild" threshold evidences its concern, weighted by how far below; skin-type
probabilities add dryness, sensitivity, oiliness). Findings the analysis lists with a severity above "none"
count too, at least with MIN_WEIGHT (their engine names are mapped onto the knowledge names). Any object with
a `concerns(profile)` method (ConcernSource) can replace this source.
"""

from __future__ import annotations

from typing import Protocol

from consumers.crawl.domain.models import AnalysisProfile, Concern
from knowledge.concerns import concerns_from_analysis

# The analysis engine's condition types that the knowledge base names differently.
CONDITION_ALIASES: dict[str, str] = {
    "enlarged_pores": "pores",
    "hyperpigmentation": "pigmentation",
    "uneven_texture": "texture",
}
# The phrase a query uses for a concern, then words that show a page addresses it (ingredients included).
SEARCH_PHRASES: dict[str, str] = {
    "acne": "acne blemish",
    "oiliness": "oily skin oil control",
    "pores": "pores",
    "redness": "redness calming",
    "pigmentation": "dark spots pigmentation",
    "uneven_tone": "uneven tone brightening",
    "wrinkles": "wrinkles fine lines",
    "texture": "texture smoothing exfoliant",
    "dark_circles": "dark circles eye cream",
    "dullness": "dull skin radiance",
    "dryness": "dry skin hydration",
    "sensitivity": "sensitive skin soothing",
}
MATCH_TERMS: dict[str, tuple[str, ...]] = {
    "acne": ("acne", "blemish", "breakout", "salicylic", "benzoyl", "pimple"),
    "oiliness": ("oily", "oil control", "sebum", "shine", "mattif", "niacinamide"),
    "pores": ("pore", "niacinamide", "bha", "salicylic"),
    "redness": ("redness", "calming", "soothing", "centella", "cica"),
    "pigmentation": ("pigmentation", "dark spot", "vitamin c", "brightening", "spf", "sunscreen"),
    "uneven_tone": ("uneven", "even tone", "brightening", "vitamin c", "tone"),
    "wrinkles": ("wrinkle", "fine line", "retinol", "retinoid", "peptide", "anti-aging", "bakuchiol"),
    "texture": ("texture", "smooth", "exfoliat", "aha", "glycolic", "retinol"),
    "dark_circles": ("dark circle", "under-eye", "eye cream", "caffeine", "puffiness"),
    "dullness": ("dull", "radiance", "radiant", "glow", "vitamin c"),
    "dryness": ("dry", "hydrat", "hyaluronic", "ceramide", "moisturi", "dehydrated"),
    "sensitivity": ("sensitive", "soothing", "calming", "fragrance free", "barrier"),
}
MIN_WEIGHT = 0.1


class ConcernSource(Protocol):
    """Anything that turns an analysis into weighted concerns, worst first."""

    def concerns(self, profile: AnalysisProfile) -> list[Concern]: ...


def _concern(name: str, weight: float) -> Concern:
    phrase = SEARCH_PHRASES.get(name, name.replace("_", " "))
    return Concern(name=name, weight=round(max(MIN_WEIGHT, min(1.0, weight)), 4), terms=(phrase,))


class KnowledgeConcerns:
    """knowledge/concerns.py's bands plus the analysis's own findings, as a ConcernSource."""

    def concerns(self, profile: AnalysisProfile) -> list[Concern]:
        """Concerns of profile, worst first (ties by name, so the order is deterministic)."""
        graded = concerns_from_analysis(profile.scores, profile.skin_type_probabilities or None)
        found = {c.name: c.weight for c in graded}
        for condition in profile.conditions:
            found.setdefault(CONDITION_ALIASES.get(condition, condition), MIN_WEIGHT)
        ranked = sorted(found.items(), key=lambda item: (-max(MIN_WEIGHT, item[1]), item[0]))
        return [_concern(name, weight) for name, weight in ranked]


def match_terms(concern: str) -> tuple[str, ...]:
    """Words whose presence on a page shows it addresses concern."""
    return MATCH_TERMS.get(concern, (concern.replace("_", " "),))
