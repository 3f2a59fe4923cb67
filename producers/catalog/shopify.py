"""Shopify adapters: the storefront `/products.json` and the Admin REST `products` resource."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from events.catalog import Availability, Product
from producers.catalog import fields
from producers.catalog.context import FeedContext, Listing, build, image_urls, metafield
from producers.catalog.report import RowRejected


def _variants(raw: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    variants = [v for v in raw.get("variants") or [] if isinstance(v, Mapping)]
    if not variants:
        raise RowRejected("no variants (nothing to price)")
    return variants


def _admin_availability(variant: Mapping[str, Any]) -> tuple[Availability, int | None]:
    """Admin stock: tracked quantity decides; an oversell policy turns zero stock into backorder."""
    tracked = variant.get("inventory_management") not in (None, "")
    stock = fields.quantity(variant.get("inventory_quantity")) if tracked else None
    if stock is None or stock > 0:
        return "in_stock", stock
    return ("backorder" if variant.get("inventory_policy") == "continue" else "out_of_stock"), 0


def _tags(value: Any) -> tuple[str, ...]:
    items: Sequence[Any] = value.split(",") if isinstance(value, str) else value or []
    return tuple(t for t in (str(i).strip() for i in items) if t)


def _listing(
    raw: Mapping[str, Any], ctx: FeedContext, variant: Mapping[str, Any], availability: Availability, stock: int | None
) -> Listing:
    name = fields.required_text(raw, "title")
    handle = raw.get("handle")
    url = f"{ctx.base_url.rstrip('/')}/products/{handle}" if ctx.base_url and isinstance(handle, str) else None
    variant_title = str(variant.get("title") or "")
    return Listing(
        external_id=fields.external_id(raw),
        name=name,
        brand=fields.text(raw.get("vendor")) or None,
        description_html=str(raw.get("body_html") or ""),
        price=fields.price(variant.get("price")),
        availability=availability,
        stock_quantity=stock,
        product_type=str(raw.get("product_type") or "") or None,
        tags=_tags(raw.get("tags")),
        categories=(),
        image_urls=image_urls(raw),
        product_url=url,
        rating=fields.rating(metafield(raw, "rating")),
        review_count=fields.count(metafield(raw, "rating_count")),
        gtin=fields.gtin(variant.get("barcode")),
        sku=str(variant.get("sku") or "").strip() or None,
        size=fields.size(variant_title, str(variant.get("option1") or ""), name),
        ingredients_text=metafield(raw, "ingredients"),
        updated_at=raw.get("updated_at"),
    )


def storefront_product(raw: Mapping[str, Any], ctx: FeedContext) -> Product:
    """A storefront product: string prices, tags as a list, variants with `available` and no quantity."""
    variants = _variants(raw)
    # The first variant that can be bought is the one a shopper would get; else the first listed.
    chosen = next((v for v in variants if v.get("available") is True), variants[0])
    availability: Availability = "in_stock" if chosen.get("available") is True else "out_of_stock"
    return build(_listing(raw, ctx, chosen, availability, None), ctx)


def admin_product(raw: Mapping[str, Any], ctx: FeedContext) -> Product:
    """An Admin product: tags a comma-separated string, variants with inventory_quantity, a status."""
    status = raw.get("status", "active")
    if status != "active":
        raise RowRejected(f"status {status!r}: not for sale")
    variants = _variants(raw)
    states = [(_admin_availability(v), v) for v in variants]
    (availability, stock), chosen = next(((s, v) for s, v in states if s[0] == "in_stock"), states[0])
    return build(_listing(raw, ctx, chosen, availability, stock), ctx)
