"""Feed words map onto the one taxonomy."""

from __future__ import annotations

import pytest

from knowledge.taxonomy import TAXONOMY, classify, routine_step


@pytest.mark.parametrize(
    ("product_type", "tags", "categories", "name", "category"),
    [
        ("Face Wash", [], [], "", "cleanser"),
        ("", ["SPF 50"], [], "Daily Shield", "sunscreen"),
        ("Skin Care", [], ["Skincare", "Moisturizers"], "Barrier", "moisturiser"),
        ("", [], [], "Under Eye Brightening Cream", "eye cream"),
        ("Treatment", ["blemish"], [], "", "spot treatment"),
        ("", [], ["Exfoliators"], "", "exfoliant"),
        ("", [], [], "Clay Masque", "mask"),
        ("Gift card", [], [], "", None),
    ],
)
def test_classify(product_type: str, tags: list[str], categories: list[str], name: str, category: str | None) -> None:
    assert classify(product_type, tags, categories, name).category == category


def test_subcategory_and_routine_step() -> None:
    found = classify("Sunscreen", ["mineral"])
    assert (found.category, found.subcategory) == ("sunscreen", "mineral sunscreen")
    assert all(routine_step(c) for c in TAXONOMY)
    assert routine_step(None) is None
