"""Replay rebuilds the orders projection (orders, items, payments, refunds, subscriptions, tiers) identically."""

from __future__ import annotations

import uuid

import httpx

from tests.e2e.conftest import Stack
from tests.e2e.payments.conftest import Catalog, Shop
from tests.support.payments import refund, stripe_event
from tests.support.polling import eventually


async def test_replay_compares_equal_after_orders_and_refunds(
    stack: Stack, client: httpx.AsyncClient, shop: Shop, catalog: Catalog
) -> None:
    order = await shop.buy([(catalog.in_stock, 1)], 2450)
    await shop.paid(order)
    await shop.until(order["order_id"], "forwarded", order_status="forwarded")
    late = refund("re_replay1", order["payment_intent_id"], 2450, "succeeded", order["order_id"])
    assert (await shop.webhook(stripe_event("refund.updated", late))).status_code == 200
    await shop.until(
        order["order_id"],
        "refunded, so cancelled at the partner",
        payment_status="refunded",
        fulfillment_status="cancelled",
    )
    schema = f"r_pay_{uuid.uuid4().hex[:6]}"

    async def identical() -> bool:
        if (await client.get("/ready")).status_code != 200:
            return False
        rebuilt = stack.shine("replay", "--into", schema)
        assert rebuilt.returncode == 0, rebuilt.stderr
        compared = stack.shine("replay", "--compare", schema)
        differences.append(compared.stdout[-2000:])
        return compared.returncode == 0

    differences: list[str] = []
    try:
        await eventually(identical, timeout=60, every=1, what="a replay identical to the live projections")
    except AssertionError:
        raise AssertionError(differences[-1]) from None
