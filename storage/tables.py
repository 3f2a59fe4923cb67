"""SQLAlchemy Core tables: edge-owned state, projections (rebuildable from Kafka) and delivery bookkeeping.

Projection tables carry `info={"projection": True}`; columns whose value depends on wall-clock time at
projection (not on the events) carry `info={"volatile": True}` and are excluded from replay comparison.
Projections deliberately have no foreign keys: they are folded from several topics in any order and must
be rebuildable into another schema on their own.
"""

from __future__ import annotations

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import INET, JSONB, UUID

metadata = MetaData()
PROJECTION = {"projection": True}
VOLATILE = {"volatile": True}


def _updated_at() -> Column[object]:
    return Column("updated_at", DateTime(timezone=True), server_default=func.now(), nullable=False, info=VOLATILE)


users = Table(
    "users",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()")),
    Column("google_id", String(255), unique=True, nullable=False),
    Column("email", String(255), unique=True, nullable=False),
    Column("name", String(255), nullable=False),
    Column("profile_picture_url", Text),
    Column("created_at", DateTime(timezone=True), server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), server_default=func.now()),
    Column("last_login_at", DateTime(timezone=True)),
    Column("is_active", Boolean, server_default=text("true"), nullable=False),
    Column("subscription_tier", String(50), server_default="free", nullable=False),
    Column("role", String(20), server_default="user", nullable=False),
    Column("suspended_at", DateTime(timezone=True)),
)
Index("idx_users_created_at", users.c.created_at)

user_sessions = Table(
    "user_sessions",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()")),
    Column("user_id", UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("session_token", String(255), unique=True, nullable=False),  # sha256 of the bearer token
    Column("refresh_token", String(255), unique=True),  # sha256 of the refresh token
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("created_at", DateTime(timezone=True), server_default=func.now()),
    Column("last_accessed_at", DateTime(timezone=True), server_default=func.now()),
    Column("ip_address", INET),
    Column("user_agent", Text),
    Column("is_active", Boolean, server_default=text("true"), nullable=False),
    Column("refresh_expires_at", DateTime(timezone=True)),
    Column("absolute_expires_at", DateTime(timezone=True)),
    Column("ended_at", DateTime(timezone=True)),
    Column("ended_reason", String(50)),
)
Index("idx_user_sessions_user_id", user_sessions.c.user_id)
Index("idx_user_sessions_expires_at", user_sessions.c.expires_at)

user_preferences = Table(
    "user_preferences",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()")),
    Column("user_id", UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("skin_type", String(50)),
    Column("skin_concerns", ARRAY(Text)),
    Column("allergies", ARRAY(Text)),
    Column("preferred_brands", ARRAY(Text)),
    Column("price_range_min", Numeric(10, 2)),
    Column("price_range_max", Numeric(10, 2)),
    Column("privacy_level", String(50), server_default="standard", nullable=False),
    Column("created_at", DateTime(timezone=True), server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), server_default=func.now()),
)

# Refresh tokens that were rotated away: presenting one again means it was stolen (RFC 9700 §4.14.2).
used_refresh_tokens = Table(
    "used_refresh_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("session_id", UUID(as_uuid=True), ForeignKey("user_sessions.id", ondelete="CASCADE"), nullable=False),
    Column("used_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
)

# A sign-in in progress: single use, short-lived, bound to its PKCE verifier and nonce.
login_transactions = Table(
    "login_transactions",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()")),
    Column("state_hash", String(64), unique=True, nullable=False),
    Column("client_state", Text, nullable=False),
    Column("client_type", String(20), nullable=False),
    Column("redirect_uri", Text, nullable=False),
    Column("code_verifier", String(128), nullable=False),
    Column("nonce", String(128), nullable=False),
    Column("created_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True)),
)
Index("idx_login_transactions_expires_at", login_transactions.c.expires_at)

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

image_uploads = Table(
    "image_uploads",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("user_id", UUID(as_uuid=True), nullable=False),
    Column("original_filename", String(255)),
    Column("file_path", Text, nullable=False),
    Column("blob_sha256", String(64), nullable=False),
    Column("file_size", Integer),
    Column("mime_type", String(100)),
    Column("width", Integer),
    Column("height", Integer),
    Column("analysis_type", String(50), nullable=False),
    Column("upload_status", String(50), nullable=False),
    Column("status_rank", Integer, nullable=False),
    Column("privacy_level", String(50), nullable=False),
    Column("correlation_id", String(100)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("processed_at", DateTime(timezone=True)),
    _updated_at(),
    info=PROJECTION,
)
Index("idx_image_uploads_user_id", image_uploads.c.user_id)
Index("idx_image_uploads_status", image_uploads.c.upload_status)
Index("idx_image_uploads_created_at", image_uploads.c.created_at)
Index("idx_image_uploads_blob", image_uploads.c.blob_sha256)

image_analyses = Table(
    "image_analyses",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("upload_id", UUID(as_uuid=True), nullable=False, unique=True),
    Column("user_id", UUID(as_uuid=True), nullable=False),
    Column("analysis_status", String(50), nullable=False),
    Column("status_rank", Integer, nullable=False),
    Column("analyzer_version", String(50), nullable=False),
    Column("confidence_score", Numeric(5, 4)),
    Column("overall_score", Float),
    Column("skin_type", String(50)),
    Column("skin_tone", String(50)),
    Column("detected_conditions", JSONB),
    Column("analysis_metadata", JSONB),
    Column("failure_reason", String(50)),
    Column("failure_message", Text),
    Column("overlay_sha256", String(64)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("completed_at", DateTime(timezone=True)),
    _updated_at(),
    info=PROJECTION,
)
Index("idx_image_analyses_user_id", image_analyses.c.user_id)
Index("idx_image_analyses_status", image_analyses.c.analysis_status)
Index("idx_image_analyses_confidence", image_analyses.c.confidence_score)

analysis_features = Table(
    "analysis_features",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("analysis_id", UUID(as_uuid=True), nullable=False),
    Column("user_id", UUID(as_uuid=True), nullable=False),
    Column("feature_type", String(100), nullable=False),
    Column("feature_vector", ARRAY(Float), nullable=False),
    Column("feature_metadata", JSONB),
    Column("created_at", DateTime(timezone=True), nullable=False),
    info=PROJECTION,
)
Index("idx_analysis_features_analysis_id", analysis_features.c.analysis_id)
Index("idx_analysis_features_type", analysis_features.c.feature_type)

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
)

PROJECTIONS: tuple[Table, ...] = tuple(t for t in metadata.sorted_tables if t.info.get("projection"))
