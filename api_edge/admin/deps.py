"""What the operator routes use."""

from __future__ import annotations

from dataclasses import dataclass

from api_edge.platform.database import Database


@dataclass(frozen=True)
class AdminDeps:
    db: Database
