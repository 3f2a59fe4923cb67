"""A routine from ranked candidates: cleanse → treat → moisturise → protect, with no conflicting pair inside it."""

from __future__ import annotations

from collections.abc import Sequence

from consumers.recommendation.domain.index import CatalogIndex
from knowledge.base import KnowledgeBase
from knowledge.taxonomy import routine_step

STEPS = ("cleanse", "treat", "moisturise", "protect")
SLOTS = {"cleanse": 1, "treat": 2, "moisturise": 1, "protect": 1}


def conflicts_with(index: CatalogIndex, kb: KnowledgeBase, row: int, chosen: Sequence[int]) -> list[str]:
    """The reasons product `row` may not join the chosen products in one routine."""
    return [c.reason for other in chosen for c in kb.conflicts_between(index.tags[row], index.tags[other])]


def build_routine(index: CatalogIndex, kb: KnowledgeBase, ranked: Sequence[int]) -> list[int]:
    """Best-ranked product per step (two treatments), skipping any that conflicts with one already chosen."""
    chosen: list[int] = []
    filled = dict.fromkeys(STEPS, 0)
    for row in ranked:
        step = routine_step(index.categories[row])
        if step is None or filled[step] >= SLOTS[step]:
            continue
        if step == "treat" and any(index.categories[row] == index.categories[c] for c in chosen):
            continue  # two different treatments (a serum and an exfoliant), not two serums
        if conflicts_with(index, kb, row, chosen):
            continue
        chosen.append(row)
        filled[step] += 1
        if all(filled[s] >= SLOTS[s] for s in STEPS):
            break
    return sorted(chosen, key=lambda r: STEPS.index(routine_step(index.categories[r]) or "treat"))
