"""Projections of the uploads/analysis context (rebuildable from its topics)."""

from __future__ import annotations

from sqlalchemy import (
    ARRAY,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from storage.metadata import PROJECTION, metadata, revision, updated_at

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
    revision(),
    Column("privacy_level", String(50), nullable=False),
    Column("correlation_id", String(100)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("processed_at", DateTime(timezone=True)),
    updated_at(),
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
    revision(),
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
    Column("mask_sha256", JSONB),  # score name → blob of its PNG mask (analyzer 2)
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("completed_at", DateTime(timezone=True)),
    updated_at(),
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
