"""Knowledge rules: hard filters (allergens, disliked ingredients, stock, budget, brand, category, EU prohibitions)
and soft adjustments (skin-type fit, comedogenic ingredients for acne-prone skin, fragrance on sensitive skin)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from consumers.recommendation.domain.index import BoolArray, CatalogIndex, FloatArray
from knowledge.base import KnowledgeBase
from knowledge.names import key

PREFERRED_BRAND, SKIN_TYPE_AVOID, SKIN_TYPE_FAVOURS, COMEDOGENIC, FRAGRANCE_SENSITIVE = 0.08, -0.15, 0.04, -0.1, -0.1
COMEDOGENIC_LIMIT = 3  # Fulton's scale: 3 and above is moderately to highly comedogenic


@dataclass(frozen=True)
class Preferences:
    """What the user told us (from the users read model): allergies, dislikes, brands and budget."""

    skin_type: str | None = None
    allergies: tuple[str, ...] = ()
    disliked_ingredients: tuple[str, ...] = ()
    preferred_brands: tuple[str, ...] = ()
    price_min: float | None = None
    price_max: float | None = None


@dataclass(frozen=True)
class Filters:
    """A request's filters (GET /recommendations/{id}): category, price range, brand."""

    category: str | None = None
    price_min: float | None = None
    price_max: float | None = None
    brand: str | None = None


@dataclass(frozen=True)
class RuleOutcome:
    """Which products may be shown, the rules' score adjustment per product, and why others were excluded."""

    allowed: BoolArray
    adjustment: FloatArray
    excluded: Mapping[str, int] = field(default_factory=dict)


def _excluding(reasons: dict[str, int], allowed: BoolArray, reason: str, drop: BoolArray) -> None:
    """Remove `drop` from `allowed` in place, counting the products this rule removed first."""
    newly = allowed & drop
    if newly.any():
        reasons[reason] = int(newly.sum())
    allowed &= ~drop


def _range(values: FloatArray, low: float | None, high: float | None) -> BoolArray:
    inside = np.ones(len(values), dtype=bool)
    if low is not None:
        inside &= values >= low
    if high is not None:
        inside &= values <= high
    return inside


def hard_filters(
    index: CatalogIndex, kb: KnowledgeBase, prefs: Preferences, filters: Filters, excluded_rows: Iterable[int] = ()
) -> tuple[BoolArray, dict[str, int]]:
    """Products that may be shown at all, and how many each rule removed."""
    allowed, reasons = np.ones(len(index.ids), dtype=bool), dict[str, int]()
    _excluding(reasons, allowed, "out_of_stock", ~index.in_stock)
    _excluding(reasons, allowed, "eu_prohibited_ingredient", index.prohibited)
    allergens = frozenset().union(*(kb.allergen_keys(a) for a in prefs.allergies))
    _excluding(reasons, allowed, "allergen", index.rows_with(allergens))
    disliked = frozenset().union(*(kb.allergen_keys(d) for d in prefs.disliked_ingredients))
    _excluding(reasons, allowed, "disliked_ingredient", index.rows_with(disliked))
    _excluding(reasons, allowed, "outside_budget", ~_range(index.price, prefs.price_min, prefs.price_max))
    _excluding(reasons, allowed, "price_filter", ~_range(index.price, filters.price_min, filters.price_max))
    if filters.category:
        _excluding(reasons, allowed, "category_filter", np.array([c != filters.category for c in index.categories]))
    if filters.brand:
        wanted = key(filters.brand)
        _excluding(reasons, allowed, "brand_filter", np.array([b != wanted for b in index.brands]))
    seen = np.zeros(len(index.ids), dtype=bool)
    seen[list(excluded_rows)] = True
    _excluding(reasons, allowed, "dismissed_by_user", seen)
    return allowed, reasons


def adjustments(
    index: CatalogIndex, kb: KnowledgeBase, prefs: Preferences, skin_type: str | None, concerns: Mapping[str, float]
) -> FloatArray:
    """The rules' part of each score: brand preference, skin-type fit, comedogenic and fragrance cautions."""
    adjustment = np.zeros(len(index.ids))
    if prefs.preferred_brands:
        liked = {key(b) for b in prefs.preferred_brands}
        adjustment += PREFERRED_BRAND * np.array([b in liked for b in index.brands])
    if skin_type in index.skin_types:
        column = index.skin_types.index(skin_type)
        adjustment += SKIN_TYPE_AVOID * index.avoid[:, column] + SKIN_TYPE_FAVOURS * index.favours[:, column]
    if concerns.get("acne", 0) > 0 or concerns.get("pores", 0) > 0 or skin_type == "oily":
        adjustment += COMEDOGENIC * (index.comedogenic >= COMEDOGENIC_LIMIT)
    if skin_type == "sensitive" or concerns.get("sensitivity", 0) > 0:
        adjustment += FRAGRANCE_SENSITIVE * index.rows_with(kb.allergen_keys("fragrance"))
    return adjustment
