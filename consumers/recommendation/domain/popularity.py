"""Popularity part and trending: time-decayed feedback and purchases, blended with the catalog's rating prior."""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from consumers.recommendation.domain.collaborative import Interaction
from consumers.recommendation.domain.index import CatalogIndex, FloatArray

# Only positive intent makes a product trend; purchases count most.
TREND_WEIGHTS: Mapping[str, float] = {"view": 0.2, "like": 1.0, "save": 1.0, "purchase": 3.0}
TIME_PERIODS: Mapping[str, timedelta] = {
    "day": timedelta(days=1),
    "week": timedelta(days=7),
    "month": timedelta(days=30),
}


@dataclass(frozen=True)
class Trend:
    """A product's trend score (decayed weighted events) and how many events made it."""

    product_id: uuid.UUID
    score: float
    events: int


def decay(age: timedelta, half_life: timedelta) -> float:
    """exp(-ln 2 · age / half-life): an event one half-life old counts half; future-dated events count fully."""
    return math.exp(-math.log(2) * max(0.0, age.total_seconds()) / half_life.total_seconds())


def trending(
    events: Iterable[Interaction], now: datetime, period: str = "week", allowed: Iterable[uuid.UUID] | None = None
) -> list[Trend]:
    """Products by decayed engagement over the period (half-life = period / 2), best first, ties by id."""
    window = TIME_PERIODS[period]
    half_life = window / 2
    keep = set(allowed) if allowed is not None else None
    totals: dict[uuid.UUID, tuple[float, int]] = {}
    for event in events:
        weight = TREND_WEIGHTS.get(event.kind, 0.0)
        if weight == 0 or now - event.at > window or (keep is not None and event.product_id not in keep):
            continue
        score, count = totals.get(event.product_id, (0.0, 0))
        totals[event.product_id] = (score + weight * decay(now - event.at, half_life), count + 1)
    ranked = [Trend(pid, round(s, 6), n) for pid, (s, n) in totals.items()]
    return sorted(ranked, key=lambda t: (-t.score, str(t.product_id)))


def popularity_scores(index: CatalogIndex, trends: Iterable[Trend], trend_share: float = 0.5) -> FloatArray:
    """Per product 0–1: the rating prior blended with recent trend (trend scaled so the top product is 1)."""
    trend = np.zeros(len(index.ids))
    position = index.position
    for t in trends:
        row = position.get(t.product_id)
        if row is not None:
            trend[row] = t.score
    top = float(trend.max(initial=0.0))
    if top <= 0:
        return index.prior
    result: FloatArray = (1 - trend_share) * index.prior + trend_share * trend / top
    return result
