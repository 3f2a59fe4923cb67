"""The local partner's bookkeeping: one order per key, stock taken and given back, failure modes that count down."""

from __future__ import annotations

import pytest

from infra.partner.store import Mode, PartnerError, Store

REQUEST = {"reference": "ord-1", "items": [{"sku": "A", "quantity": 2}], "shipping": None}


def test_one_order_per_key_and_a_reused_key_with_another_body_is_refused() -> None:
    store = Store("primary")
    first, replayed_first = store.create("k1", "digest-1", REQUEST)
    again, replayed_again = store.create("k1", "digest-1", REQUEST)
    assert (replayed_first, replayed_again) == (False, True) and first is again
    with pytest.raises(PartnerError) as refused:
        store.create("k1", "digest-2", REQUEST)
    assert (refused.value.status, refused.value.code) == (422, "idempotency_key_reused")
    assert len(store.orders) == 1


def test_stock_is_taken_by_orders_and_given_back_by_cancellations() -> None:
    store = Store("primary", stock={"A": 3})
    order, _ = store.create("k1", "d1", REQUEST)
    with pytest.raises(PartnerError) as refused:
        store.create("k2", "d2", REQUEST)
    assert (refused.value.status, refused.value.code, refused.value.details) == (409, "out_of_stock", {"skus": ["A"]})
    store.cancel(order["id"])
    store.cancel(order["id"])  # idempotent: stock is given back once
    assert store.stock == {"A": 3}
    assert store.create("k2", "d2", REQUEST)[0]["status"] == "accepted"


def test_a_refused_order_keeps_nothing_so_a_retry_can_succeed() -> None:
    store = Store("primary")
    with pytest.raises(PartnerError):
        store.create("k1", "d1", REQUEST, out_of_stock=True)
    assert store.orders == {} and store.keys == {}
    assert store.create("k1", "d1", REQUEST)[1] is False


def test_shipped_orders_cannot_be_cancelled_and_cancelled_ones_cannot_ship() -> None:
    store = Store("primary")
    shipped, _ = store.create("k1", "d1", REQUEST)
    store.ship(shipped["id"], "dhl", "T1")
    with pytest.raises(PartnerError) as too_late:
        store.cancel(shipped["id"])
    assert too_late.value.code == "already_shipped"
    cancelled, _ = store.create("k2", "d2", {**REQUEST, "reference": "ord-2"})
    store.cancel(cancelled["id"])
    with pytest.raises(PartnerError):
        store.ship(cancelled["id"], "dhl", "T2")
    assert store.deliver(shipped["id"])["status"] == "delivered"


def test_a_counted_mode_returns_to_normal() -> None:
    mode = Mode("error", remaining=2)
    assert [mode.take().name for _ in range(3)] == ["error", "error", "normal"]
    assert mode.name == "normal"
