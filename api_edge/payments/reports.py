"""The revenue report for admins (and `shine report revenue`)."""

from __future__ import annotations

from api_edge.payments.deps import PaymentsDeps
from schemas.payments import RevenueQuery, RevenueReport, RevenueRow
from storage.orders.reports import RevenueLine, per_currency, revenue_by_day, revenue_by_product


def _row(line: RevenueLine) -> RevenueRow:
    return RevenueRow(
        key=line.key, currency=line.currency, gross=line.gross, refunds=line.refunds, net=line.net, count=line.count
    )


async def revenue(deps: PaymentsDeps, query: RevenueQuery) -> RevenueReport:
    """Gross, refunds, net and count per currency, by day or by product, over [date_from, date_to]."""
    since, until = query.bounds()
    async with deps.db.reading() as conn:
        by = revenue_by_day if query.group_by == "day" else revenue_by_product
        lines = await by(conn, since, until)
    return RevenueReport(
        group_by=query.group_by,
        date_from=since,
        date_to=until,
        rows=[_row(line) for line in lines],
        totals=[_row(line) for line in per_currency(lines)],
    )
