"""orders: orders, order_items, payments, refunds, subscriptions (projection), fulfillment facts, scan quota

Revision ID: 0010_orders
Revises: 0004_catalog
Create Date: 2026-12-03 11:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0010_orders'
down_revision: str | None = '0004_catalog'
branch_labels: str | Sequence[str] | None = ('orders',)
depends_on: str | Sequence[str] | None = None

_JSONB = postgresql.JSONB(astext_type=sa.Text())


def _tail(updated: bool = True) -> list[sa.Column[object]]:
    cols: list[sa.Column[object]] = [sa.Column('revision', sa.BigInteger(), nullable=False)]
    if updated:
        now = sa.text('now()')
        cols.append(sa.Column('updated_at', sa.DateTime(timezone=True), server_default=now, nullable=False))
    return cols


def upgrade() -> None:
    op.create_table('order_facts',
    sa.Column('event_id', sa.UUID(), primary_key=True),
    sa.Column('order_id', sa.UUID(), nullable=False),
    sa.Column('event_type', sa.String(100), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('body', _JSONB, nullable=False))
    op.create_index('idx_order_facts_order_id', 'order_facts', ['order_id'])
    op.create_table('orders',
    sa.Column('id', sa.UUID(), primary_key=True),
    sa.Column('user_id', sa.UUID()),
    sa.Column('order_number', sa.String(100)),
    sa.Column('order_status', sa.String(50), nullable=False),
    sa.Column('total_amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(3), nullable=False),
    sa.Column('payment_status', sa.String(50), nullable=False),
    sa.Column('fulfillment_status', sa.String(50), nullable=False),
    sa.Column('payment_intent_id', sa.String(255)),
    sa.Column('paid_amount', sa.BigInteger(), nullable=False),
    sa.Column('refunded_amount', sa.BigInteger(), nullable=False),
    sa.Column('refundable_amount', sa.BigInteger(), nullable=False),
    sa.Column('partner', sa.String(100)),
    sa.Column('partner_order_id', sa.String(255)),
    sa.Column('carrier', sa.String(100)),
    sa.Column('tracking_number', sa.String(255)),
    sa.Column('shipping_address', _JSONB),
    sa.Column('billing_address', _JSONB),
    sa.Column('paid_at', sa.DateTime(timezone=True)),
    sa.Column('shipped_at', sa.DateTime(timezone=True)),
    sa.Column('created_at', sa.DateTime(timezone=True)),
    *_tail())
    op.create_index('idx_orders_user_id', 'orders', ['user_id'])
    op.create_index('idx_orders_number', 'orders', ['order_number'])
    op.create_index('idx_orders_status', 'orders', ['order_status'])
    op.create_index('idx_orders_created_at', 'orders', ['created_at'])
    op.create_index('idx_orders_payment_intent', 'orders', ['payment_intent_id'])
    op.create_table('order_items',
    sa.Column('id', sa.UUID(), primary_key=True),
    sa.Column('order_id', sa.UUID(), nullable=False),
    sa.Column('product_id', sa.UUID(), nullable=False),
    sa.Column('sku', sa.String(255), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.Column('total_price', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(3), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    *_tail(updated=False))
    op.create_index('idx_order_items_order_id', 'order_items', ['order_id'])
    op.create_index('idx_order_items_product_id', 'order_items', ['product_id'])
    op.create_table('payments',
    sa.Column('id', sa.UUID(), primary_key=True),
    sa.Column('order_id', sa.UUID(), nullable=False),
    sa.Column('user_id', sa.UUID()),
    sa.Column('stripe_payment_intent_id', sa.String(255), unique=True),
    sa.Column('payment_method', sa.String(100)),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(3), nullable=False),
    sa.Column('payment_status', sa.String(50), nullable=False),
    sa.Column('refunded_amount', sa.BigInteger(), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True)),
    sa.Column('created_at', sa.DateTime(timezone=True)),
    *_tail())
    op.create_index('idx_payments_order_id', 'payments', ['order_id'])
    op.create_index('idx_payments_user_id', 'payments', ['user_id'])
    op.create_index('idx_payments_status', 'payments', ['payment_status'])
    op.create_table('refunds',
    sa.Column('refund_id', sa.String(255), primary_key=True),
    sa.Column('order_id', sa.UUID(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(3), nullable=False),
    sa.Column('status', sa.String(50), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True)),
    *_tail())
    op.create_index('idx_refunds_order_id', 'refunds', ['order_id'])
    op.create_table('subscription_facts',
    sa.Column('event_id', sa.UUID(), primary_key=True),
    sa.Column('subscription_id', sa.String(255), nullable=False),
    sa.Column('body', _JSONB, nullable=False))
    op.create_index('idx_subscription_facts_subscription', 'subscription_facts', ['subscription_id'])
    op.create_table('subscriptions',
    sa.Column('subscription_id', sa.String(255), primary_key=True),
    sa.Column('user_id', sa.UUID()),
    sa.Column('status', sa.String(50), nullable=False),
    sa.Column('tier', sa.String(20), nullable=False),
    sa.Column('renewal_failed', sa.Boolean(), nullable=False),
    sa.Column('cancel_at_period_end', sa.Boolean(), nullable=False),
    sa.Column('current_period_end', sa.DateTime(timezone=True)),
    *_tail())
    op.create_index('idx_subscriptions_user_id', 'subscriptions', ['user_id'])
    op.add_column('user_profiles', sa.Column('subscription_tier', sa.String(20), server_default='free', nullable=False))
    op.create_table('fulfillment_facts',
    sa.Column('entity', sa.String(300), nullable=False),
    sa.Column('event_id', sa.UUID(), nullable=False),
    sa.Column('body', _JSONB, nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('entity', 'event_id'))
    op.create_table('scan_quota',
    sa.Column('user_id', sa.UUID(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('used', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('user_id', 'month'))


def downgrade() -> None:
    for table in ('scan_quota', 'fulfillment_facts', 'subscriptions', 'subscription_facts', 'refunds', 'payments',
                  'order_items', 'orders', 'order_facts'):
        op.drop_table(table)
    op.drop_column('user_profiles', 'subscription_tier')
