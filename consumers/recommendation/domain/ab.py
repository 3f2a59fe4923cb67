"""A/B assignment by a stable hash of the user, and feedback/purchase rates per arm."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

DEFAULT_ARMS: Mapping[str, float] = {"hybrid": 0.5, "hybrid-collab": 0.5}


def assign_variant(user_id: str, experiment: str = "recommender", arms: Mapping[str, float] = DEFAULT_ARMS) -> str:
    """The user's arm: sha256(experiment:user) mapped onto the arms' cumulative shares (names sorted, so stable)."""
    if not arms or any(share < 0 for share in arms.values()) or sum(arms.values()) <= 0:
        raise ValueError("arms need non-negative shares with a positive total")
    digest = hashlib.sha256(f"{experiment}:{user_id}".encode()).digest()
    point = int.from_bytes(digest[:8], "big") / 2**64 * sum(arms.values())
    cumulative = 0.0
    for name in sorted(arms):
        cumulative += arms[name]
        if point < cumulative:
            return name
    return sorted(arms)[-1]


@dataclass(frozen=True)
class ArmStats:
    """One arm's exposure and outcomes: items shown, feedback given, purchases, and their rates."""

    arm: str
    shown: int
    feedback: int
    purchases: int

    @property
    def feedback_rate(self) -> float:
        """Feedback events per item shown."""
        return self.feedback / self.shown if self.shown else 0.0

    @property
    def purchase_rate(self) -> float:
        """Purchases per item shown."""
        return self.purchases / self.shown if self.shown else 0.0


def arm_stats(shown: Iterable[tuple[str, int]], feedback: Iterable[tuple[str, str]]) -> list[ArmStats]:
    """Per arm from (arm, items shown) and (arm, feedback type) pairs; views are exposure, not feedback."""
    exposure: dict[str, int] = {}
    for arm, count in shown:
        exposure[arm] = exposure.get(arm, 0) + count
    given: dict[str, int] = {}
    bought: dict[str, int] = {}
    for arm, kind in feedback:
        if kind != "view":
            given[arm] = given.get(arm, 0) + 1
        if kind == "purchase":
            bought[arm] = bought.get(arm, 0) + 1
    arms = sorted(set(exposure) | set(given))
    return [ArmStats(a, exposure.get(a, 0), given.get(a, 0), bought.get(a, 0)) for a in arms]
