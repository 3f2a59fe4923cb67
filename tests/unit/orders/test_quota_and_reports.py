"""Calendar months of the free tier, and revenue totals per currency."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from storage.orders.quota import month_of, next_reset
from storage.orders.reports import RevenueLine, per_currency


def test_months_are_utc_calendar_months() -> None:
    late = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert month_of(late) == date(2026, 12, 1)
    assert next_reset(late) == datetime(2027, 1, 1, tzinfo=UTC)
    # 00:30 on 1 March in UTC+2 is still February in UTC.
    east = datetime(2026, 3, 1, 0, 30, tzinfo=timezone(timedelta(hours=2)))
    assert month_of(east) == date(2026, 2, 1) and next_reset(east) == datetime(2026, 3, 1, tzinfo=UTC)


def test_totals_are_per_currency_and_net_is_gross_minus_refunds() -> None:
    lines = [
        RevenueLine("2026-05-01", "usd", 1000, 200, 2),
        RevenueLine("2026-05-02", "usd", 500, 0, 1),
        RevenueLine("2026-05-01", "eur", 700, 700, 1),
    ]
    totals = per_currency(lines)
    assert [(t.currency, t.gross, t.refunds, t.net, t.count) for t in totals] == [
        ("eur", 700, 700, 0, 1),
        ("usd", 1500, 200, 1300, 3),
    ]
