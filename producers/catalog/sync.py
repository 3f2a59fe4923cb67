"""Plan a catalog sync: the stored catalog + an import report → the events to publish, never touching what a
failed feed lists (a feed that is down leaves the catalog as it was)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from events.catalog import Product, ProductSource
from events.envelope import Event
from producers.catalog.dedupe import offer_fields
from producers.catalog.diff import changes, events_for, removed_event
from producers.catalog.report import ImportReport


@dataclass(frozen=True)
class Stored:
    """A product as the catalog projection holds it, with its revision."""

    product: Product
    revision: int


@dataclass(frozen=True)
class SyncPlan:
    """What a sync publishes, with counts a person can read."""

    events: tuple[Event, ...]
    upserted: int
    price_changed: int
    availability_changed: int
    removed: int
    unchanged: int
    skipped_feeds: tuple[str, ...]


def _keep_other_sources(new: Product, previous: Stored | None, synced: set[str]) -> Product:
    """A product other (unread) feeds also list keeps their listings and its stored content; only offers update.

    Content fields (name, description, ingredients) change when all of a product's feeds are synced together,
    which is what the scheduled sync of every configured feed does.
    """
    if previous is None:
        return new
    others = tuple(s for s in previous.product.sources if s.feed not in synced)
    if not others:
        return new
    return previous.product.model_copy(update=offer_fields(previous.product, new.sources + others))


def _without(product: Product, feeds: set[str]) -> tuple[ProductSource, ...]:
    return tuple(s for s in product.sources if s.feed not in feeds)


def plan_sync(
    previous: Mapping[uuid.UUID, Stored],
    report: ImportReport,
    *,
    synced_feeds: Sequence[str],
    full: bool,
    correlation_id: str,
) -> SyncPlan:
    """Events for every new or changed product, and (full sync of a healthy feed only) for products it dropped."""
    synced = set(synced_feeds)
    healthy = synced - set(report.failed_feeds)
    events: list[Event] = []
    counts = {"product.upserted": 0, "product.price_changed": 0, "product.availability_changed": 0}
    unchanged = 0
    for fresh in report.products:
        stored = previous.get(fresh.product_id)
        product = _keep_other_sources(fresh, stored, synced)
        found = changes(stored.product if stored else None, product)
        unchanged += not found
        for change in found:
            counts[change] += 1
        revision = stored.revision + 1 if stored else 1
        events += events_for(
            stored.product if stored else None, product, revision=revision, correlation_id=correlation_id
        )
    removed = 0
    if full:
        seen = {p.product_id for p in report.products}
        for pid, stored in previous.items():
            listed_here = {s.feed for s in stored.product.sources} & healthy
            if pid in seen or not listed_here:
                continue
            rest = _without(stored.product, healthy)
            revision = stored.revision + 1
            if rest:  # still sold by a feed not read (or failed) this run: only this feed's listing goes
                trimmed = stored.product.model_copy(update=offer_fields(stored.product, rest))
                events += events_for(stored.product, trimmed, revision=revision, correlation_id=correlation_id)
                counts["product.upserted"] += 1
            else:
                events.append(
                    removed_event(
                        stored.product, sorted(listed_here)[0], revision=revision, correlation_id=correlation_id
                    )
                )
                removed += 1
    return SyncPlan(
        tuple(events),
        counts["product.upserted"],
        counts["product.price_changed"],
        counts["product.availability_changed"],
        removed,
        unchanged,
        tuple(report.failed_feeds),
    )
