"""Hostile rows are rejected with a reason; duplicates are merged with every source kept."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from producers.catalog.context import FeedContext
from producers.catalog.importer import FeedRows, import_feeds
from tests.unit.catalog.samples import admin, storefront, woo

STORE = FeedContext("demo", "shopify", "https://lumea.example.com")


def _reasons(rows: list[Any]) -> dict[str | None, str]:
    report = import_feeds([FeedRows(STORE, tuple(rows))])
    return {r.external_id: r.reason for r in report.rejected}


def test_hostile_rows_are_rejected_with_reasons() -> None:
    v = storefront()["variants"][0]
    rows: list[Any] = [
        storefront(1),
        storefront(2, price=None),
        storefront(3, price="-4.00"),
        storefront(4, price="twelve"),
        storefront(5, price="NaN"),
        storefront(6, title="   "),
        storefront(7, variants=[]),
        storefront(1),
        "not an object",
        storefront(8, body_html="<h3>Ingredients:</h3><script>x()</script><p>Aqua, <i>Retinol</i></p>"),
        {**storefront(9), "id": None},
        storefront(10, variants=[{**v, "price": {"amount": 3}}]),
    ]
    reasons = _reasons(rows)
    assert reasons["2"] == "missing price"
    assert reasons["3"] == "negative price: -4.00"
    assert reasons["4"].startswith("price is not a number")
    assert "finite" in reasons["5"]
    assert reasons["6"] == "missing title"
    assert reasons["7"].startswith("no variants")
    assert reasons["1"].startswith("duplicate id 1")
    assert reasons[None] in {"row is not an object", "missing id"}
    assert "10" in reasons
    report = import_feeds([FeedRows(STORE, tuple(rows))])
    assert {p.external_id for p in report.products} == {"1", "8"}
    assert next(p for p in report.products if p.external_id == "8").ingredients == ("Aqua", "Retinol")
    assert report.rows_read == len(rows) and report.ok


def test_same_gtin_across_feeds_is_one_product_with_both_sources() -> None:
    cheaper = admin(202, variants=[{**admin()["variants"][0], "price": "35.00", "sku": "X-1"}])
    feeds = [
        FeedRows(FeedContext("a", "shopify-admin", "https://a.example.com"), (admin(),)),
        FeedRows(FeedContext("b", "shopify-admin", "https://b.example.com"), (cheaper,)),
    ]
    report = import_feeds(feeds)
    assert len(report.products) == 1 and report.merged == 1
    product = report.products[0]
    assert product.price == Decimal("35.00") and product.product_url == "https://b.example.com/products/night-retinol"
    assert {s.feed for s in product.sources} == {"a", "b"}
    assert product.stock_quantity == 14 and product.review_count == 174


def test_name_brand_size_dedupe_without_codes() -> None:
    a = woo(1, sku="", name="Daily Mineral SPF 50")
    b = woo(2, sku="", name="DAILY MINERAL  SPF-50", stock_status="outofstock")
    ctx = FeedContext("w", "woocommerce")
    report = import_feeds([FeedRows(ctx, (a,)), FeedRows(FeedContext("w2", "woocommerce"), (b,))])
    assert len(report.products) == 1
    assert report.products[0].availability_status == "in_stock"


def test_a_feed_that_is_down_contributes_nothing_and_is_reported() -> None:
    report = import_feeds(
        [FeedRows(STORE, (), error="GET /products.json: HTTP 503"), FeedRows(FeedContext("w", "woocommerce"), (woo(),))]
    )
    assert not report.ok and "HTTP 503" in report.summary()
    assert len(report.products) == 1


def test_a_sku_only_listing_joins_the_gtin_listing_with_the_same_sku() -> None:
    sku_only = storefront(5, vendor="Ostra", variants=[{**storefront()["variants"][0], "sku": "OST-RS-30"}])
    feeds = [
        FeedRows(STORE, (sku_only,)),
        FeedRows(FeedContext("admin", "shopify-admin", "https://ostra.example.com"), (admin(),)),
    ]
    report = import_feeds(feeds)
    assert len(report.products) == 1
    assert report.products[0].identity == "gtin:4006381333931"
    assert {s.platform for s in report.products[0].sources} == {"shopify", "shopify-admin"}
