"""revisions instead of status ranks, users read model, preference revisions, idempotency keys, stalls

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 10:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Ranks were pending 1, processing 2, completed/failed 3; revisions are accepted 0, started 1, outcome 2.
    for table in ('image_uploads', 'image_analyses'):
        op.alter_column(table, 'status_rank', new_column_name='revision', type_=sa.BigInteger())
        op.execute(f'UPDATE {table} SET revision = revision - 1')
    op.add_column('user_preferences', sa.Column('revision', sa.BigInteger(), server_default='0', nullable=False))
    op.add_column('consumer_heartbeats', sa.Column('waiting_on', sa.Text(), nullable=True))
    op.create_table('user_profiles',
    sa.Column('user_id', sa.UUID(), nullable=False),
    sa.Column('provider', sa.String(length=50), nullable=True),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_signed_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sign_ins', sa.BigInteger(), nullable=False),
    sa.Column('skin_type', sa.String(length=50), nullable=True),
    sa.Column('skin_concerns', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('allergies', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('preferred_brands', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('price_range_min', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('price_range_max', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('privacy_level', sa.String(length=50), nullable=True),
    sa.Column('revision', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('user_id')
    )
    op.create_table('idempotency_keys',
    sa.Column('user_id', sa.UUID(), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('operation', sa.String(length=100), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('response', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('user_id', 'key')
    )
    op.create_index('idx_idempotency_keys_created_at', 'idempotency_keys', ['created_at'], unique=False)


def downgrade() -> None:
    op.drop_index('idx_idempotency_keys_created_at', table_name='idempotency_keys')
    op.drop_table('idempotency_keys')
    op.drop_table('user_profiles')
    op.drop_column('consumer_heartbeats', 'waiting_on')
    op.drop_column('user_preferences', 'revision')
    for table in ('image_uploads', 'image_analyses'):
        op.execute(f'UPDATE {table} SET revision = revision + 1')
        op.alter_column(table, 'revision', new_column_name='status_rank', type_=sa.Integer())
