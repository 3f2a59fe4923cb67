"""Folds of the products projection: monotonic by the product's revision (storage/revisions.py).

The catalog importer is each feed product's single writer and stamps every event with the product's revision;
one import step's events (upserted, price changed, availability changed) share it. Products discovered on the
web carry no revision of their own: they are inserted once at revision 0 (origin "web", availability unknown,
never sold) and never overwrite a feed product, which always replaces them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from events.catalog import (
    Product,
    ProductAvailabilityChanged,
    ProductPriceChanged,
    ProductRemoved,
    ProductUpserted,
)
from events.discovery import ProductDiscovered
from storage.catalog.tables import products
from storage.revisions import upsert_newer

DISCOVERED_REVISION = 0


def product_row(product: Product) -> dict[str, Any]:
    """The products row of a normalised product (without revision and timestamps)."""
    return {
        "id": product.product_id,
        "identity": product.identity,
        "external_id": product.external_id,
        "source_platform": product.source_platform,
        "name": product.name,
        "brand": product.brand,
        "category": product.category,
        "subcategory": product.subcategory,
        "description": product.description,
        "ingredients": list(product.ingredients),
        "price": product.price,
        "currency": product.currency,
        "availability_status": product.availability_status,
        "stock_quantity": product.stock_quantity,
        "image_urls": list(product.image_urls),
        "product_url": product.product_url,
        "rating": product.rating,
        "review_count": product.review_count,
        "gtin": product.gtin,
        "sku": product.sku,
        "size": product.size,
        "tags": list(product.tags),
        "sources": [s.model_dump(mode="json") for s in product.sources],
        "origin": "feed",
        "removed_at": None,
    }


async def product_upserted(conn: AsyncConnection, event: ProductUpserted) -> None:
    """The whole product at its revision (a removed product listed again comes back)."""
    row = product_row(event.data.product)
    await upsert_newer(
        conn, products, ["id"], row, revision=event.data.revision, on_insert={"created_at": event.occurred_at}
    )


async def upsert_products(conn: AsyncConnection, batch: Sequence[ProductUpserted]) -> None:
    """Many product.upserted events in one statement, under upsert_newer's rule (only an equal or newer revision).

    The catalog importer folds what it publishes this way so an import is visible at once (read-your-write, as
    the edge does for uploads); the projector then re-applies the same events, which changes nothing.
    """
    newest: dict[Any, ProductUpserted] = {}
    for event in batch:  # one row per product: a statement may not touch a row twice
        pid = event.data.product.product_id
        if pid not in newest or newest[pid].data.revision <= event.data.revision:
            newest[pid] = event
    if not newest:
        return
    rows = [
        {**product_row(e.data.product), "revision": e.data.revision, "created_at": e.occurred_at}
        for e in newest.values()
    ]
    stmt = insert(products)
    updates = {k: stmt.excluded[k] for k in rows[0] if k not in ("id", "created_at")}
    stmt = stmt.on_conflict_do_update(
        index_elements=[products.c.id], set_=updates, where=products.c.revision <= stmt.excluded.revision
    )
    await conn.execute(stmt, rows)  # executemany: the driver batches the rows


async def _update(conn: AsyncConnection, event_revision: int, product_id: Any, values: dict[str, Any]) -> None:
    # A change event never creates a product: its product.upserted (same revision, earlier in the partition) did.
    c = products.c
    stmt = (
        update(products)
        .where(c.id == product_id, c.revision <= event_revision)
        .values(**values, revision=event_revision)
    )
    await conn.execute(stmt)


async def price_changed(conn: AsyncConnection, event: ProductPriceChanged) -> None:
    """The new price, unless a newer revision is already folded."""
    d = event.data
    await _update(conn, d.revision, d.product_id, {"price": d.price, "currency": d.currency})


async def availability_changed(conn: AsyncConnection, event: ProductAvailabilityChanged) -> None:
    """In or out of stock, unless a newer revision is already folded."""
    d = event.data
    values = {"availability_status": d.availability_status, "stock_quantity": d.stock_quantity}
    await _update(conn, d.revision, d.product_id, values)


async def product_removed(conn: AsyncConnection, event: ProductRemoved) -> None:
    """Gone from every feed: kept for history (recommendations and orders refer to it), marked removed."""
    d = event.data
    await _update(conn, d.revision, d.product_id, {"removed_at": event.occurred_at})


async def product_discovered(conn: AsyncConnection, event: ProductDiscovered) -> None:
    """A product seen on the web: inserted once, never over a feed product (origin "web", never sold)."""
    d = event.data
    stmt = insert(products).values(
        id=d.product_id,
        identity=f"web:{d.canonical_url}"[:600],
        external_id=None,
        source_platform=None,
        name=d.name[:500],
        brand=d.brand[:255] if d.brand else None,
        description="",
        ingredients=list(d.ingredients),
        price=d.price,
        currency=(d.currency or "USD")[:3],
        availability_status="unknown",
        image_urls=list(d.image_urls),
        product_url=d.source_url,
        review_count=0,
        tags=[],
        sources=[{"platform": "web", "site": d.site, "url": d.source_url}],
        origin="web",
        created_at=event.occurred_at,
        revision=DISCOVERED_REVISION,
    )
    await conn.execute(stmt.on_conflict_do_nothing(index_elements=[products.c.id]))
