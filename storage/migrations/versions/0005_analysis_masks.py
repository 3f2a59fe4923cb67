"""analysis: the per-metric mask blobs of a completed analysis

Revision ID: 0005_analysis_masks
Revises: 0003
Create Date: 2026-12-03 11:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0005_analysis_masks'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = ('analysis_masks',)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('image_analyses', sa.Column('mask_sha256', postgresql.JSONB(astext_type=sa.Text()), nullable=True))


def downgrade() -> None:
    op.drop_column('image_analyses', 'mask_sha256')
