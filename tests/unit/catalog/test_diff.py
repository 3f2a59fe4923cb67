"""Which catalog events a re-import calls for, and which products a full sync removes."""

from __future__ import annotations

from decimal import Decimal

from events.catalog import ProductAvailabilityChanged, ProductPriceChanged, ProductUpserted
from producers.catalog import shopify
from producers.catalog.context import FeedContext
from producers.catalog.diff import changes, events_for, removals, removed_event
from tests.unit.catalog.samples import storefront

CTX = FeedContext("demo", "shopify", "https://lumea.example.com")
BASE = shopify.storefront_product(storefront(), CTX)


def test_new_product_is_upserted() -> None:
    assert changes(None, BASE) == ("product.upserted",)


def test_unchanged_product_emits_nothing_even_when_touched() -> None:
    touched = shopify.storefront_product(storefront(updated_at="2026-12-01T00:00:00Z"), CTX)
    assert changes(BASE, touched) == ()


def test_price_and_availability_changes() -> None:
    cheaper = shopify.storefront_product(storefront(price="9.99", available=False), CTX)
    assert changes(BASE, cheaper) == ("product.upserted", "product.price_changed", "product.availability_changed")
    events = events_for(BASE, cheaper, revision=3, correlation_id="sync-1")
    assert [type(e) for e in events] == [ProductUpserted, ProductPriceChanged, ProductAvailabilityChanged]
    price = events[1]
    assert isinstance(price, ProductPriceChanged)
    assert (price.data.previous_price, price.data.price) == (Decimal("12.50"), Decimal("9.99"))
    assert all(e.subject == str(BASE.product_id) for e in events)
    assert [e.event_id for e in events] == [
        e.event_id for e in events_for(BASE, cheaper, revision=3, correlation_id="other")
    ]


def test_description_change_is_only_an_upsert() -> None:
    edited = shopify.storefront_product(storefront(body_html="<p>New words</p>"), CTX)
    assert changes(BASE, edited) == ("product.upserted",)


def test_full_sync_removes_only_products_of_the_synced_feeds() -> None:
    other = shopify.storefront_product(storefront(202), FeedContext("elsewhere", "shopify"))
    gone = removals([BASE, other], synced_feeds=["demo"], seen=[])
    assert gone == (BASE,)
    assert removals([BASE], synced_feeds=["demo"], seen=[BASE.product_id]) == ()
    assert removed_event(BASE, "demo", revision=4, correlation_id="c").data.product_id == BASE.product_id
