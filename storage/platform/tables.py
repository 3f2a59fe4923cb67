"""Delivery bookkeeping shared by every context: claims, heartbeats, the outbox, request counters."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from storage.metadata import metadata

# Events written in the same transaction as the state they describe; the relay publishes them.
outbox = Table(
    "outbox",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("topic", String(255), nullable=False),
    Column("key", Text, nullable=False),
    Column("value", Text, nullable=False),
    Column("headers", JSONB, nullable=False),
    Column("created_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
    Column("published_at", DateTime(timezone=True)),
)
Index("idx_outbox_unpublished", outbox.c.id, postgresql_where=outbox.c.published_at.is_(None))


# Fixed-window request counters shared by every edge process.
rate_limits = Table(
    "rate_limits",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("window_start", DateTime(timezone=True), primary_key=True),
    Column("count", Integer, nullable=False),
)


processed_events = Table(
    "processed_events",
    metadata,
    Column("consumer", String(100), primary_key=True),
    Column("event_id", UUID(as_uuid=True), primary_key=True),
    Column("processed_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
)


consumer_heartbeats = Table(
    "consumer_heartbeats",
    metadata,
    Column("consumer", String(100), primary_key=True),
    Column("instance", String(200), primary_key=True),
    Column("beat_at", DateTime(timezone=True), nullable=False),
    Column("progress_at", DateTime(timezone=True), nullable=False),
    Column("lag", BigInteger, nullable=False),
    Column("metrics_port", Integer),
    Column("waiting_on", Text),  # set while an outage stalls the instance (e.g. "postgres: ConnectionRefusedError")
)

# Answers to creating requests by the client's Idempotency-Key: a retry gets the original answer, never a
# duplicate. A row without a status is a request still in flight (a concurrent repeat gets 409).
idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("user_id", UUID(as_uuid=True), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("operation", String(100), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("status_code", Integer),
    Column("response", JSONB),
    Column("created_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
    Column("completed_at", DateTime(timezone=True)),
)
Index("idx_idempotency_keys_created_at", idempotency_keys.c.created_at)
