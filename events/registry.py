"""The registry of every event this codebase reads, with upcasters for retired versions."""

from __future__ import annotations

from events.codec import EventRegistry, Upcaster
from events.topics import CATALOG

# (type, old version) -> function lifting that version's data one step. Every event is still at v1;
# an additive change bumps the class's VERSION and adds its upcaster here.
UPCASTERS: dict[tuple[str, int], Upcaster] = {}

REGISTRY = EventRegistry.of((event for topic in CATALOG for event in topic.events), UPCASTERS)
