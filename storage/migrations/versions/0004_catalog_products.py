"""catalog: the products projection

Revision ID: 0004_catalog
Revises: 0003
Create Date: 2026-12-03 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0004_catalog'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = ('catalog',)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('products',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('identity', sa.String(length=600), nullable=False),
    sa.Column('external_id', sa.String(length=255), nullable=True),
    sa.Column('source_platform', sa.String(length=100), nullable=True),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('brand', sa.String(length=255), nullable=True),
    sa.Column('category', sa.String(length=100), nullable=True),
    sa.Column('subcategory', sa.String(length=100), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('ingredients', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('price', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('availability_status', sa.String(length=50), nullable=False),
    sa.Column('stock_quantity', sa.Integer(), nullable=True),
    sa.Column('image_urls', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('product_url', sa.Text(), nullable=True),
    sa.Column('rating', sa.Numeric(precision=3, scale=2), nullable=True),
    sa.Column('review_count', sa.Integer(), nullable=False),
    sa.Column('gtin', sa.String(length=50), nullable=True),
    sa.Column('sku', sa.String(length=255), nullable=True),
    sa.Column('size', sa.String(length=100), nullable=True),
    sa.Column('tags', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('sources', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('origin', sa.String(length=20), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    for name, column in (
        ('external_id', 'external_id'), ('brand', 'brand'), ('category', 'category'), ('price', 'price'),
        ('rating', 'rating'), ('identity', 'identity'),
    ):
        op.create_index(f'idx_products_{name}', 'products', [column], unique=False)


def downgrade() -> None:
    op.drop_table('products')
