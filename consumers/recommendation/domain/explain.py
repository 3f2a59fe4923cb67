"""Plain-language reasons: which concerns a product addresses with which ingredients, and what else lifted it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from consumers.recommendation.domain.index import CatalogIndex
from knowledge.concerns import LABELS


def _join(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def reason(
    index: CatalogIndex,
    row: int,
    matched: Sequence[str],
    contributions: Mapping[str, float],
    skin_type: str | None,
    preferred_brand: bool,
    allergies: Sequence[str],
) -> str:
    """One or two sentences a person understands, built from what actually contributed to this product's score."""
    product = index.products[row]
    parts: list[str] = []
    if matched:
        actives = list(dict.fromkeys(index.evidence[row][c] for c in matched if c in index.evidence[row]))
        parts.append(f"targets your {_join([LABELS.get(c, c) for c in matched])} with {_join(actives)}")
    if skin_type and skin_type in index.skin_types and index.favours[row, index.skin_types.index(skin_type)]:
        parts.append(f"suits {skin_type} skin")
    if contributions.get("collaborative", 0) > 0.05:
        parts.append("people with choices like yours liked it")
    if contributions.get("popularity", 0) > 0.08 and product.rating is not None:
        parts.append(f"rated {product.rating}/5 by {product.review_count} reviewers")
    if preferred_brand:
        parts.append(f"from {product.brand}, a brand you like")
    if allergies:
        parts.append(f"free of your allergens ({_join(list(allergies))})")
    if not parts:
        parts.append("a well-rated everyday step for your routine")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."
