"""Planning a sync: changes become events at the next revision; removals only on a full sync of a healthy feed."""

from __future__ import annotations

from events.catalog import ProductPriceChanged, ProductRemoved, ProductUpserted
from producers.catalog.context import FeedContext
from producers.catalog.importer import FeedRows, import_feeds
from producers.catalog.sync import Stored, plan_sync
from tests.unit.catalog.samples import admin, storefront

STORE = FeedContext("store", "shopify", "https://lumea.example.com")
ADMIN = FeedContext("admin", "shopify-admin", "https://ostra.example.com")


def _catalog(*feeds: FeedRows) -> dict:  # type: ignore[type-arg]
    return {p.product_id: Stored(p, 3) for p in import_feeds(list(feeds)).products}


def test_first_sync_upserts_everything_at_revision_one() -> None:
    report = import_feeds([FeedRows(STORE, (storefront(1), storefront(2)))])
    plan = plan_sync({}, report, synced_feeds=["store"], full=True, correlation_id="c")
    assert plan.upserted == 2 and plan.removed == 0
    assert all(isinstance(e, ProductUpserted) and e.data.revision == 1 for e in plan.events)


def test_price_change_and_unchanged_products() -> None:
    stored = _catalog(FeedRows(STORE, (storefront(1), storefront(2))))
    report = import_feeds([FeedRows(STORE, (storefront(1, price="10.00"), storefront(2)))])
    plan = plan_sync(stored, report, synced_feeds=["store"], full=True, correlation_id="c")
    assert (plan.upserted, plan.price_changed, plan.unchanged) == (1, 1, 1)
    price = next(e for e in plan.events if isinstance(e, ProductPriceChanged))
    assert price.data.revision == 4


def test_full_sync_removes_what_the_feed_dropped_but_incremental_does_not() -> None:
    stored = _catalog(FeedRows(STORE, (storefront(1), storefront(2))))
    report = import_feeds([FeedRows(STORE, (storefront(1),))])
    full = plan_sync(stored, report, synced_feeds=["store"], full=True, correlation_id="c")
    assert full.removed == 1 and isinstance(full.events[-1], ProductRemoved)
    assert plan_sync(stored, report, synced_feeds=["store"], full=False, correlation_id="c").removed == 0


def test_a_feed_that_is_down_leaves_its_products_alone() -> None:
    stored = _catalog(FeedRows(STORE, (storefront(1), storefront(2))))
    report = import_feeds([FeedRows(STORE, (), error="HTTP 503")])
    plan = plan_sync(stored, report, synced_feeds=["store"], full=True, correlation_id="c")
    assert plan.events == () and plan.skipped_feeds == ("store",)


def test_a_product_sold_by_two_feeds_loses_only_the_dropping_feeds_listing() -> None:
    sku_twin = storefront(9, vendor="Ostra", variants=[{**storefront()["variants"][0], "sku": "OST-RS-30"}])
    stored = _catalog(FeedRows(STORE, (sku_twin,)), FeedRows(ADMIN, (admin(),)))
    (product,) = (s.product for s in stored.values())
    assert {s.feed for s in product.sources} == {"store", "admin"}
    plan = plan_sync(stored, import_feeds([FeedRows(STORE, ())]), synced_feeds=["store"], full=True, correlation_id="c")
    assert plan.removed == 0 and plan.upserted == 1
    upsert = plan.events[0]
    assert isinstance(upsert, ProductUpserted)
    assert {s.feed for s in upsert.data.product.sources} == {"admin"}
    again = plan_sync(
        stored, import_feeds([FeedRows(ADMIN, (admin(),))]), synced_feeds=["admin"], full=True, correlation_id="c"
    )
    assert again.events == ()
