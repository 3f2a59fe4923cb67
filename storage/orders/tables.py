"""The orders projection (PRD §10.4 `orders`, `order_items`, `payments`, plus `refunds` and `subscriptions`).

Amounts are integer minor units of `currency` (the PRD's DECIMAL columns hold major units; Stripe and every
event speak minor units, so we store what we are told). `order_facts` and `subscription_facts` keep every event
folded into an order or a subscription: each row of the other tables is a pure function of those facts, so any
arrival order, repetition or replay gives the same rows.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, DateTime, Index, Integer, String, Table
from sqlalchemy.dialects.postgresql import JSONB, UUID

from storage.metadata import PROJECTION, metadata, revision, updated_at

order_facts = Table(
    "order_facts",
    metadata,
    Column("event_id", UUID(as_uuid=True), primary_key=True),
    Column("order_id", UUID(as_uuid=True), nullable=False),
    Column("event_type", String(100), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("body", JSONB, nullable=False),  # the CloudEvents record, decoded again by the fold
    info=PROJECTION,
)
Index("idx_order_facts_order_id", order_facts.c.order_id)

orders = Table(
    "orders",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("user_id", UUID(as_uuid=True)),
    Column("order_number", String(100)),
    Column("order_status", String(50), nullable=False),
    Column("total_amount", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("payment_status", String(50), nullable=False),
    Column("fulfillment_status", String(50), nullable=False),
    Column("payment_intent_id", String(255)),
    Column("paid_amount", BigInteger, nullable=False),
    Column("refunded_amount", BigInteger, nullable=False),
    Column("refundable_amount", BigInteger, nullable=False),
    Column("partner", String(100)),
    Column("partner_order_id", String(255)),
    Column("carrier", String(100)),
    Column("tracking_number", String(255)),
    Column("shipping_address", JSONB),
    Column("billing_address", JSONB),
    Column("paid_at", DateTime(timezone=True)),
    Column("shipped_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True)),
    revision(),
    updated_at(),
    info=PROJECTION,
)
Index("idx_orders_user_id", orders.c.user_id)
Index("idx_orders_number", orders.c.order_number)
Index("idx_orders_status", orders.c.order_status)
Index("idx_orders_created_at", orders.c.created_at)
Index("idx_orders_payment_intent", orders.c.payment_intent_id)

order_items = Table(
    "order_items",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("order_id", UUID(as_uuid=True), nullable=False),
    Column("product_id", UUID(as_uuid=True), nullable=False),
    Column("sku", String(255), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price", BigInteger, nullable=False),
    Column("total_price", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    revision(),
    info=PROJECTION,
)
Index("idx_order_items_order_id", order_items.c.order_id)
Index("idx_order_items_product_id", order_items.c.product_id)

payments = Table(
    "payments",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("order_id", UUID(as_uuid=True), nullable=False),
    Column("user_id", UUID(as_uuid=True)),
    Column("stripe_payment_intent_id", String(255), unique=True),
    Column("payment_method", String(100)),
    Column("amount", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("payment_status", String(50), nullable=False),
    Column("refunded_amount", BigInteger, nullable=False),
    Column("processed_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True)),
    revision(),
    updated_at(),
    info=PROJECTION,
)
Index("idx_payments_order_id", payments.c.order_id)
Index("idx_payments_user_id", payments.c.user_id)
Index("idx_payments_status", payments.c.payment_status)

refunds = Table(
    "refunds",
    metadata,
    Column("refund_id", String(255), primary_key=True),
    Column("order_id", UUID(as_uuid=True), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(50), nullable=False),
    Column("created_at", DateTime(timezone=True)),  # when we first heard of it (event time)
    revision(),
    updated_at(),
    info=PROJECTION,
)
Index("idx_refunds_order_id", refunds.c.order_id)

subscription_facts = Table(
    "subscription_facts",
    metadata,
    Column("event_id", UUID(as_uuid=True), primary_key=True),
    Column("subscription_id", String(255), nullable=False),
    Column("body", JSONB, nullable=False),
    info=PROJECTION,
)
Index("idx_subscription_facts_subscription", subscription_facts.c.subscription_id)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("subscription_id", String(255), primary_key=True),
    Column("user_id", UUID(as_uuid=True)),
    Column("status", String(50), nullable=False),
    Column("tier", String(20), nullable=False),
    Column("renewal_failed", Boolean, nullable=False),
    Column("cancel_at_period_end", Boolean, nullable=False),
    Column("current_period_end", DateTime(timezone=True)),
    revision(),
    updated_at(),
    info=PROJECTION,
)
Index("idx_subscriptions_user_id", subscriptions.c.user_id)
