"""Reads of the products projection: search with filters and pagination, one product, the stored catalog."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ColumnElement, RowMapping, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from events.catalog import Product, ProductSource
from storage.catalog.tables import products

c = products.c


@dataclass(frozen=True)
class ProductQuery:
    """What GET /products filters by; `search` matches name, brand, description and ingredients."""

    search: str | None = None
    category: str | None = None
    brand: str | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    availability: str | None = None
    offset: int = 0
    limit: int = 20


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _conditions(q: ProductQuery) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = [c.removed_at.is_(None)]
    if q.search:
        pattern = _like(q.search)
        found.append(
            or_(
                c.name.ilike(pattern),
                c.brand.ilike(pattern),
                c.description.ilike(pattern),
                func.array_to_string(c.ingredients, " ").ilike(pattern),
            )
        )
    if q.category:
        found.append(or_(c.category == q.category, c.subcategory == q.category))
    if q.brand:
        found.append(func.lower(c.brand) == q.brand.lower())
    if q.price_min is not None:
        found.append(c.price >= q.price_min)
    if q.price_max is not None:
        found.append(c.price <= q.price_max)
    if q.availability:
        found.append(c.availability_status == q.availability)
    return found


async def search(conn: AsyncConnection, q: ProductQuery) -> tuple[list[RowMapping], int]:
    """A page of products (feed products first, then by name) and the total that match."""
    where = and_(*_conditions(q))
    total = (await conn.execute(select(func.count()).select_from(products).where(where))).scalar_one()
    stmt = select(products).where(where).order_by(c.origin, c.name, c.id).offset(q.offset).limit(q.limit)
    return list((await conn.execute(stmt)).mappings().all()), int(total)


async def by_id(conn: AsyncConnection, product_id: uuid.UUID) -> RowMapping | None:
    """One product (also a removed one, marked so)."""
    return (await conn.execute(select(products).where(c.id == product_id))).mappings().first()


async def by_ids(conn: AsyncConnection, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, RowMapping]:
    """Products by id (missing ids are absent)."""
    if not ids:
        return {}
    rows = (await conn.execute(select(products).where(c.id.in_(list(ids))))).mappings().all()
    return {r["id"]: r for r in rows}


def product_of(row: RowMapping) -> Product:
    """The normalised product a feed row holds (the shape the importer and the recommender work with)."""
    return Product(
        product_id=row["id"],
        identity=row["identity"],
        external_id=row["external_id"] or "",
        source_platform=row["source_platform"],
        name=row["name"],
        brand=row["brand"],
        category=row["category"],
        subcategory=row["subcategory"],
        description=row["description"] or "",
        ingredients=tuple(row["ingredients"]),
        price=row["price"],
        currency=row["currency"],
        availability_status=row["availability_status"],
        stock_quantity=row["stock_quantity"],
        image_urls=tuple(row["image_urls"]),
        product_url=row["product_url"],
        rating=row["rating"],
        review_count=row["review_count"],
        gtin=row["gtin"],
        sku=row["sku"],
        size=row["size"],
        tags=tuple(row["tags"]),
        sources=tuple(ProductSource.model_validate(s) for s in row["sources"]),
    )


async def feed_products(conn: AsyncConnection) -> list[Product]:
    """Every listed feed product, in id order (the recommender's catalog)."""
    stmt = select(products).where(c.origin == "feed", c.removed_at.is_(None)).order_by(c.id)
    return [product_of(r) for r in (await conn.execute(stmt)).mappings().all()]


async def importer_view(conn: AsyncConnection) -> list[tuple[Product, int, bool]]:
    """Every feed product ever imported: (product, revision, removed), for planning the next import."""
    rows = (await conn.execute(select(products).where(c.origin == "feed"))).mappings().all()
    return [(product_of(r), int(r["revision"]), r["removed_at"] is not None) for r in rows]


async def catalog_version(conn: AsyncConnection) -> tuple[int, int]:
    """(products, sum of revisions): changes whenever any product is added, changed or removed."""
    stmt = select(func.count(), func.coalesce(func.sum(c.revision), 0)).where(c.origin == "feed")
    count, revisions = (await conn.execute(stmt)).one()
    return int(count), int(revisions)


async def revisions_of(conn: AsyncConnection, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    """The folded revision of each product (to wait until an import is visible)."""
    if not ids:
        return {}
    rows = (await conn.execute(select(c.id, c.revision).where(c.id.in_(list(ids))))).all()
    return {r[0]: int(r[1]) for r in rows}
