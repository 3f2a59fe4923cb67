"""Local feed files in each format."""

from __future__ import annotations

import json
from pathlib import Path

from producers.catalog.feeds import FeedSpec
from producers.catalog.files import load_file, rows_from_document
from producers.catalog.importer import import_feeds
from tests.unit.catalog.samples import storefront, woo_variable


def test_pages_of_shopify_products() -> None:
    spec = FeedSpec("f", "shopify", "catalog.json")
    rows = rows_from_document([{"products": [storefront(1)]}, {"products": [storefront(2)]}], spec)
    assert [r["id"] for r in rows.rows] == [1, 2] and rows.error is None


def test_woocommerce_export_with_embedded_variations() -> None:
    row, variations = woo_variable()
    rows = rows_from_document([{**row, "variations": variations}], FeedSpec("w", "woocommerce", "w.json"))
    report = import_feeds([rows])
    assert len(report.products) == 1 and report.products[0].sku == "HLX-BC-50"


def test_unreadable_files_are_feed_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert load_file(FeedSpec("b", "shopify", str(bad))).error
    assert load_file(FeedSpec("m", "shopify", str(tmp_path / "missing.json"))).error
    shaped = tmp_path / "shaped.json"
    shaped.write_text(json.dumps({"items": []}), encoding="utf-8")
    assert "no product list" in str(load_file(FeedSpec("s", "shopify", str(shaped))).error)
