"""What an adapter knows about the feed a row came from, and the product builder the adapters share."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from events.catalog import Availability, Platform, Product, ProductSource
from knowledge.inci import parse_inci
from knowledge.taxonomy import classify
from producers.catalog import fields


@dataclass(frozen=True)
class FeedContext:
    """The feed's name, format, public base URL (for product links) and currency (feeds rarely state one)."""

    feed: str
    platform: Platform
    base_url: str | None = None
    currency: str = "USD"


@dataclass(frozen=True)
class Listing:
    """What an adapter read from one row, before the shared rules make it a product."""

    external_id: str
    name: str
    brand: str | None
    description_html: str
    price: Decimal
    availability: Availability
    stock_quantity: int | None
    product_type: str | None
    tags: tuple[str, ...]
    categories: tuple[str, ...]
    image_urls: tuple[str, ...]
    product_url: str | None
    rating: Decimal | None
    review_count: int
    gtin: str | None
    sku: str | None
    size: str | None
    ingredients_text: str | None
    updated_at: Any


def metafield(raw: Mapping[str, Any], name: str) -> Any:
    """A metafield's value by key (Shopify `metafields` or WooCommerce `meta_data`), decoding rating JSON."""
    for entry in raw.get("metafields") or raw.get("meta_data") or []:
        if isinstance(entry, Mapping) and str(entry.get("key", "")).lstrip("_") == name:
            value = entry.get("value")
            if isinstance(value, str) and value.startswith("{"):
                try:
                    return json.loads(value).get("value")
                except (ValueError, AttributeError):
                    return None
            return value
    return None


def build(listing: Listing, ctx: FeedContext) -> Product:
    """The normalised product: description text, INCI ingredients, taxonomy, identity and id."""
    description = fields.text(listing.description_html)
    if listing.ingredients_text:
        ingredients = parse_inci(listing.ingredients_text)
    else:
        ingredients = fields.ingredients_section(description)
    place = classify(listing.product_type, listing.tags, listing.categories, listing.name)
    identity = fields.identity(listing.gtin, listing.sku, listing.brand, listing.name, listing.size)
    source = ProductSource(
        platform=ctx.platform,
        feed=ctx.feed,
        external_id=listing.external_id,
        product_url=listing.product_url,
        price=listing.price,
        currency=ctx.currency,
        availability_status=listing.availability,
        stock_quantity=listing.stock_quantity,
    )
    return Product(
        product_id=fields.product_id(identity),
        identity=identity,
        external_id=listing.external_id,
        source_platform=ctx.platform,
        name=listing.name,
        brand=listing.brand,
        category=place.category,
        subcategory=place.subcategory,
        description=description,
        ingredients=ingredients,
        price=listing.price,
        currency=ctx.currency,
        availability_status=listing.availability,
        stock_quantity=listing.stock_quantity,
        image_urls=listing.image_urls,
        product_url=listing.product_url,
        rating=listing.rating,
        review_count=listing.review_count,
        gtin=listing.gtin,
        sku=listing.sku,
        size=listing.size,
        tags=listing.tags,
        sources=(source,),
        source_updated_at=fields.timestamp(listing.updated_at),
    )


def image_urls(raw: Mapping[str, Any]) -> tuple[str, ...]:
    """Image URLs in feed order (http(s) only; a protocol-relative `//cdn…` one, as themes write them, is https)."""
    found = (i.get("src") for i in raw.get("images") or [] if isinstance(i, Mapping))
    absolute = (f"https:{s}" if isinstance(s, str) and s.startswith("//") else s for s in found)
    return tuple(s for s in absolute if isinstance(s, str) and s.startswith(("http://", "https://")))
