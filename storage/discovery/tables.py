"""Discovery projections (PRD §10.5) plus the edge-owned single-use WebSocket tickets.

`discovery_sessions` follows a discovery from request to outcome; its revision is the discovery's update
sequence (0 requested, then every progress update, then the outcome), assigned by the crawl consumer, the
discovery's single writer after the edge. `discovered_content` holds the kept results of the outcome.
"""

from __future__ import annotations

from sqlalchemy import ARRAY, Boolean, Column, DateTime, Index, Integer, Numeric, String, Table, Text
from sqlalchemy.dialects.postgresql import JSONB, UUID

from storage.metadata import PROJECTION, metadata, revision, updated_at

discovery_sessions = Table(
    "discovery_sessions",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("user_id", UUID(as_uuid=True), nullable=False),
    Column("analysis_id", UUID(as_uuid=True), nullable=False),
    Column("session_status", String(50), nullable=False),  # queued, active, completed, failed
    Column("current_stage", String(50), nullable=False),
    Column("search_parameters", JSONB, nullable=False),
    Column("result_limit", Integer, nullable=False),
    Column("progress_percentage", Integer, nullable=False),
    Column("results_found", Integer, nullable=False),
    Column("estimated_remaining_seconds", Integer, nullable=False),
    Column("quality_threshold", Numeric(3, 2), nullable=False),
    Column("quality_score", Numeric(5, 4)),
    Column("degraded", Boolean, nullable=False),
    Column("cached", Boolean, nullable=False),
    Column("queries", ARRAY(Text), nullable=False),
    Column("failure_reason", String(50)),
    Column("failure_message", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("progressed_at", DateTime(timezone=True), nullable=False),
    Column("completed_at", DateTime(timezone=True)),
    revision(),
    updated_at(),
    info=PROJECTION,
)
Index("idx_discovery_sessions_user_id", discovery_sessions.c.user_id)
Index("idx_discovery_sessions_analysis_id", discovery_sessions.c.analysis_id)
Index("idx_discovery_sessions_status", discovery_sessions.c.session_status)

discovered_content = Table(
    "discovered_content",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),  # uuid5(discovery id, canonical URL)
    Column("discovery_session_id", UUID(as_uuid=True), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("source_url", Text, nullable=False),
    Column("content_url", Text),
    Column("title", String(500)),
    Column("description", Text),
    Column("image_urls", ARRAY(Text), nullable=False),
    Column("metadata", JSONB, nullable=False),  # site, name, brand, price, ingredients, flags, fetched_at …
    Column("quality_score", Numeric(5, 4), nullable=False),
    Column("similarity_score", Numeric(5, 4), nullable=False),
    Column("rank", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    revision(),
    updated_at(),
    info=PROJECTION,
)
Index("idx_discovered_content_session_id", discovered_content.c.discovery_session_id)
Index("idx_discovered_content_type", discovered_content.c.content_type)
Index("idx_discovered_content_quality", discovered_content.c.quality_score)
Index("idx_discovered_content_similarity", discovered_content.c.similarity_score)

# Edge-owned: single-use tickets that authenticate one progress WebSocket (stored as sha256, short-lived).
discovery_tickets = Table(
    "discovery_tickets",
    metadata,
    Column("ticket_sha256", String(64), primary_key=True),
    Column("user_id", UUID(as_uuid=True), nullable=False),
    Column("discovery_id", UUID(as_uuid=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)
Index("idx_discovery_tickets_expires_at", discovery_tickets.c.expires_at)
