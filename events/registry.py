"""The registry of every event this codebase reads, with upcasters for retired versions."""

from __future__ import annotations

from typing import Any

from events.codec import EventRegistry, Upcaster
from events.topics import TOPICS


def _preferences_v1(data: dict[str, Any]) -> dict[str, Any]:
    # v1 carried no revision: such changes apply in topic order (revision 0 ties, and the later one wins).
    return {**data, "revision": 0}


def _analysis_completed_v1(data: dict[str, Any]) -> dict[str, Any]:
    # v1 (analyzer 1.x) had no per-concern masks; its report has no score bands (the field defaults to {}).
    return {**data, "mask_sha256": {}}


# (type, old version) -> function lifting that version's data one step. An additive change bumps the
# class's VERSION and adds its upcaster here.
UPCASTERS: dict[tuple[str, int], Upcaster] = {
    ("preferences.updated", 1): _preferences_v1,
    ("analysis.completed", 1): _analysis_completed_v1,
}

REGISTRY = EventRegistry.of((event for topic in TOPICS for event in topic.events), UPCASTERS)
