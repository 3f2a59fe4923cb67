"""All three feed formats imported over real HTTP from the local demo storefront (started here, on loopback)."""

from __future__ import annotations

import socket
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from infra.storefront.generate import load_catalog
from infra.storefront.process import StorefrontProcess, ensure_storefront, stop_storefront
from producers.catalog.diff import changes
from producers.catalog.feeds import FeedSpec
from producers.catalog.fetch import fetch_feed
from producers.catalog.importer import Format, import_feeds

CATALOG_SIZE = len(load_catalog())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def storefront(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StorefrontProcess]:
    var = Path(tmp_path_factory.mktemp("storefront"))
    process = ensure_storefront(var, _free_port())
    yield process
    stop_storefront(var)


@pytest.fixture
async def client(storefront: StorefrontProcess) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10, trust_env=False) as http:
        yield http
        await http.delete(f"{storefront.url}/_admin/faults")
        await http.delete(f"{storefront.url}/_admin/rows")


def _spec(url: str, fmt: Format, **kw: object) -> FeedSpec:
    return FeedSpec(f"demo-{fmt}", fmt, url, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["shopify", "shopify-admin", "woocommerce"])
async def test_each_format_imports_the_whole_catalog(
    storefront: StorefrontProcess, client: httpx.AsyncClient, fmt: Format
) -> None:
    rows = await fetch_feed(client, _spec(storefront.url, fmt))
    assert rows.error is None
    report = import_feeds([rows])
    assert report.rejected == () and len(report.products) == CATALOG_SIZE
    products = report.products
    assert all(p.category is not None and len(p.ingredients) >= 4 and p.price > 0 for p in products)
    assert Counter(p.category for p in products)["serum"] == 70
    assert {p.availability_status for p in products} == {"in_stock", "out_of_stock"}
    assert all(p.image_urls and p.product_url and p.product_url.startswith(storefront.url) for p in products)


async def test_three_formats_deduplicate_into_one_catalog(
    storefront: StorefrontProcess, client: httpx.AsyncClient
) -> None:
    feeds = [await fetch_feed(client, _spec(storefront.url, f)) for f in ("shopify", "shopify-admin", "woocommerce")]
    report = import_feeds(feeds)
    assert len(report.products) == CATALOG_SIZE and report.merged == 2 * CATALOG_SIZE
    assert all(len({s.platform for s in p.sources}) == 3 for p in report.products)
    assert all(p.identity.startswith("gtin:") for p in report.products)


async def test_hostile_rows_are_reported_and_good_rows_still_import(
    storefront: StorefrontProcess, client: httpx.AsyncClient
) -> None:
    bad = [
        {"id": 9001, "name": "No price", "type": "simple", "price": "", "stock_status": "instock"},
        {"id": 9002, "name": "Negative", "type": "simple", "price": "-3", "stock_status": "instock"},
        {"id": 9003, "name": "Words", "type": "simple", "price": "ten dollars", "stock_status": "instock"},
        {
            "id": 9004,
            "name": "<b>Html</b> Serum",
            "type": "simple",
            "price": "9.00",
            "stock_status": "instock",
            "description": "<div>Ingredients:<br/>Aqua,&nbsp;<span>Niacinamide</span> (5%),<script>x</script> "
            "Glycerin*</div>",
        },
        {"id": 9004, "name": "Repeat", "type": "simple", "price": "9.00", "stock_status": "instock"},
        {"id": 9005, "name": "Odd stock", "type": "simple", "price": "9.00", "stock_status": "maybe"},
        ["not", "an", "object"],
    ]
    assert (await client.post(f"{storefront.url}/_admin/rows", json={"format": "woocommerce", "rows": bad})).is_success
    report = import_feeds([await fetch_feed(client, _spec(storefront.url, "woocommerce"))])
    reasons = {r.external_id: r.reason for r in report.rejected}
    assert reasons["9001"] == "missing price" and reasons["9002"] == "negative price: -3"
    assert reasons["9003"].startswith("price is not a number") and reasons["9004"].startswith("duplicate id")
    assert "stock_status" in reasons["9005"] and reasons[None] == "row is not an object"
    cleaned = next(p for p in report.products if p.external_id == "9004")
    assert cleaned.name == "Html Serum" and cleaned.ingredients == ("Aqua", "Niacinamide", "Glycerin")
    assert len(report.products) == CATALOG_SIZE + 1


@pytest.mark.parametrize(
    ("fmt", "path", "page"), [("shopify", "/products.json", 2), ("woocommerce", "/wp-json/wc/v3/products", 3)]
)
async def test_a_feed_that_fails_midway_yields_nothing(
    storefront: StorefrontProcess, client: httpx.AsyncClient, fmt: Format, path: str, page: int
) -> None:
    await client.post(f"{storefront.url}/_admin/faults", json={"path": path, "page": page, "status": 503})
    rows = await fetch_feed(client, _spec(storefront.url, fmt))
    assert rows.rows == () and rows.error is not None and "503" in rows.error
    report = import_feeds([rows])
    assert not report.ok and report.products == ()


async def test_a_storefront_that_is_down_is_a_feed_error(client: httpx.AsyncClient) -> None:
    rows = await fetch_feed(client, _spec(f"http://127.0.0.1:{_free_port()}", "shopify-admin"))
    assert rows.error is not None and "ConnectError" in rows.error


async def test_incremental_woocommerce_sync_and_price_change(
    storefront: StorefrontProcess, client: httpx.AsyncClient
) -> None:
    record = load_catalog()[5]
    before = import_feeds([await fetch_feed(client, _spec(storefront.url, "woocommerce"))])
    old = next(p for p in before.products if p.external_id == str(record["id"]))
    cursor = datetime.now(UTC) + timedelta(days=400)  # after every generated updated_at
    later = (cursor + timedelta(minutes=1)).isoformat()
    patched = await client.patch(
        f"{storefront.url}/_admin/products/{record['id']}", json={"price": "1.50", "stock": 0, "updated_at": later}
    )
    assert patched.is_success
    rows = await fetch_feed(client, _spec(storefront.url, "woocommerce", modified_after=cursor))
    report = import_feeds([rows])
    assert [p.external_id for p in report.products] == [str(record["id"])]
    assert changes(old, report.products[0]) == (
        "product.upserted",
        "product.price_changed",
        "product.availability_changed",
    )
