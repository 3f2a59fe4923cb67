"""A projection is a unit: the tables it owns and the folds that write them, one per event type it reads.

The projector consumer group applies every registered projection (storage/registry.py); replay rebuilds them
into a fresh schema and compares them with live, table by table.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncConnection

from events.envelope import Event

Fold = Callable[[AsyncConnection, Any], Awaitable[None]]


@dataclass(frozen=True)
class Projection:
    """A read model: its name (also its claim name in processed_events), its tables and its folds."""

    name: str
    tables: tuple[Table, ...]
    folds: Mapping[type[Event], Fold]

    @property
    def claim_name(self) -> str:
        """The consumer name under which this projection claims events."""
        return f"projection.{self.name}"
