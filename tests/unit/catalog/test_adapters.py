"""Each feed format becomes the same normalised product shape."""

from __future__ import annotations

from decimal import Decimal

import pytest

from producers.catalog import shopify, woocommerce
from producers.catalog.context import FeedContext
from producers.catalog.report import RowRejected
from tests.unit.catalog.samples import admin, storefront, woo, woo_variable

STORE = FeedContext("demo", "shopify", "https://lumea.example.com", "EUR")
ADMIN = FeedContext("admin", "shopify-admin", "https://ostra.example.com")
WOO = FeedContext("woo", "woocommerce", None, "GBP")


def test_storefront_product() -> None:
    p = shopify.storefront_product(storefront(), STORE)
    assert (p.name, p.brand, p.category, p.subcategory) == ("Calm Gel Cleanser", "Lumea", "cleanser", "gel cleanser")
    assert (p.price, p.currency, p.availability_status, p.stock_quantity) == (Decimal("12.50"), "EUR", "in_stock", None)
    assert p.ingredients == ("Aqua", "Glycerin", "Cocamidopropyl Betaine", "Niacinamide", "Parfum")
    assert "Massage onto wet skin." in p.description and "<" not in p.description
    assert p.product_url == "https://lumea.example.com/products/calm-gel-101"
    assert p.size == "150 ml" and p.sku == "LUM-101" and p.identity == "sku:lumea|lum-101"
    assert p.source_updated_at is not None and p.source_updated_at.utcoffset() is not None


def test_storefront_unavailable_variant() -> None:
    assert shopify.storefront_product(storefront(available=False), STORE).availability_status == "out_of_stock"


def test_admin_product_with_metafields_and_stock() -> None:
    p = shopify.admin_product(admin(), ADMIN)
    assert p.tags == ("retinol", "night", "anti-ageing")
    assert (p.stock_quantity, p.availability_status, p.rating, p.review_count) == (7, "in_stock", Decimal("4.60"), 87)
    assert p.ingredients == ("Squalane", "Retinol", "Tocopherol")
    assert p.gtin == "4006381333931" and p.identity == "gtin:4006381333931"


@pytest.mark.parametrize(("policy", "status"), [("deny", "out_of_stock"), ("continue", "backorder")])
def test_admin_zero_stock(policy: str, status: str) -> None:
    p = shopify.admin_product(admin(quantity=-2, policy=policy), ADMIN)
    assert (p.availability_status, p.stock_quantity) == (status, 0)


def test_admin_draft_is_not_for_sale() -> None:
    with pytest.raises(RowRejected, match="draft"):
        shopify.admin_product(admin(status="draft"), ADMIN)


def test_woocommerce_simple() -> None:
    p = woocommerce.product(woo(), WOO)
    assert (p.brand, p.category, p.price, p.currency) == ("Helix", "sunscreen", Decimal("24.00"), "GBP")
    assert p.ingredients == ("Aqua", "Zinc Oxide", "Caprylic/Capric Triglyceride")
    assert (p.size, p.rating, p.review_count, p.stock_quantity) == ("50 ml", Decimal("4.20"), 15, 12)
    assert p.product_url == "https://shop.example.com/product/spf-301"


def test_woocommerce_variable_takes_the_first_in_stock_variation() -> None:
    row, variations = woo_variable()
    p = woocommerce.product(row, WOO, variations)
    assert (p.price, p.sku, p.size, p.availability_status) == (Decimal("18.00"), "HLX-BC-50", "50 ml", "in_stock")
    assert p.category == "moisturiser"
    with pytest.raises(RowRejected, match="without variations"):
        woocommerce.product(row, WOO, [])


def test_unrated_woocommerce_product_has_no_rating() -> None:
    assert woocommerce.product(woo(average_rating="0.00", rating_count=0), WOO).rating is None


def test_image_urls_keep_feed_order_make_protocol_relative_ones_https_and_drop_the_rest() -> None:
    images = [{"src": "//cdn.example.com/a.png"}, {"src": "not a url"}, {"src": "https://x.example/b.jpg"}, {}, "c"]
    raw = {**storefront(), "images": images}
    assert shopify.storefront_product(raw, STORE).image_urls == (
        "https://cdn.example.com/a.png",
        "https://x.example/b.jpg",
    )
