"""Reads of the orders projection for the edge: a user's orders, one order, payments, subscriptions, prices."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import RowMapping, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.catalog.tables import products
from storage.orders.tables import order_facts, order_items, orders, payments, refunds, subscriptions


@dataclass(frozen=True)
class CatalogPrice:
    """A product as the shop sells it now."""

    product_id: uuid.UUID
    sku: str
    unit_amount: int  # minor units
    currency: str
    available: bool


def minor_units(price: Decimal) -> int:
    """A catalog price (major units, two decimals) in minor units."""
    return int((price * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


async def catalog_prices(conn: AsyncConnection, product_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, CatalogPrice]:
    """Current price and availability of each product found (never the client's word)."""
    p = products.c
    found = await conn.execute(
        select(p.id, p.sku, p.price, p.currency, p.availability_status, p.origin, p.removed_at).where(
            p.id.in_(list(product_ids))
        )
    )
    prices = {}
    for row in found.mappings():
        sellable = row["origin"] == "feed" and row["removed_at"] is None and row["price"] is not None
        available = sellable and row["availability_status"] == "in_stock"
        amount = minor_units(row["price"]) if row["price"] is not None else 0
        prices[row["id"]] = CatalogPrice(row["id"], row["sku"] or str(row["id"]), amount, row["currency"], available)
    return prices


async def order_row(conn: AsyncConnection, order_id: uuid.UUID) -> RowMapping | None:
    """One order's row."""
    return (await conn.execute(select(orders).where(orders.c.id == order_id))).mappings().first()


async def order_by_intent(conn: AsyncConnection, payment_intent_id: str) -> RowMapping | None:
    """The order paid by a PaymentIntent."""
    found = await conn.execute(select(orders).where(orders.c.payment_intent_id == payment_intent_id))
    return found.mappings().first()


async def user_orders(
    conn: AsyncConnection, user_id: uuid.UUID, status: str | None, offset: int, limit: int
) -> tuple[list[RowMapping], int]:
    """A page of the user's orders, newest first, and how many there are."""
    where = [orders.c.user_id == user_id] + ([orders.c.order_status == status] if status else [])
    total = (await conn.execute(select(func.count()).select_from(orders).where(*where))).scalar_one()
    page = await conn.execute(
        select(orders).where(*where).order_by(orders.c.created_at.desc(), orders.c.id).offset(offset).limit(limit)
    )
    return list(page.mappings()), int(total)


async def items_of(conn: AsyncConnection, order_id: uuid.UUID) -> list[RowMapping]:
    """The order's lines in order."""
    found = await conn.execute(select(order_items).where(order_items.c.order_id == order_id).order_by(order_items.c.id))
    return list(found.mappings())


async def refunds_of(conn: AsyncConnection, order_id: uuid.UUID) -> list[RowMapping]:
    """The order's Stripe refunds."""
    found = await conn.execute(select(refunds).where(refunds.c.order_id == order_id).order_by(refunds.c.refund_id))
    return list(found.mappings())


async def fact_bodies(conn: AsyncConnection, order_id: uuid.UUID) -> list[dict[str, object]]:
    """The events folded into the order (for its timeline)."""
    found = await conn.execute(select(order_facts.c.body).where(order_facts.c.order_id == order_id))
    return list(found.scalars())


async def user_payments(
    conn: AsyncConnection, user_id: uuid.UUID, status: str | None, offset: int, limit: int
) -> tuple[list[RowMapping], int, int]:
    """A page of the user's payments, newest first, with the count and amount of all that match."""
    where = [payments.c.user_id == user_id] + ([payments.c.payment_status == status] if status else [])
    count, amount = (
        await conn.execute(select(func.count(), func.coalesce(func.sum(payments.c.amount), 0)).where(*where))
    ).one()
    page = await conn.execute(
        select(payments).where(*where).order_by(payments.c.created_at.desc(), payments.c.id).offset(offset).limit(limit)
    )
    return list(page.mappings()), int(count), int(amount)


async def user_subscriptions(conn: AsyncConnection, user_id: uuid.UUID) -> list[RowMapping]:
    """The user's subscriptions, live ones first."""
    found = await conn.execute(
        select(subscriptions)
        .where(subscriptions.c.user_id == user_id)
        .order_by((subscriptions.c.tier == "premium").desc(), subscriptions.c.subscription_id)
    )
    return list(found.mappings())
