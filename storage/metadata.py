"""The one SQLAlchemy MetaData every context registers its tables on, and the column markers replay reads.

Projection tables carry `info={"projection": True}`; columns whose value depends on wall-clock time at
projection (not on the events) carry `info={"volatile": True}` and are excluded from replay comparison.
Projections deliberately have no foreign keys: they are folded from several topics in any order and must
be rebuildable into another schema on their own.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, MetaData, func

metadata = MetaData()
PROJECTION = {"projection": True}
VOLATILE = {"volatile": True}


def updated_at() -> Column[object]:
    """When the row last changed (wall clock: volatile for replay comparison)."""
    return Column("updated_at", DateTime(timezone=True), server_default=func.now(), nullable=False, info=VOLATILE)


def revision() -> Column[object]:
    """The entity's revision: a monotonic upsert applies an event only if it carries a higher one."""
    return Column("revision", BigInteger, nullable=False)
