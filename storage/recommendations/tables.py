"""Recommendation projections: one set per analysis (its inputs and revision), its items (PRD §10.3
`product_recommendations` plus rank, contributions and routine step) and `recommendation_feedback`."""

from __future__ import annotations

from sqlalchemy import ARRAY, Boolean, Column, DateTime, Index, Integer, Numeric, String, Table, Text
from sqlalchemy.dialects.postgresql import JSONB, UUID

from storage.metadata import PROJECTION, metadata, revision, updated_at

recommendation_sets = Table(
    "recommendation_sets",
    metadata,
    Column("analysis_id", UUID(as_uuid=True), primary_key=True),
    Column("upload_id", UUID(as_uuid=True)),
    Column("user_id", UUID(as_uuid=True), nullable=False),
    Column("variant", String(50), nullable=False),
    Column("concerns", JSONB, nullable=False),
    Column("scores", JSONB, nullable=False),
    Column("skin_type_probabilities", JSONB, nullable=False),
    Column("routine", JSONB, nullable=False),  # recommendation ids, cleanse → treat → moisturise → protect
    Column("recommendation_score", Numeric(5, 4), nullable=False),
    Column("total_count", Integer, nullable=False),
    Column("knowledge_version", String(100), nullable=False),
    Column("generated_at", DateTime(timezone=True), nullable=False),
    revision(),
    updated_at(),
    info=PROJECTION,
)
Index("idx_recommendation_sets_upload_id", recommendation_sets.c.upload_id)
Index("idx_recommendation_sets_user_id", recommendation_sets.c.user_id)

product_recommendations = Table(
    "product_recommendations",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),  # the recommendation id (stable per analysis + product)
    Column("analysis_id", UUID(as_uuid=True), nullable=False),
    Column("user_id", UUID(as_uuid=True), nullable=False),
    Column("product_id", UUID(as_uuid=True), nullable=False),
    Column("recommendation_score", Numeric(5, 4), nullable=False),
    Column("recommendation_reason", Text, nullable=False),
    Column("recommendation_type", String(100), nullable=False),
    Column("rank", Integer, nullable=False),
    Column("contributions", JSONB, nullable=False),  # content, collaborative, popularity, rules
    Column("matched_concerns", ARRAY(Text), nullable=False),
    Column("routine_step", String(20)),
    Column("in_routine", Boolean, nullable=False),
    Column("variant", String(50), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    revision(),  # equals its set's revision while the item is in the current list
    updated_at(),
    info=PROJECTION,
)
Index("idx_product_recommendations_analysis_id", product_recommendations.c.analysis_id)
Index("idx_product_recommendations_user_id", product_recommendations.c.user_id)
Index("idx_product_recommendations_product_id", product_recommendations.c.product_id)
Index("idx_product_recommendations_score", product_recommendations.c.recommendation_score)

recommendation_feedback = Table(
    "recommendation_feedback",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("recommendation_id", UUID(as_uuid=True), nullable=False),
    Column("user_id", UUID(as_uuid=True), nullable=False),
    Column("product_id", UUID(as_uuid=True)),
    Column("feedback_type", String(50), nullable=False),
    Column("rating", Integer),
    Column("comments", Text),
    Column("variant", String(50)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    revision(),
    updated_at(),
    info=PROJECTION,
)
Index("idx_recommendation_feedback_recommendation_id", recommendation_feedback.c.recommendation_id)
Index("idx_recommendation_feedback_user_id", recommendation_feedback.c.user_id)
Index("idx_recommendation_feedback_type", recommendation_feedback.c.feedback_type)
Index("idx_recommendation_feedback_created_at", recommendation_feedback.c.created_at)
