"""The blend: content, collaborative, popularity and rules into one score, with each part's contribution kept."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from consumers.recommendation.domain.index import FloatArray


@dataclass(frozen=True)
class Weights:
    """How much each learned part counts (rules add their adjustment directly)."""

    content: float
    collaborative: float
    popularity: float

    def without_history(self) -> Weights:
        """Cold start: the collaborative share goes to content and popularity in proportion."""
        rest = self.content + self.popularity
        scale = (rest + self.collaborative) / rest
        return Weights(self.content * scale, 0.0, self.popularity * scale)


VARIANTS: Mapping[str, Weights] = {
    "hybrid": Weights(content=0.6, collaborative=0.25, popularity=0.15),
    "hybrid-collab": Weights(content=0.45, collaborative=0.4, popularity=0.15),
}


@dataclass(frozen=True)
class Parts:
    """Each part's weighted contribution per product, and their sum clipped to 0–1."""

    content: FloatArray
    collaborative: FloatArray
    popularity: FloatArray
    rules: FloatArray

    @property
    def total(self) -> FloatArray:
        """The blended score per product, 0–1."""
        score: FloatArray = np.clip(self.content + self.collaborative + self.popularity + self.rules, 0.0, 1.0)
        return score

    def of(self, row: int) -> dict[str, float]:
        """One product's contributions, rounded for display."""
        return {
            name: round(float(getattr(self, name)[row]), 4)
            for name in ("content", "collaborative", "popularity", "rules")
        }


def blend(
    weights: Weights,
    content: FloatArray,
    collaborative: FloatArray,
    popularity: FloatArray,
    rules: FloatArray,
    has_history: bool,
) -> Parts:
    """Weighted parts (collaborative dropped, and its share moved, when the user has no history)."""
    used = weights if has_history else weights.without_history()
    return Parts(used.content * content, used.collaborative * collaborative, used.popularity * popularity, rules)
