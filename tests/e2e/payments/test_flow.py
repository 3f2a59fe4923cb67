"""Buying through the running system: catalog prices, a signed payment webhook, partner forwarding and shipment,
refunds, cancellations; webhooks delivered twice and out of order; forged and stale signatures; fallback."""

from __future__ import annotations

import time
import uuid

import httpx

from tests.e2e.conftest import Stack
from tests.e2e.payments.conftest import Catalog, Shop, user_id_of
from tests.support.payments import intent, refund, stripe_event


async def test_prices_come_from_the_catalog(shop: Shop, catalog: Catalog) -> None:
    lines = [{"product_id": str(catalog.in_stock), "quantity": 2}]
    wrong = await shop.http.post(
        "/payments/create-intent", json={"amount": 100, "currency": "usd", "order_items": lines}, headers=shop.auth
    )
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "AMOUNT_MISMATCH"
    assert wrong.json()["error"]["details"]["expected_amount"] == 4900
    gone = [{"product_id": str(catalog.out_of_stock), "quantity": 1}]
    refused = await shop.http.post(
        "/payments/create-intent", json={"amount": 500, "currency": "usd", "order_items": gone}, headers=shop.auth
    )
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "PRODUCT_UNAVAILABLE"
    order = await shop.buy([(catalog.in_stock, 2), (catalog.second, 1)], 5900)
    assert order["amount"] == 5900 and order["payment_intent_id"].startswith("pi_") and order["client_secret"]
    found = await shop.order(order["order_id"])
    assert found["order_status"] == "pending" and found["total_amount"] == 5900
    assert sorted(i["quantity"] for i in found["items"]) == [1, 2]


async def test_paid_forwarded_shipped_and_refunded(shop: Shop, catalog: Catalog) -> None:
    order = await shop.buy([(catalog.in_stock, 1)], 2450)
    await shop.paid(order)
    forwarded = await shop.until(order["order_id"], "forwarded", order_status="forwarded")
    assert forwarded["partner"] == "primary" and forwarded["paid_amount"] == 2450
    trending = await shop.http.get(
        "/recommendations/trending", params={"time_period": "day", "limit": 50}, headers=shop.auth
    )
    assert str(catalog.in_stock) in {t["product"]["id"] for t in trending.json()["trending_products"]}  # a purchase
    partner_orders = await shop.partner("primary", "GET", f"/v1/orders?reference={order['order_id']}")
    assert len(partner_orders["data"]) == 1  # the duplicate webhook did not make a second partner order
    po = partner_orders["data"][0]["id"]
    await shop.partner("primary", "POST", f"/_admin/orders/{po}/ship", json={"tracking_number": "TRK1"})
    shipped = await shop.until(order["order_id"], "shipped", fulfillment_status="shipped")
    assert shipped["tracking_number"] == "TRK1"
    asked = await shop.http.post(f"/orders/{order['order_id']}/refund", json={"amount": 450}, headers=shop.auth)
    assert asked.status_code == 202, asked.text
    detail = await shop.until(order["order_id"], "refund issued", refundable_amount=2000)
    refund_id = detail["refunds"][0]["refund_id"]
    settled = stripe_event(
        "refund.updated", refund(refund_id, order["payment_intent_id"], 450, "succeeded", order["order_id"])
    )
    assert (await shop.webhook(settled)).status_code == 200
    done = await shop.until(order["order_id"], "partially refunded", payment_status="partially_refunded")
    assert done["refunded_amount"] == 450 and done["order_status"] == "shipped"
    statuses = [t["status"] for t in done["timeline"]]
    assert statuses[0] == "placed" and {"paid", "forwarded", "shipped", "refund_issued"} <= set(statuses)
    too_much = await shop.http.post(f"/orders/{order['order_id']}/refund", json={"amount": 5000}, headers=shop.auth)
    assert too_much.status_code == 422
    history = (await shop.http.get("/payments/history", headers=shop.auth)).json()
    assert history["total_count"] >= 1 and any(p["order_id"] == order["order_id"] for p in history["payments"])


