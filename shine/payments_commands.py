"""`shine report revenue`: the revenue report as CSV (the same numbers as GET /admin/reports/revenue)."""

from __future__ import annotations

import argparse
import asyncio
import csv
import sys
from datetime import UTC, date, datetime, time, timedelta
from typing import TextIO

from shine.settings import Settings
from storage.engine import create_engine
from storage.orders.reports import RevenueLine, revenue_by_day, revenue_by_product

COLUMNS = ("group", "currency", "gross", "refunds", "net", "count")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`shine report revenue --from DATE --to DATE [--group-by day|product] [--output FILE]`."""
    report = sub.add_parser("report", help="financial reports").add_subparsers(dest="report_command", required=True)
    revenue = report.add_parser("revenue", help="gross, refunds, net and count per currency, as CSV")
    revenue.add_argument("--from", dest="date_from", type=date.fromisoformat, required=True, help="first day")
    revenue.add_argument("--to", dest="date_to", type=date.fromisoformat, required=True, help="last day (inclusive)")
    revenue.add_argument("--group-by", choices=["day", "product"], default="day")
    revenue.add_argument("--output", help="file to write (default: stdout)")


async def _lines(settings: Settings, since: datetime, until: datetime, group_by: str) -> list[RevenueLine]:
    engine = create_engine(settings.db_url, pool_size=1)
    try:
        async with engine.connect() as conn:
            by = revenue_by_day if group_by == "day" else revenue_by_product
            return await by(conn, since, until)
    finally:
        await engine.dispose()


def write_csv(lines: list[RevenueLine], out: TextIO) -> None:
    """One row per group and currency, amounts in minor units."""
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for line in lines:
        writer.writerow((line.key, line.currency, line.gross, line.refunds, line.net, line.count))


def revenue(settings: Settings, args: argparse.Namespace) -> int:
    """Run `shine report revenue`."""
    if args.date_to < args.date_from:
        print("--to must not be before --from", file=sys.stderr)
        return 2
    since = datetime.combine(args.date_from, time.min, UTC)
    until = datetime.combine(args.date_to + timedelta(days=1), time.min, UTC)
    lines = asyncio.run(_lines(settings, since, until, args.group_by))
    if args.output:
        with open(args.output, "w", newline="") as out:
            write_csv(lines, out)
    else:
        write_csv(lines, sys.stdout)
    return 0
