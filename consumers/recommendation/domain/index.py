"""A catalog precomputed for fast recommending: per-product concern vectors, masks and lookups as numpy arrays."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from events.catalog import Product
from knowledge.base import KnowledgeBase
from knowledge.names import key
from knowledge.regulatory import is_prohibited

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
_prohibited = cache(is_prohibited)  # names repeat across a catalog; the annex look-up is per name
# Later ingredients are present in smaller amounts; an active near the end still counts for half.
POSITION_DECAY, POSITION_FLOOR = 0.04, 0.5


@dataclass(frozen=True)
class CatalogIndex:
    """Row i of every array describes product `ids[i]`."""

    ids: tuple[uuid.UUID, ...]
    products: tuple[Product, ...]
    concerns: tuple[str, ...]
    skin_types: tuple[str, ...]
    concern_matrix: FloatArray  # (products, concerns): how strongly each product addresses each concern, 0–1
    avoid: BoolArray  # (products, skin types): contains an ingredient to avoid for that skin type
    favours: BoolArray  # (products, skin types): contains an ingredient that favours it
    comedogenic: FloatArray  # highest comedogenic rating among its ingredients, 0–5
    in_stock: BoolArray
    prohibited: BoolArray  # an ingredient is prohibited by an unconditional EU Annex II entry
    price: FloatArray
    prior: FloatArray  # popularity prior from ratings and review counts, 0–1
    categories: tuple[str | None, ...]
    brands: tuple[str, ...]  # comparison keys
    by_ingredient: Mapping[str, IntArray]  # ingredient key → rows containing it
    tags: tuple[frozenset[str], ...]  # conflict tags per product
    evidence: tuple[Mapping[str, str], ...]  # per product: concern → the ingredient that addresses it most
    position: Mapping[uuid.UUID, int]  # product id → row

    def rows_with(self, ingredient_keys: frozenset[str]) -> BoolArray:
        """Which products contain any of these ingredients."""
        mask = np.zeros(len(self.ids), dtype=bool)
        for k in ingredient_keys:
            rows = self.by_ingredient.get(k)
            if rows is not None:
                mask[rows] = True
        return mask


def _prior(products: Sequence[Product]) -> FloatArray:
    """Bayesian-average rating scaled by review volume: a 4.8 with 3 reviews ranks below a 4.5 with 800."""
    ratings = np.array([float(p.rating) if p.rating is not None else 0.0 for p in products])
    counts = np.array([float(p.review_count) if p.rating is not None else 0.0 for p in products])
    mean = float(ratings[counts > 0].mean()) if (counts > 0).any() else 3.5
    shrunk = (ratings * counts + mean * 20) / (counts + 20)
    volume = np.log1p(counts) / max(1.0, float(np.log1p(counts).max(initial=1.0)))
    score: FloatArray = np.clip((shrunk - 1) / 4 * 0.6 + volume * 0.4, 0.0, 1.0)
    return score


def _product_row(
    product: Product, kb: KnowledgeBase, concern_pos: Mapping[str, int], n_types: int, type_pos: Mapping[str, int]
) -> tuple[FloatArray, BoolArray, BoolArray, float, dict[str, str], list[str]]:
    miss = np.ones(len(concern_pos))  # noisy-or: 1 - Π(1 - strength) gives diminishing returns for more actives
    best: dict[str, tuple[float, str]] = {}
    avoid, favours = np.zeros(n_types, dtype=bool), np.zeros(n_types, dtype=bool)
    comedogenic, keys = 0.0, []
    for position, name in enumerate(product.ingredients):
        found = kb.get(name)
        keys.append(found.key if found else key(name))
        if found is None:
            continue
        weight = max(POSITION_FLOOR, 1 - POSITION_DECAY * position)
        for concern, strength in found.addresses.items():
            miss[concern_pos[concern]] *= 1 - strength * weight
            if strength * weight > best.get(concern, (0.0, ""))[0]:
                best[concern] = (strength * weight, found.inci)
        avoid[[type_pos[t] for t in found.avoid_for]] = True
        favours[[type_pos[t] for t in found.favours]] = True
        comedogenic = max(comedogenic, float(found.comedogenic))
    return 1 - miss, avoid, favours, comedogenic, {c: n for c, (_, n) in best.items()}, keys


def build_index(products: Sequence[Product], kb: KnowledgeBase) -> CatalogIndex:
    """Precompute everything a recommendation needs from the catalog (once per catalog change, not per request)."""
    concern_pos = {c: i for i, c in enumerate(kb.concerns)}
    type_pos = {t: i for i, t in enumerate(kb.skin_types)}
    rows = [_product_row(p, kb, concern_pos, len(type_pos), type_pos) for p in products]
    inverted: dict[str, list[int]] = {}
    for i, (*_, keys) in enumerate(rows):
        for k in set(keys):
            inverted.setdefault(k, []).append(i)
    shape = (len(products), len(kb.concerns))
    return CatalogIndex(
        ids=tuple(p.product_id for p in products),
        products=tuple(products),
        concerns=kb.concerns,
        skin_types=kb.skin_types,
        concern_matrix=np.array([r[0] for r in rows]).reshape(shape),
        avoid=np.array([r[1] for r in rows], dtype=bool).reshape(len(products), len(type_pos)),
        favours=np.array([r[2] for r in rows], dtype=bool).reshape(len(products), len(type_pos)),
        comedogenic=np.array([r[3] for r in rows], dtype=float),
        in_stock=np.array([p.availability_status == "in_stock" for p in products], dtype=bool),
        prohibited=np.array([any(_prohibited(n) for n in p.ingredients) for p in products], dtype=bool),
        price=np.array([float(p.price) for p in products], dtype=float),
        prior=_prior(products),
        categories=tuple(p.category for p in products),
        brands=tuple(key(p.brand or "") for p in products),
        by_ingredient={k: np.array(v, dtype=np.int64) for k, v in inverted.items()},
        tags=tuple(kb.tags_of(r[5]) for r in rows),
        evidence=tuple(r[4] for r in rows),
        position={p.product_id: i for i, p in enumerate(products)},
    )
