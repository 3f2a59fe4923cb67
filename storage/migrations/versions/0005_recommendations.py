"""recommendations: recommendation sets, product_recommendations, recommendation_feedback

Revision ID: 0005_recommendations
Revises: 0004_catalog
Create Date: 2026-12-03 11:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0005_recommendations'
down_revision: str | None = '0004_catalog'
branch_labels: str | Sequence[str] | None = ('recommendations',)
depends_on: str | Sequence[str] | None = None


def _tail() -> list[sa.Column[object]]:
    return [
        sa.Column('revision', sa.BigInteger(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    ]


def upgrade() -> None:
    op.create_table('recommendation_sets',
    sa.Column('analysis_id', sa.UUID(), nullable=False),
    sa.Column('upload_id', sa.UUID(), nullable=True),
    sa.Column('user_id', sa.UUID(), nullable=False),
    sa.Column('variant', sa.String(length=50), nullable=False),
    sa.Column('concerns', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('scores', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('skin_type_probabilities', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('routine', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('recommendation_score', sa.Numeric(precision=5, scale=4), nullable=False),
    sa.Column('total_count', sa.Integer(), nullable=False),
    sa.Column('knowledge_version', sa.String(length=100), nullable=False),
    sa.Column('generated_at', sa.DateTime(timezone=True), nullable=False),
    *_tail(),
    sa.PrimaryKeyConstraint('analysis_id')
    )
    op.create_index('idx_recommendation_sets_upload_id', 'recommendation_sets', ['upload_id'])
    op.create_index('idx_recommendation_sets_user_id', 'recommendation_sets', ['user_id'])
    op.create_table('product_recommendations',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('analysis_id', sa.UUID(), nullable=False),
    sa.Column('user_id', sa.UUID(), nullable=False),
    sa.Column('product_id', sa.UUID(), nullable=False),
    sa.Column('recommendation_score', sa.Numeric(precision=5, scale=4), nullable=False),
    sa.Column('recommendation_reason', sa.Text(), nullable=False),
    sa.Column('recommendation_type', sa.String(length=100), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('contributions', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('matched_concerns', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('routine_step', sa.String(length=20), nullable=True),
    sa.Column('in_routine', sa.Boolean(), nullable=False),
    sa.Column('variant', sa.String(length=50), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    *_tail(),
    sa.PrimaryKeyConstraint('id')
    )
    for column in ('analysis_id', 'user_id', 'product_id'):
        op.create_index(f'idx_product_recommendations_{column}', 'product_recommendations', [column])
    op.create_index('idx_product_recommendations_score', 'product_recommendations', ['recommendation_score'])
    op.create_table('recommendation_feedback',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('recommendation_id', sa.UUID(), nullable=False),
    sa.Column('user_id', sa.UUID(), nullable=False),
    sa.Column('product_id', sa.UUID(), nullable=True),
    sa.Column('feedback_type', sa.String(length=50), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('comments', sa.Text(), nullable=True),
    sa.Column('variant', sa.String(length=50), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    *_tail(),
    sa.PrimaryKeyConstraint('id')
    )
    for column in ('recommendation_id', 'user_id', 'created_at'):
        op.create_index(f'idx_recommendation_feedback_{column}', 'recommendation_feedback', [column])
    op.create_index('idx_recommendation_feedback_type', 'recommendation_feedback', ['feedback_type'])


def downgrade() -> None:
    op.drop_table('recommendation_feedback')
    op.drop_table('product_recommendations')
    op.drop_table('recommendation_sets')
