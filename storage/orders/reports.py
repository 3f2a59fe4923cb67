"""Revenue from the orders projection: gross, refunds, net and count per currency, by day or by product.

Gross counts each successful payment on the day it succeeded; refunds count on the day Stripe's refund was
first heard of (so a period's net is what moved in it). By product, an order's payment and refunds are shared
out across its lines in proportion to each line's total.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.orders.tables import order_items, orders, refunds

SETTLED_REFUND = "succeeded"


@dataclass(frozen=True)
class RevenueLine:
    key: str
    currency: str
    gross: int
    refunds: int
    count: int

    @property
    def net(self) -> int:
        """Gross minus refunds."""
        return self.gross - self.refunds


def _between(
    column: ColumnElement[datetime], since: datetime | None, until: datetime | None
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if since is not None:
        conditions.append(column >= since)
    if until is not None:
        conditions.append(column < until)
    return conditions


async def revenue_by_day(conn: AsyncConnection, since: datetime | None, until: datetime | None) -> list[RevenueLine]:
    """One line per UTC day and currency."""
    day = func.to_char(func.timezone("UTC", orders.c.paid_at), "YYYY-MM-DD")
    paid = await conn.execute(
        select(day, orders.c.currency, func.sum(orders.c.paid_amount), func.count())
        .where(orders.c.paid_at.is_not(None), *_between(orders.c.paid_at, since, until))
        .group_by(day, orders.c.currency)
    )
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for key, currency, gross, count in paid:
        totals[(key, currency)][0] += int(gross)
        totals[(key, currency)][2] += int(count)
    refund_day = func.to_char(func.timezone("UTC", refunds.c.created_at), "YYYY-MM-DD")
    back = await conn.execute(
        select(refund_day, refunds.c.currency, func.sum(refunds.c.amount))
        .where(refunds.c.status == SETTLED_REFUND, *_between(refunds.c.created_at, since, until))
        .group_by(refund_day, refunds.c.currency)
    )
    for key, currency, amount in back:
        totals[(key, currency)][1] += int(amount)
    return [RevenueLine(k, c, g, r, n) for (k, c), (g, r, n) in sorted(totals.items())]


async def revenue_by_product(
    conn: AsyncConnection, since: datetime | None, until: datetime | None
) -> list[RevenueLine]:
    """One line per product and currency, for orders paid in the period."""
    found = await conn.execute(
        select(
            order_items.c.product_id,
            orders.c.currency,
            order_items.c.total_price,
            orders.c.total_amount,
            orders.c.paid_amount,
            orders.c.refunded_amount,
        )
        .select_from(orders.join(order_items, and_(order_items.c.order_id == orders.c.id)))
        .where(orders.c.paid_at.is_not(None), *_between(orders.c.paid_at, since, until))
    )
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for product_id, currency, line_total, order_total, paid, refunded in found:
        share = (line_total / order_total) if order_total else 0
        line = totals[(str(product_id), currency)]
        line[0] += round(paid * share)
        line[1] += round(refunded * share)
        line[2] += 1
    return [RevenueLine(k, c, g, r, n) for (k, c), (g, r, n) in sorted(totals.items())]


def per_currency(lines: list[RevenueLine]) -> list[RevenueLine]:
    """The report's totals, one line per currency."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for line in lines:
        t = totals[line.currency]
        t[0], t[1], t[2] = t[0] + line.gross, t[1] + line.refunds, t[2] + line.count
    return [RevenueLine("total", c, g, r, n) for c, (g, r, n) in sorted(totals.items())]
