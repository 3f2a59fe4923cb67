"""`shine catalog import|sync` and `shine recs evaluate`: print progress and reports, return exit codes."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Sequence
from urllib.parse import urlsplit

from producers.catalog.feeds import FeedSpec
from producers.catalog.importer import Format
from producers.catalog.publish import ImportOutcome, run_import
from producers.publisher import EventPublisher, build_producer
from shine.settings import CatalogFeed, Settings
from storage.engine import create_engine

log = logging.getLogger(__name__)
FEED_DOWN = 2  # exit status when a feed could not be read (the catalog is left as it was)
SHOWN_REJECTIONS = 50


def _err(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def feed_spec(location: str, fmt: Format, currency: str = "USD") -> FeedSpec:
    """A feed named by its format and where it is, so repeated imports of one feed are recognised as such."""
    where = urlsplit(location).netloc if location.startswith(("http://", "https://")) else location
    return FeedSpec(f"{fmt}@{where}", fmt, location, currency=currency)


def print_report(outcome: ImportOutcome) -> None:
    """The import report on stdout: counts, every rejected row with its reason, what was published."""
    report, plan = outcome.report, outcome.plan
    print(f"import: {report.summary()}")
    for rejection in report.rejected[:SHOWN_REJECTIONS]:
        print(f"  rejected {rejection.feed} row {rejection.external_id or '(no id)'}: {rejection.reason}")
    if len(report.rejected) > SHOWN_REJECTIONS:
        print(f"  … and {len(report.rejected) - SHOWN_REJECTIONS} more rejected rows")
    for warning in report.warnings:
        print(f"  warning: {warning}")
    print(
        f"published: {plan.upserted} upserted, {plan.price_changed} price changes, "
        f"{plan.availability_changed} availability changes, {plan.removed} removed, {plan.unchanged} unchanged"
    )
    for error in report.errors:
        print(f"error: feed unavailable: {error} (its products were left as they were)")


async def _import(settings: Settings, specs: Sequence[FeedSpec]) -> ImportOutcome:
    engine = create_engine(settings.db_url, pool_size=2)
    producer = build_producer(settings.kafka_servers, "shine-catalog")
    await producer.start()
    try:
        publisher = EventPublisher(producer, settings.topic_prefix)
        return await run_import(engine, publisher, specs, progress=_err)
    finally:
        await producer.stop()
        await engine.dispose()


def import_feed(settings: Settings, location: str, fmt: Format, currency: str = "USD") -> int:
    """`shine catalog import PATH|URL --format F`: 0 when the feed was read (rejected rows are reported)."""
    outcome = asyncio.run(_import(settings, [feed_spec(location, fmt, currency)]))
    print_report(outcome)
    return FEED_DOWN if outcome.report.errors else 0


def _specs(feeds: Sequence[CatalogFeed]) -> list[FeedSpec]:
    return [feed_spec(f.url, f.format, f.currency) for f in feeds]


async def _sync_forever(settings: Settings, once: bool) -> int:
    """Sync every configured feed together (a full sync), then again every interval; retry sooner after a failure."""
    specs, retry = _specs(settings.feeds), 5.0
    if not specs:
        _err("catalog sync: no feeds configured (SHINE_CATALOG_FEEDS=[])")
        return 0
    while True:
        try:
            outcome = await _import(settings, specs)
        except Exception as error:  # the database or broker is down: try again, never crash the loop
            _err(f"catalog sync failed: {type(error).__name__}: {error}")
            outcome = None
        if outcome is not None:
            print_report(outcome)
            sys.stdout.flush()
        failed = outcome is None or bool(outcome.report.errors)
        if once:
            return FEED_DOWN if failed else 0
        wait = min(retry, settings.catalog_sync_interval_seconds) if failed else settings.catalog_sync_interval_seconds
        retry = min(retry * 2, 300.0) if failed else 5.0
        await asyncio.sleep(wait)


def sync(settings: Settings, once: bool) -> int:
    """`shine catalog sync [--once]`: the scheduled sync of SHINE_CATALOG_FEEDS."""
    return asyncio.run(_sync_forever(settings, once))


def evaluate(users: int, seed: int) -> int:
    """`shine recs evaluate`: the offline evaluation table, progress on stderr."""
    from analyst.recs_evaluate import demo_products, evaluate, table

    rows = evaluate(demo_products(), users, seed, progress=_err)
    print(table(rows))
    return 0
