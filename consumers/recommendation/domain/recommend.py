"""One recommendation: an analysis's scores and a user's preferences and feedback → ranked, explained products
and a conflict-free routine. Pure and deterministic; the heavy lifting is precomputed in the CatalogIndex."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from consumers.recommendation.domain import content, explain, routine, rules
from consumers.recommendation.domain.blend import VARIANTS, Parts, blend
from consumers.recommendation.domain.collaborative import Interaction, ItemModel, user_history
from consumers.recommendation.domain.index import CatalogIndex, FloatArray
from knowledge.base import KnowledgeBase
from knowledge.concerns import Concern, concern_weights, concerns_from_analysis
from knowledge.names import key
from knowledge.taxonomy import routine_step

RECOMMENDATION_NS = uuid.UUID("5b8e7c1a-2f4d-4c3b-9e6a-7d1f0a2b3c4d")
DISMISSIVE = frozenset({"dislike", "not_interested"})
ROUTINE_POOL = 300  # candidates the routine builder may pick from


@dataclass(frozen=True)
class Request:
    """Everything one recommendation depends on (nothing else is read)."""

    analysis_id: uuid.UUID
    user_id: str
    scores: Mapping[str, float]
    skin_type_probabilities: Mapping[str, float] = field(default_factory=dict)
    preferences: rules.Preferences = field(default_factory=rules.Preferences)
    filters: rules.Filters = field(default_factory=rules.Filters)
    history: Sequence[Interaction] = ()
    limit: int = 10
    offset: int = 0


@dataclass(frozen=True)
class Item:
    """One recommended product with its score, the contribution of each part, its reason and routine step."""

    recommendation_id: uuid.UUID
    product_id: uuid.UUID
    rank: int
    score: float
    contributions: Mapping[str, float]
    matched_concerns: tuple[str, ...]
    reason: str
    routine_step: str | None


@dataclass(frozen=True)
class Recommendations:
    """A page of ranked items, the routine, the concerns they answer, and what the filters excluded."""

    items: tuple[Item, ...]
    routine: tuple[Item, ...]
    total_count: int
    concerns: tuple[Concern, ...]
    skin_type: str | None
    variant: str
    recommendation_score: float
    excluded: Mapping[str, int]


def recommendation_id(analysis_id: uuid.UUID, product_id: uuid.UUID) -> uuid.UUID:
    """Stable per analysis and product, so regenerating the same recommendations keeps their ids."""
    return uuid.uuid5(RECOMMENDATION_NS, f"{analysis_id}/{product_id}")


def _skin_type(request: Request) -> str | None:
    if request.preferences.skin_type:
        return request.preferences.skin_type
    probabilities = request.skin_type_probabilities
    return max(sorted(probabilities), key=lambda t: probabilities[t]) if probabilities else None


def _item(
    index: CatalogIndex,
    kb: KnowledgeBase,
    request: Request,
    parts: Parts,
    row: int,
    rank: int,
    weights: Mapping[str, float],
    skin_type: str | None,
) -> Item:
    contributions = parts.of(row)
    matched = content.matched_concerns(index, row, weights)
    liked = {key(b) for b in request.preferences.preferred_brands}
    text = explain.reason(
        index, row, matched, contributions, skin_type, index.brands[row] in liked, request.preferences.allergies
    )
    pid = index.ids[row]
    return Item(
        recommendation_id(request.analysis_id, pid),
        pid,
        rank,
        round(float(parts.total[row]), 4),
        contributions,
        tuple(matched),
        text,
        routine_step(index.categories[row]),
    )


def _ranked(total: FloatArray, allowed: np.ndarray) -> np.ndarray:
    """Allowed rows by score, best first; ties keep catalog order (a stable sort), so output is deterministic."""
    rows = np.flatnonzero(allowed)
    return rows[np.argsort(-total[rows], kind="stable")]


def recommend(
    index: CatalogIndex,
    kb: KnowledgeBase,
    request: Request,
    *,
    model: ItemModel | None,
    popularity: FloatArray,
    variant: str = "hybrid",
) -> Recommendations:
    """Rank the catalog for one analysis and user, explain the page asked for, and build a routine."""
    concerns = concerns_from_analysis(request.scores, request.skin_type_probabilities)
    weights, skin_type = concern_weights(concerns), _skin_type(request)
    position = index.position
    history = user_history(request.history, position)
    dismissed = {position[e.product_id] for e in request.history if e.kind in DISMISSIVE and e.product_id in position}
    allowed, excluded = rules.hard_filters(index, kb, request.preferences, request.filters, dismissed)
    collaborative = model.scores(history) if model is not None else np.zeros(len(index.ids))
    parts = blend(
        VARIANTS[variant],
        content.content_scores(index, weights),
        collaborative,
        popularity,
        rules.adjustments(index, kb, request.preferences, skin_type, weights),
        has_history=bool(history),
    )
    ranked = _ranked(parts.total, allowed)
    page = ranked[request.offset : request.offset + request.limit]
    items = tuple(
        _item(index, kb, request, parts, int(r), request.offset + i + 1, weights, skin_type) for i, r in enumerate(page)
    )
    chosen = routine.build_routine(index, kb, [int(r) for r in ranked[:ROUTINE_POOL]])
    rank_of = {int(r): i + 1 for i, r in enumerate(ranked[:ROUTINE_POOL])}
    steps = tuple(_item(index, kb, request, parts, r, rank_of[r], weights, skin_type) for r in chosen)
    confidence = float(np.mean([i.score for i in items])) if items else 0.0
    return Recommendations(items, steps, len(ranked), concerns, skin_type, variant, round(confidence, 4), excluded)
