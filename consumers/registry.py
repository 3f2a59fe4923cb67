"""Every consumer group this codebase runs: one line each.

The CLI's choices, the supervisor's children, readiness and the metrics ports all derive from this list
(a group's metrics port is SHINE_METRICS_PORT_BASE + its 1-based position here).
"""

from __future__ import annotations

from consumers.analysis.group import ANALYSIS
from consumers.crawl.group import CRAWL
from consumers.fulfillment.group import FULFILLMENT
from consumers.projector.group import PROJECTOR
from consumers.recommendation.group import RECOMMENDATION
from consumers.runtime.group import ConsumerGroup
from shine.settings import ConsumerSettings

GROUPS: tuple[ConsumerGroup, ...] = (
    ANALYSIS,
    PROJECTOR,
    FULFILLMENT,
    RECOMMENDATION,
    CRAWL,
)


def group(name: str) -> ConsumerGroup:
    """The group called `name`."""
    for g in GROUPS:
        if g.name == name:
            return g
    raise KeyError(f"unknown consumer group {name!r}; known: {', '.join(g.name for g in GROUPS)}")


def metrics_port(name: str, base: int) -> int | None:
    """The group's metrics port under `base` (None when metrics ports are disabled)."""
    if not base:
        return None
    return base + 1 + [g.name for g in GROUPS].index(name)


def ready_groups(settings: ConsumerSettings) -> tuple[str, ...]:
    """The groups /ready waits for: SHINE_READY_CONSUMERS, else every group that declares it is required."""
    if settings.ready_consumers is not None:
        return settings.ready_consumers
    return tuple(g.name for g in GROUPS if g.ready_required)