async def test_refund_before_payment_ends_refunded_and_never_forwarded(shop: Shop, catalog: Catalog) -> None:
    order = await shop.buy([(catalog.second, 1)], 1000)
    pi, oid = order["payment_intent_id"], order["order_id"]
    now = int(time.time())
    charge = {
        "id": f"ch_{pi[3:]}",
        "object": "charge",
        "amount": 1000,
        "amount_refunded": 1000,
        "currency": "usd",
        "payment_intent": pi,
        "metadata": {"order_id": oid},
        "refunds": {"object": "list", "data": [{"id": "re_x1", "amount": 1000, "status": "succeeded"}]},
    }
    assert (await shop.webhook(stripe_event("charge.refunded", charge, created=now + 5))).status_code == 200
    succeeded = stripe_event("payment_intent.succeeded", intent(pi, "succeeded", 1000, oid, shop.user_id), created=now)
    for _ in range(2):
        assert (await shop.webhook(succeeded)).status_code == 200
    done = await shop.until(oid, "refunded", order_status="refunded")
    assert done["fulfillment_status"] == "pending" and done["partner"] is None


async def test_forged_stale_and_unknown_webhooks(shop: Shop, catalog: Catalog) -> None:
    order = await shop.buy([(catalog.second, 1)], 1000)
    event = stripe_event(
        "payment_intent.succeeded",
        intent(order["payment_intent_id"], "succeeded", 1000, order["order_id"], shop.user_id),
    )
    forged = await shop.webhook(event, secret="whsec_not_ours")
    stale = await shop.webhook(event, timestamp=int(time.time()) - 3600)
    unsigned = await shop.http.post("/webhooks/stripe", content=b"{}", headers={"Content-Type": "application/json"})
    assert (forged.status_code, stale.status_code, unsigned.status_code) == (400, 400, 400)
    assert stale.json()["error"]["code"] == "STALE_TIMESTAMP"
    unknown = await shop.webhook(stripe_event("customer.created", {"id": "cus_1", "object": "customer"}))
    assert unknown.status_code == 200 and unknown.json()["outcome"] == "ignored"
    await shop.webhook(stripe_event("payment_intent.processing", {**event["data"]["object"], "status": "processing"}))
    found = await shop.until(order["order_id"], "processing", payment_status="processing")
    assert found["order_status"] == "pending"  # the forged and stale success changed nothing


async def test_primary_down_goes_to_the_fallback(shop: Shop, catalog: Catalog) -> None:
    await shop.partner("primary", "POST", "/_admin/mode", json={"mode": "error", "status_code": 503})
    order = await shop.buy([(catalog.in_stock, 1)], 2450)
    await shop.paid(order)
    forwarded = await shop.until(order["order_id"], "forwarded", order_status="forwarded")
    assert forwarded["partner"] == "fallback"
    assert "forward_attempt_failed" in [t["status"] for t in forwarded["timeline"]]


async def test_cancel_before_shipment_cancels_at_the_partner_and_refunds(shop: Shop, catalog: Catalog) -> None:
    order = await shop.buy([(catalog.second, 2)], 2000)
    await shop.paid(order)
    forwarded = await shop.until(order["order_id"], "forwarded", order_status="forwarded")
    asked = await shop.http.post(f"/orders/{order['order_id']}/cancel", headers=shop.auth)
    assert asked.status_code == 202, asked.text
    done = await shop.until(
        order["order_id"], "cancelled and refunded", fulfillment_status="cancelled", refundable_amount=0
    )
    assert done["order_status"] == "cancelled"
    assert "refund_issued" in [t["status"] for t in done["timeline"]]
    at_partner = await shop.partner(forwarded["partner"], "GET", f"/v1/orders?reference={order['order_id']}")
    assert [o["status"] for o in at_partner["data"]] == ["cancelled"]
    again = await shop.http.post(f"/orders/{order['order_id']}/cancel", headers=shop.auth)
    assert again.status_code == 409


async def test_another_users_order_is_not_found(
    shop: Shop, catalog: Catalog, stack: Stack, client: httpx.AsyncClient
) -> None:
    order = await shop.buy([(catalog.second, 1)], 1000)
    other = stack.token(f"other-{uuid.uuid4().hex[:8]}@example.com")
    assert await user_id_of(client, other) != shop.user_id
    headers = {"Authorization": f"Bearer {other}"}
    assert (await client.get(f"/orders/{order['order_id']}", headers=headers)).status_code == 404
    assert (await client.post(f"/orders/{order['order_id']}/cancel", headers=headers)).status_code == 404
    mine = (await client.get("/orders", headers=headers)).json()
    assert mine["total_count"] == 0
