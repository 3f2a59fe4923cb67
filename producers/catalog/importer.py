"""Rows of a feed → validated, normalised, deduplicated products and an import report (bad rows never half-written)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError

from events.catalog import Product
from producers.catalog import shopify, woocommerce
from producers.catalog.context import FeedContext
from producers.catalog.dedupe import deduplicate
from producers.catalog.report import ImportReport, Rejection, RowRejected

Format = Literal["shopify", "shopify-admin", "woocommerce"]
FORMATS: tuple[Format, ...] = ("shopify", "shopify-admin", "woocommerce")


@dataclass(frozen=True)
class FeedRows:
    """What was read from one feed: its rows, WooCommerce variations by product id, and any feed-level error."""

    context: FeedContext
    rows: tuple[Any, ...]
    variations: Mapping[str, tuple[Mapping[str, Any], ...]] = field(default_factory=dict)
    error: str | None = None


def _adapter(feed: FeedRows) -> Callable[[Mapping[str, Any]], Product]:
    ctx = feed.context
    if ctx.platform == "shopify":
        return lambda raw: shopify.storefront_product(raw, ctx)
    if ctx.platform == "shopify-admin":
        return lambda raw: shopify.admin_product(raw, ctx)
    return lambda raw: woocommerce.product(raw, ctx, feed.variations.get(str(raw.get("id")), ()))


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"invalid {where}: {first['msg']}"
    return str(error) if isinstance(error, RowRejected) else f"malformed row: {type(error).__name__}: {error}"


def read_rows(feed: FeedRows) -> tuple[list[Product], list[Rejection]]:
    """Each row to a product or a rejection with its reason; a repeated id keeps the first row."""
    adapt, name = _adapter(feed), feed.context.feed
    products: list[Product] = []
    rejected: list[Rejection] = []
    seen: set[str] = set()
    for raw in feed.rows:
        row_id = str(raw.get("id")) if isinstance(raw, Mapping) and raw.get("id") is not None else None
        if not isinstance(raw, Mapping):
            rejected.append(Rejection(name, None, "row is not an object"))
            continue
        if row_id in seen:
            rejected.append(Rejection(name, row_id, f"duplicate id {row_id} (the first row with it was kept)"))
            continue
        try:
            product = adapt(raw)
        except (RowRejected, ValidationError, TypeError, ValueError, AttributeError, KeyError) as error:
            rejected.append(Rejection(name, row_id, _reason(error)))
            continue
        seen.add(product.external_id)
        products.append(product)
    return products, rejected


def import_feeds(feeds: Sequence[FeedRows]) -> ImportReport:
    """Import several feeds together: rows validated per feed, then products deduplicated across all of them."""
    products: list[Product] = []
    rejected: list[Rejection] = []
    errors = [f"{f.context.feed}: {f.error}" for f in feeds if f.error]
    for feed in feeds:
        if feed.error is None:
            found, bad = read_rows(feed)
            products += found
            rejected += bad
    merged, folded = deduplicate(products)
    rows = sum(len(f.rows) for f in feeds if f.error is None)
    failed = tuple(f.context.feed for f in feeds if f.error)
    return ImportReport(
        merged, tuple(rejected), rows_read=rows, merged=folded, errors=tuple(errors), failed_feeds=failed
    )
