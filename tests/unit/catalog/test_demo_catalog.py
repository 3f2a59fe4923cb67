"""The committed demo catalog is what the seeded generator makes, and reads as a real catalog would."""

from __future__ import annotations

from collections import Counter

from infra.storefront.generate import CATALOG, generate, load_catalog, render
from knowledge.base import load
from knowledge.inci import parse_inci
from knowledge.taxonomy import TAXONOMY


def test_committed_file_is_the_generators_output() -> None:
    assert CATALOG.read_text(encoding="utf-8") == render(generate())


def test_size_categories_and_labels() -> None:
    records = load_catalog()
    assert len(records) >= 300
    assert set(Counter(r["category"] for r in records)) == set(TAXONOMY)
    assert all(r["synthetic"] is True and "Synthetic demo product" in r["description_html"] for r in records)
    assert len({r["id"] for r in records}) == len(records)
    assert len({v["gtin"] for r in records for v in r["variants"]}) == sum(len(r["variants"]) for r in records)


def test_every_ingredient_is_known_or_deliberately_unknown() -> None:
    kb = load()
    unknown = {n for r in load_catalog() for n in r["ingredients"] if kb.get(n) is None}
    assert unknown <= {"Jojoba Esters"}


def test_ingredient_lists_survive_the_parser() -> None:
    for record in load_catalog()[:40]:
        assert parse_inci(", ".join(record["ingredients"])) == tuple(record["ingredients"])


def test_stock_prices_and_ratings_vary() -> None:
    records = load_catalog()
    stock = [v["stock"] for r in records for v in r["variants"]]
    prices = {v["price"] for r in records for v in r["variants"]}
    assert 0.05 < stock.count(0) / len(stock) < 0.25 and len(prices) > 50
    assert len({r["brand"] for r in records}) >= 12
