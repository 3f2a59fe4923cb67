"""What the operational routes use."""

from __future__ import annotations

from dataclasses import dataclass

from api_edge.analysis.backlog_meter import BacklogMeter
from api_edge.platform.bus import Bus
from api_edge.platform.database import Database


@dataclass(frozen=True)
class SystemDeps:
    db: Database
    bus: Bus
    uploads_topic: str  # resolved name; readiness needs it to exist
    expected_consumers: tuple[str, ...]
    heartbeat_stale_seconds: float
    backlog: BacklogMeter
