"""The discovery projection unit: sessions and the content they kept."""

from __future__ import annotations

from events.discovery import DiscoveryCompleted, DiscoveryFailed, DiscoveryProgressed, DiscoveryRequested
from storage.discovery import folds
from storage.discovery.tables import discovered_content, discovery_sessions
from storage.projection import Projection

DISCOVERY = Projection(
    "discovery",
    (discovery_sessions, discovered_content),
    {
        DiscoveryRequested: folds.discovery_requested,
        DiscoveryProgressed: folds.discovery_progressed,
        DiscoveryCompleted: folds.discovery_completed,
        DiscoveryFailed: folds.discovery_failed,
    },
)
