"""A catalog import run: read feeds, plan against the products projection, publish, wait until it is visible.

The importer is each product's single writer (its events carry the product's revision). Runs are serialised by a
Postgres advisory lock held from reading the projection until the projector has folded what was published, so a
second run (the scheduled sync and a `shine catalog import` at once) always plans from the first one's result.
A feed that is down contributes nothing: its products are neither changed nor removed.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from events.catalog import ProductAvailabilityChanged, ProductPriceChanged, ProductRemoved, ProductUpserted
from events.topics import CATALOG
from producers.catalog.dedupe import match_keys
from producers.catalog.feeds import FeedSpec
from producers.catalog.fetch import fetch_feed
from producers.catalog.files import load_file
from producers.catalog.importer import FeedRows, import_feeds
from producers.catalog.report import ImportReport
from producers.catalog.sync import Stored, SyncPlan, plan_sync
from producers.publisher import EventPublisher
from storage.catalog import folds
from storage.catalog.queries import importer_view, revisions_of

IMPORT_LOCK = 0x534849_4E45_43  # "SHINEC": one catalog import at a time across processes
PUBLISH_BATCH = 500
FOLD_BATCH = 500  # 26 columns a row: well under Postgres's 32,767 parameters a statement
Progress = Callable[[str], None]


@dataclass(frozen=True)
class ImportOutcome:
    """The import report, the published plan, and whether the projection showed the result in time."""

    report: ImportReport
    plan: SyncPlan
    visible: bool


async def read_feed(spec: FeedSpec, timeout: float = 30.0) -> FeedRows:
    """Rows of one feed: over HTTP for a URL, from disk otherwise."""
    if not spec.location.startswith(("http://", "https://")):
        return await asyncio.to_thread(load_file, spec)
    async with httpx.AsyncClient(timeout=timeout, trust_env=False, follow_redirects=True) as client:
        return await fetch_feed(client, spec)


async def _stored(engine: AsyncEngine) -> dict[uuid.UUID, Stored]:
    async with engine.connect() as conn:
        rows = await importer_view(conn)
    # A removed product keeps its revision but lists no feed, so a later sync neither removes it again nor
    # reuses a revision when it comes back.
    return {
        p.product_id: Stored(p.model_copy(update={"sources": ()}) if removed else p, revision)
        for p, revision, removed in rows
    }


def align(report: ImportReport, previous: dict[uuid.UUID, Stored]) -> ImportReport:
    """Give each imported product the id of the stored product it is (a shared GTIN, brand + SKU, or name key).

    Deduplication inside one import cannot see products other feeds brought in earlier; without this, a feed
    imported on its own would duplicate every product another feed already listed under a different identity.
    """
    owner: dict[str, uuid.UUID] = {}
    for pid, stored in sorted(previous.items(), key=lambda item: str(item[0])):
        for k in (*match_keys(stored.product), stored.product.identity):
            owner.setdefault(k, pid)
    taken: set[uuid.UUID] = set()
    aligned = []
    for fresh in report.products:
        found = next((owner[k] for k in (fresh.identity, *match_keys(fresh)) if k in owner), None)
        product = fresh
        if found is not None and found != fresh.product_id and found not in taken:
            product = fresh.model_copy(update={"product_id": found, "identity": previous[found].product.identity})
        taken.add(product.product_id)
        aligned.append(product)
    return replace(report, products=tuple(aligned))


async def fold_published(engine: AsyncEngine, plan: SyncPlan) -> None:
    """Fold what was just published into the products projection in batches (read-your-write; idempotent)."""
    upserts = [e for e in plan.events if isinstance(e, ProductUpserted)]
    for start in range(0, len(upserts), FOLD_BATCH):
        async with engine.begin() as conn:
            await folds.upsert_products(conn, upserts[start : start + FOLD_BATCH])
    async with engine.begin() as conn:
        for event in plan.events:
            if isinstance(event, ProductRemoved):
                await folds.product_removed(conn, event)


def _left_to_the_projector(plan: SyncPlan) -> dict[uuid.UUID, int]:
    """The revision each product must reach through events fold_published does not fold itself (price and
    availability changes); what it folded is visible already."""
    wanted: dict[uuid.UUID, int] = {}
    for event in plan.events:
        if isinstance(event, ProductPriceChanged | ProductAvailabilityChanged):
            pid, rev = event.data.product_id, event.data.revision
            wanted[pid] = max(rev, wanted.get(pid, 0))
    return wanted


async def _wait_visible(engine: AsyncEngine, wanted: dict[uuid.UUID, int], timeout: float, progress: Progress) -> bool:
    deadline, ids = time.monotonic() + timeout, list(wanted)
    while ids:
        async with engine.connect() as conn:
            folded = await revisions_of(conn, ids)
        done = sum(1 for pid in ids if folded.get(pid, -1) >= wanted[pid])
        if done == len(ids):
            return True
        if time.monotonic() > deadline:
            progress(f"  {done}/{len(ids)} changes visible after {timeout:.0f} s; the projector will fold the rest")
            return False
        await asyncio.sleep(0.2)
    return True


async def run_import(
    engine: AsyncEngine,
    publisher: EventPublisher,
    specs: Sequence[FeedSpec],
    *,
    full: bool = True,
    correlation_id: str | None = None,
    visible_timeout: float = 60.0,
    progress: Progress = lambda line: None,
) -> ImportOutcome:
    """Import these feeds together; nothing is published when every feed failed."""
    for spec in specs:
        progress(f"reading {spec.format} feed {spec.location}")
    feeds = await asyncio.gather(*(read_feed(s) for s in specs))
    report = import_feeds(feeds)
    async with engine.connect() as lock:
        await lock.execute(select(func.pg_advisory_lock(IMPORT_LOCK)))
        try:
            previous = await _stored(engine)
            report = align(report, previous)
            healthy = [s.name for s in specs if s.name not in report.failed_feeds]
            plan = plan_sync(
                previous,
                report,
                synced_feeds=[s.name for s in specs],
                full=full and not any(s.incremental for s in specs) and bool(healthy),
                correlation_id=correlation_id or str(uuid.uuid4()),
            )
            for start in range(0, len(plan.events), PUBLISH_BATCH):
                await publisher.publish_many(CATALOG, plan.events[start : start + PUBLISH_BATCH])
                progress(f"  published {min(start + PUBLISH_BATCH, len(plan.events))}/{len(plan.events)} events")
            await fold_published(engine, plan)
            visible = await _wait_visible(engine, _left_to_the_projector(plan), visible_timeout, progress)
        finally:
            await lock.execute(select(func.pg_advisory_unlock(IMPORT_LOCK)))
    return ImportOutcome(report, plan, visible)
