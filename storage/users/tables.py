"""Tables of the users context: edge-owned accounts, sessions, preferences and sign-ins."""

from __future__ import annotations

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    String,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import INET, UUID

from storage.metadata import PROJECTION, metadata, revision, updated_at

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
    Column("revision", BigInteger, server_default="0", nullable=False),  # carried by preferences.updated
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


# The users read model other contexts may read: folded from shine.users.v1 by the projector, never written by
# the edge. Each part moves on its own revision (preferences by the edge's per-user counter, sign-ins by time).
user_profiles = Table(
    "user_profiles",
    metadata,
    Column("user_id", UUID(as_uuid=True), primary_key=True),
    Column("provider", String(50)),
    Column("registered_at", DateTime(timezone=True)),
    Column("last_signed_in_at", DateTime(timezone=True)),
    Column("sign_ins", BigInteger, nullable=False),
    Column("skin_type", String(50)),
    Column("skin_concerns", ARRAY(Text), nullable=False),
    Column("allergies", ARRAY(Text), nullable=False),
    Column("preferred_brands", ARRAY(Text), nullable=False),
    Column("price_range_min", Numeric(10, 2)),
    Column("price_range_max", Numeric(10, 2)),
    Column("privacy_level", String(50)),
    # Folded by the orders projection from the user's subscriptions (storage/orders/folds.py).
    Column("subscription_tier", String(20), server_default="free", nullable=False),
    revision(),
    updated_at(),
    info=PROJECTION,
)
