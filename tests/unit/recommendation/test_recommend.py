"""The hybrid recommender end to end over a small catalog: rules hold, content leads, feedback changes the list."""

from __future__ import annotations

import uuid

import pytest

from consumers.recommendation.domain.collaborative import Interaction, fit
from consumers.recommendation.domain.index import build_index
from consumers.recommendation.domain.recommend import Recommendations, Request, recommend
from consumers.recommendation.domain.rules import Filters, Preferences
from knowledge.base import load
from tests.unit.recommendation.catalog import CATALOG, NOW, by_name

KB = load()
INDEX = build_index(CATALOG, KB)
ACNE = {"acne": 30.0, "oiliness": 45.0, "pores": 50.0, "redness": 90.0, "wrinkles": 95.0}
ANALYSIS = uuid.UUID(int=7)


def _names(result: Recommendations) -> list[str]:
    return [INDEX.products[INDEX.position[i.product_id]].name for i in result.items]


def _run(scores: dict[str, float] = ACNE, **kw: object) -> Recommendations:
    request = Request(ANALYSIS, "u1", scores, limit=20, **kw)  # type: ignore[arg-type]
    return recommend(INDEX, KB, request, model=None, popularity=INDEX.prior)


def test_acne_concerns_bring_salicylic_and_benzoyl_products_first() -> None:
    names = _names(_run())
    assert set(names[:3]) <= {"BHA Exfoliant", "Salicylic Cleanser", "BPO Spot Gel", "Niacinamide Serum"}
    assert "Sold Out Acne Gel" not in names
    assert "Vitamin K Eye" not in names  # phytonadione: EU Annex II


def test_every_item_explains_itself_with_all_parts() -> None:
    result = _run()
    top = result.items[0]
    assert set(top.contributions) == {"content", "collaborative", "popularity", "rules"}
    assert top.score == pytest.approx(min(1.0, sum(top.contributions.values())), abs=1e-3)
    assert "breakouts" in top.reason and top.reason.endswith(".")
    assert [i.rank for i in result.items] == list(range(1, len(result.items) + 1))


def test_allergens_and_disliked_ingredients_never_appear() -> None:
    prefs = Preferences(allergies=("fragrance", "tree nuts"), disliked_ingredients=("Zinc PCA",))
    result = _run(preferences=prefs)
    names = _names(result)
    assert not {"Scented Niacinamide", "Nut Cream", "Oily Balm", "Niacinamide Serum"} & set(names)
    assert result.excluded["allergen"] == 3 and result.excluded["disliked_ingredient"] == 1
    assert "free of your allergens (fragrance and tree nuts)" in result.items[0].reason


def test_budget_brand_and_category_filters() -> None:
    names = _names(_run(preferences=Preferences(price_max=30)))
    assert "Retinol Serum" not in names and "Luxury SPF" not in names
    only = _run(filters=Filters(category="serum", brand="ostra"))
    assert _names(only) == ["Niacinamide Serum"]


def test_preferred_brand_is_a_visible_boost() -> None:
    plain = {i.product_id: i for i in _run().items}
    boosted = {i.product_id: i for i in _run(preferences=Preferences(preferred_brands=("Ostra",))).items}
    pid = by_name("Niacinamide Serum")
    assert boosted[pid].contributions["rules"] > plain[pid].contributions["rules"]
    assert "a brand you like" in boosted[pid].reason


def test_comedogenic_products_are_penalised_for_acne() -> None:
    items = {i.product_id: i for i in _run().items}
    assert items[by_name("Oily Balm")].contributions["rules"] < 0


def test_routine_has_steps_in_order_and_no_conflicts() -> None:
    result = _run({**ACNE, "wrinkles": 20.0})
    steps = [i.routine_step for i in result.routine]
    assert steps[0] == "cleanse" and steps[-1] == "protect" and "moisturise" in steps
    rows = [INDEX.position[i.product_id] for i in result.routine]
    for a in rows:
        for b in rows:
            assert not KB.conflicts_between(INDEX.tags[a], INDEX.tags[b]) or a == b


def test_dislike_removes_the_product_and_likes_lift_similar_ones() -> None:
    users = [f"u{i}" for i in range(6)]
    together = [by_name("Barrier Cream"), by_name("Caffeine Eye")]
    events = [Interaction(u, p, "purchase", NOW) for u in users for p in together]
    model = fit(events, INDEX.position)
    history = (
        Interaction("me", by_name("Barrier Cream"), "like", NOW),
        Interaction("me", by_name("BHA Exfoliant"), "dislike", NOW),
    )
    request = Request(ANALYSIS, "me", ACNE, history=history, limit=20)
    after = recommend(INDEX, KB, request, model=model, popularity=INDEX.prior)
    before = _run()
    assert "BHA Exfoliant" in _names(before) and "BHA Exfoliant" not in _names(after)
    eye = by_name("Caffeine Eye")
    rank = {i.product_id: i.rank for i in after.items}
    assert next(i for i in after.items if i.product_id == eye).contributions["collaborative"] > 0
    assert rank[eye] < {i.product_id: i.rank for i in before.items}[eye]
    assert after.excluded["dismissed_by_user"] == 1


def test_deterministic_and_paginated() -> None:
    first, again = _run(), _run()
    assert first == again
    page = recommend(INDEX, KB, Request(ANALYSIS, "u1", ACNE, limit=3, offset=3), model=None, popularity=INDEX.prior)
    assert [i.product_id for i in page.items] == [i.product_id for i in first.items[3:6]]
    assert page.total_count == first.total_count


def test_healthy_skin_still_gets_a_routine() -> None:
    result = _run({m: 95.0 for m in ACNE})
    assert result.concerns == () and len(result.items) > 0 and result.routine
    assert result.routine[-1].routine_step == "protect"
