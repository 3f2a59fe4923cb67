"""The products projection (PRD §10.3 `products`, plus identity, stock, sources and the product's revision)."""

from __future__ import annotations

from sqlalchemy import ARRAY, Column, DateTime, Index, Integer, Numeric, String, Table, Text
from sqlalchemy.dialects.postgresql import JSONB, UUID

from storage.metadata import PROJECTION, metadata, revision, updated_at

products = Table(
    "products",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("identity", String(600), nullable=False),  # gtin:…, sku:… or name:brand|name|size (dedupe key)
    Column("external_id", String(255)),
    Column("source_platform", String(100)),
    Column("name", String(500), nullable=False),
    Column("brand", String(255)),
    Column("category", String(100)),
    Column("subcategory", String(100)),
    Column("description", Text),
    Column("ingredients", ARRAY(Text), nullable=False),  # normalised INCI names
    Column("price", Numeric(10, 2)),
    Column("currency", String(3), nullable=False),
    Column("availability_status", String(50), nullable=False),
    Column("stock_quantity", Integer),
    Column("image_urls", ARRAY(Text), nullable=False),
    Column("product_url", Text),
    Column("rating", Numeric(3, 2)),
    Column("review_count", Integer, nullable=False),
    Column("gtin", String(50)),
    Column("sku", String(255)),
    Column("size", String(100)),
    Column("tags", ARRAY(Text), nullable=False),
    Column("sources", JSONB, nullable=False),  # every feed listing this product
    Column("origin", String(20), nullable=False),  # "feed", or "web" for discovered products (never sold)
    Column("removed_at", DateTime(timezone=True)),  # gone from every feed's full sync
    Column("created_at", DateTime(timezone=True), nullable=False),
    revision(),
    updated_at(),
    info=PROJECTION,
)
Index("idx_products_external_id", products.c.external_id)
Index("idx_products_brand", products.c.brand)
Index("idx_products_category", products.c.category)
Index("idx_products_price", products.c.price)
Index("idx_products_rating", products.c.rating)
Index("idx_products_identity", products.c.identity)
