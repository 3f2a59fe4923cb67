"""An import aligned to the stored catalog: a feed read on its own never duplicates what another feed brought."""

from __future__ import annotations

from decimal import Decimal

from events.catalog import Product, ProductSource
from producers.catalog.fields import identity, product_id
from producers.catalog.publish import align
from producers.catalog.report import ImportReport
from producers.catalog.sync import Stored


def _product(name: str, *, gtin: str | None, sku: str | None, feed: str) -> Product:
    ident = identity(gtin, sku, "Lumea", name, "50 ml")
    return Product(
        product_id=product_id(ident),
        identity=ident,
        external_id=name,
        source_platform="shopify",
        name=name,
        brand="Lumea",
        size="50 ml",
        gtin=gtin,
        sku=sku,
        price=Decimal("12.00"),
        availability_status="in_stock",
        sources=(
            ProductSource(
                platform="shopify",
                feed=feed,
                external_id=name,
                price=Decimal("12.00"),
                currency="USD",
                availability_status="in_stock",
            ),
        ),
    )


def test_a_product_known_by_its_sku_keeps_the_stored_id() -> None:
    stored = _product("Calm Serum", gtin=None, sku="LUM-1", feed="shopify@a")
    fresh = _product("Calm Serum", gtin="0012345678905", sku="LUM-1", feed="shopify-admin@a")
    assert fresh.product_id != stored.product_id
    found = align(ImportReport((fresh,)), {stored.product_id: Stored(stored, 3)})
    assert [p.product_id for p in found.products] == [stored.product_id]
    assert found.products[0].identity == stored.identity and found.products[0].gtin == "0012345678905"


def test_unknown_products_keep_their_own_id_and_one_stored_product_is_claimed_once() -> None:
    stored = _product("Calm Serum", gtin="0012345678905", sku="LUM-1", feed="shopify-admin@a")
    by_gtin = _product("Calm Serum", gtin="0012345678905", sku="LUM-9", feed="woocommerce@a")
    by_sku = _product("Calm Serum 2", gtin=None, sku="LUM-1", feed="shopify@a")
    unknown = _product("Bright Toner", gtin=None, sku="LUM-2", feed="woocommerce@a")
    found = align(ImportReport((by_gtin, by_sku, unknown)), {stored.product_id: Stored(stored, 1)})
    ids = [p.product_id for p in found.products]
    assert ids == [stored.product_id, by_sku.product_id, unknown.product_id]
    assert len(set(ids)) == 3
