"""WooCommerce REST v3 adapter: `/wp-json/wc/v3/products` rows and their variations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from events.catalog import Availability, Product
from producers.catalog import fields
from producers.catalog.context import FeedContext, Listing, build, image_urls, metafield
from producers.catalog.report import RowRejected

_STOCK: Mapping[str, Availability] = {"instock": "in_stock", "outofstock": "out_of_stock", "onbackorder": "backorder"}


def _names(items: Any) -> tuple[str, ...]:
    return tuple(str(i["name"]).strip() for i in items or [] if isinstance(i, Mapping) and i.get("name"))


def _attribute(raw: Mapping[str, Any], name: str) -> str | None:
    for attribute in raw.get("attributes") or []:
        if isinstance(attribute, Mapping) and str(attribute.get("name", "")).casefold() == name:
            options = attribute.get("options") or []
            return ", ".join(str(o) for o in options) if isinstance(options, list) else str(options)
    return None


def _availability(row: Mapping[str, Any]) -> tuple[Availability, int | None]:
    status = row.get("stock_status", "instock")
    if status not in _STOCK:
        raise RowRejected(f"unknown stock_status {status!r}")
    return _STOCK[status], fields.quantity(row.get("stock_quantity")) if row.get("manage_stock", True) else None


def _offer(raw: Mapping[str, Any], variations: Sequence[Mapping[str, Any]]) -> tuple[Mapping[str, Any], str | None]:
    """The row that prices the product: itself, or for a variable product its first in-stock variation."""
    if raw.get("type") != "variable":
        return raw, None
    if not variations:
        raise RowRejected("variable product without variations")
    chosen = next((v for v in variations if v.get("stock_status", "instock") == "instock"), variations[0])
    label = " ".join(str(a.get("option", "")) for a in chosen.get("attributes") or [] if isinstance(a, Mapping))
    return chosen, label


def product(raw: Mapping[str, Any], ctx: FeedContext, variations: Sequence[Mapping[str, Any]] = ()) -> Product:
    """A WooCommerce product (simple or variable): string prices, stock_status and stock_quantity."""
    status = raw.get("status", "publish")
    if status != "publish":
        raise RowRejected(f"status {status!r}: not published")
    name = fields.required_text(raw, "name")
    offer, variant_label = _offer(raw, variations)
    availability, stock = _availability(offer)
    brand = (_names(raw.get("brands")) or (_attribute(raw, "brand"),))[0] or metafield(raw, "brand")
    listing = Listing(
        external_id=fields.external_id(raw),
        name=name,
        brand=str(brand).strip() if brand else None,
        description_html=str(raw.get("description") or raw.get("short_description") or ""),
        price=fields.price(offer.get("price")),
        availability=availability,
        stock_quantity=stock,
        product_type=None,
        tags=_names(raw.get("tags")),
        categories=_names(raw.get("categories")),
        image_urls=image_urls(raw),
        product_url=raw.get("permalink") if isinstance(raw.get("permalink"), str) else None,
        rating=fields.rating(raw.get("average_rating")) if fields.count(raw.get("rating_count")) else None,
        review_count=fields.count(raw.get("rating_count")),
        gtin=fields.gtin(offer.get("global_unique_id") or raw.get("global_unique_id")),
        sku=str(offer.get("sku") or raw.get("sku") or "").strip() or None,
        size=fields.size(variant_label, _attribute(raw, "size"), name),
        ingredients_text=_attribute(raw, "ingredients") or metafield(raw, "ingredients"),
        updated_at=raw.get("date_modified_gmt") or raw.get("date_modified"),
    )
    return build(listing, ctx)
