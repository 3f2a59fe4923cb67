"""The two documented scores of a discovered page, each in [0, 1], rounded to 4 places.

Quality — how complete and trustworthy the page's information is:
  products: name 0.20, price with currency 0.15, brand 0.10, an image 0.15, ingredients 0.20 (half for
  fewer than 3), description 0.05, structured data (JSON-LD Product) 0.10, served over https 0.05;
  articles and other pages: title 0.30, an image 0.20, description 0.20, at least 300 characters of
  text 0.20, https 0.10. Medical claims halve the score.
Similarity — how well the page fits this analysis and user:
  0.60 × concern coverage (the weight of the analysis's concerns whose words the page uses, over the
  weight of all of them; 0.5 when the analysis shows no concern), 0.15 × skin-type fit (1 if the page
  names the user's skin type or "all skin types" or the type is unknown/normal, 0.5 if it names none,
  0 if it names only other types), 0.15 × budget fit (1 inside the range or without a budget, 0.5 when
  the price or its currency is unknown or differs, 0 outside), 0.10 × brand fit (1 for a preferred brand or
  no preference, 0.5 otherwise).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from consumers.crawl.domain.concern_rules import match_terms
from consumers.crawl.domain.models import Concern, Preferences, ProductFacts

SKIN_TYPES = ("oily", "dry", "combination", "sensitive", "normal")


def quality_score(facts: ProductFacts, https: bool, text_length: int, medical_claims: bool) -> float:
    """The quality score (module doc)."""
    if facts.content_type == "product":
        ingredients = 0.20 if len(facts.ingredients) >= 3 else 0.10 if facts.ingredients else 0.0
        score = (
            0.20 * bool(facts.name)
            + 0.15 * (facts.price is not None and bool(facts.currency))
            + 0.10 * bool(facts.brand)
            + 0.15 * bool(facts.images)
            + ingredients
            + 0.05 * bool(facts.description)
            + 0.10 * facts.structured
            + 0.05 * https
        )
    else:
        score = (
            0.30 * bool(facts.name)
            + 0.20 * bool(facts.images)
            + 0.20 * bool(facts.description)
            + 0.20 * (text_length >= 300)
            + 0.10 * https
        )
    if medical_claims:
        score *= 0.5
    return round(min(1.0, score), 4)


def matched_concerns(text: str, concerns: Sequence[Concern]) -> tuple[str, ...]:
    """The concerns whose words appear in text."""
    lowered = text.lower()
    return tuple(c.name for c in concerns if any(term in lowered for term in match_terms(c.name)))


def _skin_type_fit(text: str, skin_type: str | None) -> float:
    if not skin_type or skin_type == "normal":
        return 1.0
    lowered = text.lower()
    if re.search(rf"\b{re.escape(skin_type)}\b", lowered) or "all skin types" in lowered:
        return 1.0
    named = [kind for kind in SKIN_TYPES if re.search(rf"\b{kind}(?:[- ]prone)?\s+skin", lowered)]
    return 0.0 if named else 0.5


def _budget_fit(facts: ProductFacts, prefs: Preferences) -> float:
    if prefs.price_min is None and prefs.price_max is None:
        return 1.0
    if facts.price is None or (prefs.currency and facts.currency and prefs.currency.upper() != facts.currency):
        return 0.5
    if prefs.price_min is not None and facts.price < prefs.price_min:
        return 0.0
    if prefs.price_max is not None and facts.price > prefs.price_max:
        return 0.0
    return 1.0


def _brand_fit(facts: ProductFacts, prefs: Preferences) -> float:
    if not prefs.preferred_brands:
        return 1.0
    brand = (facts.brand or "").lower()
    return 1.0 if brand and any(b.lower() in brand or brand in b.lower() for b in prefs.preferred_brands) else 0.5


def similarity_score(
    facts: ProductFacts, text: str, concerns: Sequence[Concern], skin_type: str | None, prefs: Preferences
) -> float:
    """The similarity score (module doc)."""
    if concerns:
        hit = set(matched_concerns(text, concerns))
        coverage = sum(c.weight for c in concerns if c.name in hit) / sum(c.weight for c in concerns)
    else:
        coverage = 0.5
    score = (
        0.60 * coverage
        + 0.15 * _skin_type_fit(text, skin_type)
        + 0.15 * _budget_fit(facts, prefs)
        + 0.10 * _brand_fit(facts, prefs)
    )
    return round(min(1.0, score), 4)
