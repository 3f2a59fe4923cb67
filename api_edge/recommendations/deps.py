"""What the recommendation and product routes use."""

from __future__ import annotations

from dataclasses import dataclass

from api_edge.platform.bus import Bus
from api_edge.platform.database import Database
from api_edge.platform.idempotency import Idempotency


@dataclass(frozen=True)
class RecommendationDeps:
    db: Database
    bus: Bus
    idempotency: Idempotency
