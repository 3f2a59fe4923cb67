"""discovery: discovery_sessions, discovered_content (projections) and discovery_tickets (edge-owned)

Revision ID: 0020_discovery
Revises: 0003
Create Date: 2026-12-03 11:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0020_discovery'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = ('discovery',)
depends_on: str | Sequence[str] | None = None

_JSONB = postgresql.JSONB(astext_type=sa.Text())


def _tail() -> list[sa.Column[object]]:
    return [
        sa.Column('revision', sa.BigInteger(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    ]


def upgrade() -> None:
    op.create_table('discovery_sessions',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('user_id', sa.UUID(), nullable=False),
    sa.Column('analysis_id', sa.UUID(), nullable=False),
    sa.Column('session_status', sa.String(length=50), nullable=False),
    sa.Column('current_stage', sa.String(length=50), nullable=False),
    sa.Column('search_parameters', _JSONB, nullable=False),
    sa.Column('result_limit', sa.Integer(), nullable=False),
    sa.Column('progress_percentage', sa.Integer(), nullable=False),
    sa.Column('results_found', sa.Integer(), nullable=False),
    sa.Column('estimated_remaining_seconds', sa.Integer(), nullable=False),
    sa.Column('quality_threshold', sa.Numeric(precision=3, scale=2), nullable=False),
    sa.Column('quality_score', sa.Numeric(precision=5, scale=4), nullable=True),
    sa.Column('degraded', sa.Boolean(), nullable=False),
    sa.Column('cached', sa.Boolean(), nullable=False),
    sa.Column('queries', sa.ARRAY(sa.Text()), nullable=False),
    sa.Column('failure_reason', sa.String(length=50), nullable=True),
    sa.Column('failure_message', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('progressed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    *_tail(),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('idx_discovery_sessions_user_id', 'discovery_sessions', ['user_id'])
    op.create_index('idx_discovery_sessions_analysis_id', 'discovery_sessions', ['analysis_id'])
    op.create_index('idx_discovery_sessions_status', 'discovery_sessions', ['session_status'])
    op.create_table('discovered_content',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('discovery_session_id', sa.UUID(), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('source_url', sa.Text(), nullable=False),
    sa.Column('content_url', sa.Text(), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('image_urls', sa.ARRAY(sa.Text()), nullable=False),
    sa.Column('metadata', _JSONB, nullable=False),
    sa.Column('quality_score', sa.Numeric(precision=5, scale=4), nullable=False),
    sa.Column('similarity_score', sa.Numeric(precision=5, scale=4), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    *_tail(),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('idx_discovered_content_session_id', 'discovered_content', ['discovery_session_id'])
    op.create_index('idx_discovered_content_type', 'discovered_content', ['content_type'])
    op.create_index('idx_discovered_content_quality', 'discovered_content', ['quality_score'])
    op.create_index('idx_discovered_content_similarity', 'discovered_content', ['similarity_score'])
    op.create_table('discovery_tickets',
    sa.Column('ticket_sha256', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.UUID(), nullable=False),
    sa.Column('discovery_id', sa.UUID(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('ticket_sha256')
    )
    op.create_index('idx_discovery_tickets_expires_at', 'discovery_tickets', ['expires_at'])


def downgrade() -> None:
    op.drop_table('discovery_tickets')
    op.drop_table('discovered_content')
    op.drop_table('discovery_sessions')
