"""Collaborative part: implicit feedback → item–item cosine similarity (top-k neighbours), scored per user."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]  # scipy ships no stubs; scipy-stubs is not pinned

from consumers.recommendation.domain.index import FloatArray

# Implicit feedback strengths: positive signals of increasing intent, negative ones push similar items down.
FEEDBACK_WEIGHTS: Mapping[str, float] = {
    "view": 0.5,
    "like": 1.0,
    "save": 1.5,
    "purchase": 3.0,
    "dislike": -2.0,
    "not_interested": -1.5,
}
SHRINK = 5.0  # damp similarities supported by few co-occurrences
NEIGHBOURS = 50


@dataclass(frozen=True)
class Interaction:
    """One implicit-feedback event: who, which product, what kind, when."""

    user_id: str
    product_id: uuid.UUID
    kind: str
    at: datetime


@dataclass(frozen=True)
class ItemModel:
    """Item–item similarities over the catalog's rows (sparse, symmetric-ish, zero diagonal)."""

    similarity: sp.csr_matrix

    def scores(self, history: Mapping[int, float]) -> FloatArray:
        """Σ over the user's items of feedback weight × similarity, scaled so the best item is 1 (may be < 0)."""
        n = self.similarity.shape[0]
        if not history:
            return np.zeros(n)
        rows = np.fromiter(history.keys(), dtype=np.int64)
        weights = np.fromiter(history.values(), dtype=float)
        raw = np.asarray(self.similarity[rows].T @ weights).ravel()
        top = float(np.abs(raw).max(initial=0.0))
        result: FloatArray = raw / top if top > 0 else raw
        return result


def user_history(interactions: Iterable[Interaction], position: Mapping[uuid.UUID, int]) -> dict[int, float]:
    """One user's summed feedback per catalog row, clipped to [-3, 3] so one product cannot dominate."""
    history: dict[int, float] = {}
    for event in interactions:
        row = position.get(event.product_id)
        if row is not None:
            history[row] = history.get(row, 0.0) + FEEDBACK_WEIGHTS.get(event.kind, 0.0)
    return {row: float(np.clip(w, -3, 3)) for row, w in history.items() if w != 0}


def _top_k(matrix: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """Keep each row's k largest entries (the neighbours that matter; the rest is noise and memory)."""
    rows, cols, vals = [], [], []
    for i in range(matrix.shape[0]):
        start, end = matrix.indptr[i], matrix.indptr[i + 1]
        big = end - start > k
        keep = np.argpartition(-matrix.data[start:end], k)[:k] + start if big else np.arange(start, end)
        rows.append(np.full(len(keep), i))
        cols.append(matrix.indices[keep])
        vals.append(matrix.data[keep])
    if not rows:
        return sp.csr_matrix(matrix.shape)
    return sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=matrix.shape)


def fit(
    interactions: Sequence[Interaction], position: Mapping[uuid.UUID, int], neighbours: int = NEIGHBOURS
) -> ItemModel:
    """Cosine similarity between items over the users who reacted positively to them, shrunk and pruned."""
    users: dict[str, int] = {}
    cells: dict[tuple[int, int], float] = {}
    for event in interactions:
        row = position.get(event.product_id)
        if row is None:
            continue
        u = users.setdefault(event.user_id, len(users))
        cells[(u, row)] = cells.get((u, row), 0.0) + FEEDBACK_WEIGHTS.get(event.kind, 0.0)
    n_items = len(position)
    positive = [(u, i) for (u, i), w in cells.items() if w > 0]
    if not positive:
        return ItemModel(sp.csr_matrix((n_items, n_items)))
    u_idx, i_idx = (np.array(x) for x in zip(*positive, strict=True))
    binary = sp.csr_matrix((np.ones(len(positive)), (u_idx, i_idx)), shape=(len(users), n_items))
    co = (binary.T @ binary).tocsr()
    counts = np.asarray(binary.sum(axis=0)).ravel()
    co.setdiag(0)
    co.eliminate_zeros()
    coo = co.tocoo()
    cosine = coo.data / np.sqrt(counts[coo.row] * counts[coo.col]) * (coo.data / (coo.data + SHRINK))
    similarity = sp.csr_matrix((cosine, (coo.row, coo.col)), shape=co.shape)
    return ItemModel(_top_k(similarity, neighbours))
