"""Deduplication across feeds: one product per identity (GTIN, SKU, else brand + name + size), every source kept."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from events.catalog import Product, ProductSource
from producers.catalog import fields


def offer_fields(product: Product, sources: Sequence[ProductSource]) -> dict[str, Any]:
    """Price, availability, link and stock from a product's sources: the cheapest in-stock offer leads."""
    offers = [s for s in sources if s.currency == product.currency] or list(sources)
    in_stock = [s for s in offers if s.availability_status == "in_stock"]
    best = min(in_stock or offers, key=lambda s: (s.price, s.feed))
    quantities = [s.stock_quantity for s in sources if s.stock_quantity is not None]
    return {
        "price": best.price,
        "availability_status": best.availability_status,
        "product_url": best.product_url,
        "external_id": best.external_id,
        "source_platform": best.platform,
        "stock_quantity": sum(quantities) if quantities else None,
        "sources": tuple(sorted(sources, key=lambda s: (s.feed, s.external_id))),  # order-free equality
    }


def _merge(group: Sequence[Product]) -> Product:
    """Fold listings of one product: offers from every source; counts add up; richest text wins."""
    sources: dict[tuple[str, str], ProductSource] = {}
    for listing in group:
        for source in listing.sources:
            sources.setdefault((source.feed, source.external_id), source)
    lead = group[0]
    reviews = sum(p.review_count for p in group)
    rated = [(p.rating, p.review_count) for p in group if p.rating is not None]
    rating = lead.rating
    if rated and reviews:
        rating = (sum((r * n for r, n in rated), Decimal(0)) / max(1, sum(n for _, n in rated))).quantize(
            Decimal("0.01")
        )
    return lead.model_copy(
        update={
            **offer_fields(lead, list(sources.values())),
            "review_count": reviews,
            "rating": rating,
            "ingredients": max((p.ingredients for p in group), key=len),
            "description": max((p.description for p in group), key=len),
            "image_urls": tuple(dict.fromkeys(u for p in group for u in p.image_urls)),
            "category": next((p.category for p in group if p.category), None),
            "subcategory": next((p.subcategory for p in group if p.subcategory), None),
        }
    )


def match_keys(product: Product) -> tuple[str, ...]:
    """The keys two listings of one product can share: GTIN and brand + SKU, else brand + name + size."""
    codes = tuple(
        k
        for k in (
            fields.identity(product.gtin, None, None, "", None) if product.gtin else None,
            fields.identity(None, product.sku, product.brand, "", None) if product.sku else None,
        )
        if k
    )
    return codes or (fields.identity(None, None, product.brand, product.name, product.size),)


def _groups(products: Sequence[Product]) -> list[list[Product]]:
    """Listings joined when they share any key (union-find), in first-seen order."""
    parent = list(range(len(products)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, product in enumerate(products):
        for k in match_keys(product):
            if k in owner:
                parent[root(i)] = root(owner[k])
            else:
                owner[k] = i
    groups: dict[int, list[Product]] = {}
    for i, product in enumerate(products):
        groups.setdefault(root(i), []).append(product)
    return list(groups.values())  # dict order: each group where its first listing was seen


def deduplicate(products: Sequence[Product]) -> tuple[tuple[Product, ...], int]:
    """One product per identity, in first-seen order, and how many listings were folded into another.

    The merged product's identity (and so its id) is the strongest any listing offers: a GTIN, else brand + SKU.
    """
    merged: list[Product] = []
    for group in _groups(products):
        best = min((p.identity for p in group), key=lambda k: ("gtin:", "sku:", "name:").index(k[: k.index(":") + 1]))
        product = _merge(group) if len(group) > 1 else group[0]
        if product.identity != best:
            product = product.model_copy(update={"identity": best, "product_id": fields.product_id(best)})
        merged.append(product)
    return tuple(merged), len(products) - len(merged)
