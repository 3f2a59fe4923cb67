"""Content part: the analysis's concerns (through knowledge/concerns) → products whose ingredients address them."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from consumers.recommendation.domain.index import CatalogIndex, FloatArray

# With no concern found (healthy skin) a routine still needs hydration, radiance and protection.
MAINTENANCE: Mapping[str, float] = {"dryness": 0.3, "dullness": 0.3, "pigmentation": 0.2, "wrinkles": 0.2}


def concern_vector(index: CatalogIndex, weights: Mapping[str, float]) -> FloatArray:
    """Concern weights in the index's concern order (maintenance weights when there are none)."""
    chosen = {c: w for c, w in weights.items() if w > 0} or MAINTENANCE
    return np.array([chosen.get(c, 0.0) for c in index.concerns], dtype=float)


def content_scores(index: CatalogIndex, weights: Mapping[str, float]) -> FloatArray:
    """How well each product addresses the weighted concerns, 0–1 (severity-weighted mean of its coverage)."""
    vector = concern_vector(index, weights)
    scores: FloatArray = index.concern_matrix @ vector / float(vector.sum())
    return scores


def matched_concerns(index: CatalogIndex, row: int, weights: Mapping[str, float], limit: int = 3) -> list[str]:
    """The user's concerns this product addresses most (by weight × coverage), strongest first."""
    vector = concern_vector(index, weights)
    contribution = index.concern_matrix[row] * vector
    order = np.argsort(-contribution, kind="stable")[:limit]
    return [index.concerns[i] for i in order if contribution[i] > 0.02]
