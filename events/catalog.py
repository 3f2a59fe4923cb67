"""Catalog context: normalised products imported from feeds, and how they changed.

Topic `shine.catalog.v1`, keyed by product id (every event's subject), so one product's changes stay in order.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import Field

from events.envelope import Event, Payload

Availability = Literal["in_stock", "out_of_stock", "backorder"]
Platform = Literal["shopify", "shopify-admin", "woocommerce"]


class ProductSource(Payload):
    """One feed's listing of a product (a deduplicated product keeps every source)."""

    platform: Platform
    feed: str
    external_id: str
    product_url: str | None = None
    price: Decimal
    currency: str = Field(min_length=3, max_length=3)
    availability_status: Availability
    stock_quantity: int | None = None


class Product(Payload):
    """A normalised product, shaped like the PRD §10.3 `products` row plus its identity and sources."""

    product_id: uuid.UUID
    identity: str  # the deduplication key the id derives from: gtin:…, sku:…, or name:brand|name|size
    external_id: str
    source_platform: Platform
    name: str = Field(min_length=1, max_length=500)
    brand: str | None = Field(default=None, max_length=255)
    category: str | None = None
    subcategory: str | None = None
    description: str = ""
    ingredients: tuple[str, ...] = ()
    price: Decimal = Field(ge=0, max_digits=10, decimal_places=2)
    currency: str = Field(default="USD", min_length=3, max_length=3)
    availability_status: Availability
    stock_quantity: int | None = Field(default=None, ge=0)
    image_urls: tuple[str, ...] = ()
    product_url: str | None = None
    rating: Decimal | None = Field(default=None, ge=0, le=5)
    review_count: int = Field(default=0, ge=0)
    gtin: str | None = None
    sku: str | None = None
    size: str | None = None
    tags: tuple[str, ...] = ()
    sources: tuple[ProductSource, ...] = ()
    source_updated_at: datetime | None = None


class ProductUpsertedData(Payload):
    product: Product
    revision: int = Field(ge=1)  # the product's revision, assigned by the catalog importer (its single writer)


class ProductPriceChangedData(Payload):
    product_id: uuid.UUID
    previous_price: Decimal
    price: Decimal
    currency: str
    revision: int = Field(ge=1)


class ProductAvailabilityChangedData(Payload):
    product_id: uuid.UUID
    previous_status: Availability
    availability_status: Availability
    stock_quantity: int | None = None
    revision: int = Field(ge=1)


class ProductRemovedData(Payload):
    product_id: uuid.UUID
    feed: str
    reason: str
    revision: int = Field(ge=1)


class ProductUpserted(Event):
    """A product was imported or changed; carries the whole normalised product (an entity snapshot)."""

    TYPE = "product.upserted"
    data: ProductUpsertedData


class ProductPriceChanged(Event):
    """A product's price changed between two imports."""

    TYPE = "product.price_changed"
    data: ProductPriceChangedData


class ProductAvailabilityChanged(Event):
    """A product went in or out of stock (or onto backorder)."""

    TYPE = "product.availability_changed"
    data: ProductAvailabilityChangedData


class ProductRemoved(Event):
    """A product is gone from a full sync of the feed that listed it."""

    TYPE = "product.removed"
    data: ProductRemovedData
