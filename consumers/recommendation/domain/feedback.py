"""What a user's feedback tells us, as the `updated_preferences` a feedback answer reports."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from consumers.recommendation.domain.collaborative import Interaction
from consumers.recommendation.domain.index import CatalogIndex
from consumers.recommendation.domain.recommend import DISMISSIVE

POSITIVE = frozenset({"like", "save", "purchase"})
SHARED_DISLIKES = 2  # an ingredient in this many dismissed products and no liked one is worth naming


@dataclass(frozen=True)
class LearnedPreferences:
    """Signals inferred from feedback (the stated preferences stay the user's own to change)."""

    liked_products: int
    dismissed_products: int
    favoured_brands: tuple[str, ...]
    ingredients_seemingly_disliked: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        """The JSON object an API answer carries."""
        return {
            "liked_products": self.liked_products,
            "dismissed_products": self.dismissed_products,
            "favoured_brands": list(self.favoured_brands),
            "ingredients_seemingly_disliked": list(self.ingredients_seemingly_disliked),
        }


def learned_preferences(history: Sequence[Interaction], index: CatalogIndex) -> LearnedPreferences:
    """Liked and dismissed products, brands liked more than once, ingredients common to dismissed products only."""
    position = index.position
    liked = {position[e.product_id] for e in history if e.kind in POSITIVE and e.product_id in position}
    dismissed = {position[e.product_id] for e in history if e.kind in DISMISSIVE and e.product_id in position}
    dismissed -= liked
    brands = Counter(index.products[r].brand for r in liked if index.products[r].brand)
    liked_ingredients = {n for r in liked for n in index.products[r].ingredients}
    disliked = Counter(n for r in dismissed for n in set(index.products[r].ingredients) - liked_ingredients)
    return LearnedPreferences(
        liked_products=len(liked),
        dismissed_products=len(dismissed),
        favoured_brands=tuple(sorted(b for b, n in brands.items() if b and n >= 2)),
        ingredients_seemingly_disliked=tuple(sorted(n for n, c in disliked.items() if c >= SHARED_DISLIKES)),
    )
