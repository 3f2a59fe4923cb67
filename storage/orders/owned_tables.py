"""Tables that are state, not projections: the fulfillment consumer's own facts and the free-tier counters.

`fulfillment_facts` is what the fulfillment group knows about each order (its events, kept so a restart folds
the same state; replay never rebuilds it). `scan_quota` counts a free user's analyses per calendar month; the
upload locks its row in the same transaction that admits the upload, so concurrent uploads cannot over-admit.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, Integer, PrimaryKeyConstraint, String, Table, func
from sqlalchemy.dialects.postgresql import JSONB, UUID

from storage.metadata import metadata

fulfillment_facts = Table(
    "fulfillment_facts",
    metadata,
    Column("entity", String(300), nullable=False),  # order:<uuid>
    Column("event_id", UUID(as_uuid=True), nullable=False),
    Column("body", JSONB, nullable=False),
    Column("recorded_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
    PrimaryKeyConstraint("entity", "event_id"),
)

scan_quota = Table(
    "scan_quota",
    metadata,
    Column("user_id", UUID(as_uuid=True), nullable=False),
    Column("month", Date, nullable=False),  # the first day of the calendar month (UTC)
    Column("used", Integer, nullable=False),
    PrimaryKeyConstraint("user_id", "month"),
)
