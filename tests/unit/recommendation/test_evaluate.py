"""The offline evaluation: simulation is deterministic, hold-out is by time, metrics are right, hybrid beats chance."""

from __future__ import annotations

import uuid

import pytest

from analyst.population import simulate
from analyst.recs_evaluate import _metrics, demo_products, evaluate, split, table

PRODUCTS = demo_products()


def test_simulation_is_deterministic_and_in_stock_only() -> None:
    users = simulate(PRODUCTS, 20, seed=3)
    assert users == simulate(PRODUCTS, 20, seed=3)
    stocked = {p.product_id for p in PRODUCTS if p.availability_status == "in_stock"}
    assert all(e.product_id in stocked for u in users for e in u.events)
    assert all(10 <= len(u.events) <= 24 and u.needs for u in users)


def test_split_holds_out_the_latest_positive_events() -> None:
    user = simulate(PRODUCTS, 1, seed=5)[0]
    train, test = split(user)
    assert train == user.events[: len(train)]
    later = user.events[len(train) :]
    assert test <= {e.product_id for e in later} and not test & {e.product_id for e in train}


def test_metrics() -> None:
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    precision, recall, ndcg = _metrics([a, c, *[uuid.uuid4() for _ in range(8)]], {a, b})
    assert (precision, recall) == (0.1, 0.5)
    assert ndcg == pytest.approx(1 / (1 + 1 / 1.5849625), rel=1e-4)
    assert _metrics([c], {a})[2] == 0


def test_small_run_ranks_hybrid_above_random() -> None:
    lines: list[str] = []
    rows = {r.recommender: r for r in evaluate(PRODUCTS, users=80, seed=2, progress=lines.append)}
    assert set(rows) == {"hybrid", "hybrid-collab", "popularity", "random"}
    assert rows["hybrid"].ndcg > rows["random"].ndcg and rows["random"].coverage > rows["popularity"].coverage
    assert lines[0].startswith("simulating 80 users") and any("random: 80/80" in line for line in lines)
    assert "× popularity" in table(list(rows.values()))
