"""Deduplication across feeds: one product per identity (GTIN, SKU, else brand + name + size), every source kept."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from events.catalog import Product, ProductSource


def _merge(group: Sequence[Product]) -> Product:
    """Fold listings of one product: the cheapest in-stock offer leads; counts add up; richest text wins."""
    sources: dict[tuple[str, str], ProductSource] = {}
    for listing in group:
        for source in listing.sources:
            sources.setdefault((source.feed, source.external_id), source)
    lead = group[0]
    offers = [s for s in sources.values() if s.currency == lead.currency]
    in_stock = [s for s in offers if s.availability_status == "in_stock"]
    best = min(in_stock or offers, key=lambda s: (s.price, s.feed))
    quantities = [s.stock_quantity for s in sources.values() if s.stock_quantity is not None]
    reviews = sum(p.review_count for p in group)
    rated = [(p.rating, p.review_count) for p in group if p.rating is not None]
    rating = lead.rating
    if rated and reviews:
        rating = (sum((r * n for r, n in rated), Decimal(0)) / max(1, sum(n for _, n in rated))).quantize(
            Decimal("0.01")
        )
    return lead.model_copy(
        update={
            "price": best.price,
            "availability_status": best.availability_status,
            "product_url": best.product_url,
            "external_id": best.external_id,
            "source_platform": best.platform,
            "stock_quantity": sum(quantities) if quantities else None,
            "review_count": reviews,
            "rating": rating,
            "ingredients": max((p.ingredients for p in group), key=len),
            "description": max((p.description for p in group), key=len),
            "image_urls": tuple(dict.fromkeys(u for p in group for u in p.image_urls)),
            "category": next((p.category for p in group if p.category), None),
            "subcategory": next((p.subcategory for p in group if p.subcategory), None),
            "sources": tuple(sources.values()),
        }
    )


def deduplicate(products: Sequence[Product]) -> tuple[tuple[Product, ...], int]:
    """One product per identity, in first-seen order, and how many listings were folded into another."""
    groups: dict[str, list[Product]] = {}
    for product in products:
        groups.setdefault(product.identity, []).append(product)
    merged = tuple(_merge(g) if len(g) > 1 else g[0] for g in groups.values())
    return merged, len(products) - len(merged)
