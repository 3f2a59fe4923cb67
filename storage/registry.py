"""Every projection this codebase maintains, and every table (for migrations and replay).

Adding a projection: write its tables and folds under storage/<context>/, declare a `Projection`, add it here.
"""

from __future__ import annotations

from sqlalchemy import Table

import storage.platform.tables
import storage.users.tables  # noqa: F401  (registers edge-owned tables on the metadata)
from storage.analysis.projection import ANALYSIS
from storage.catalog.projection import CATALOG
from storage.discovery.projection import DISCOVERY
from storage.metadata import metadata
from storage.orders.projection import ORDERS
from storage.projection import Projection
from storage.recommendations.projection import RECOMMENDATIONS
from storage.users.read_model import USERS

PROJECTIONS: tuple[Projection, ...] = (ANALYSIS, USERS, CATALOG, RECOMMENDATIONS, ORDERS, DISCOVERY)
PROJECTION_TABLES: tuple[Table, ...] = tuple(t for p in PROJECTIONS for t in p.tables)

__all__ = ["PROJECTIONS", "PROJECTION_TABLES", "metadata"]
