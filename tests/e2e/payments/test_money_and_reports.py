"""Refund caps under concurrent requests, partner webhook signatures, the broker down on the webhook path,
and the revenue report (HTTP and CSV)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import time
from datetime import UTC, datetime

from infra.partner.signing import signature_header
from tests.e2e.conftest import Stack
from tests.e2e.payments.conftest import Catalog, Shop
from tests.support.edges import extra_edge, refused_port
from tests.support.payments import PARTNER_SECRETS, intent, signed, stripe_event, stripe_headers
from tests.support.polling import eventually


async def test_concurrent_refunds_never_exceed_what_was_paid(shop: Shop, catalog: Catalog) -> None:
    order = await shop.buy([(catalog.in_stock, 1)], 2450)
    await shop.paid(order)
    await shop.until(order["order_id"], "forwarded", order_status="forwarded")
    path = f"/orders/{order['order_id']}/refund"
    asked = await asyncio.gather(*(shop.http.post(path, json={"amount": 1500}, headers=shop.auth) for _ in range(3)))
    assert all(a.status_code == 202 for a in asked), [a.text for a in asked]

    async def decided() -> dict[str, object] | None:
        found = await shop.order(order["order_id"])
        labels = [t["status"] for t in found["timeline"]]
        done = labels.count("refund_issued") + labels.count("refund_rejected")
        return found if done == 3 else None

    found = await eventually(decided, timeout=45, every=0.3, what="all three refund requests decided")
    labels = [t["status"] for t in found["timeline"]]  # type: ignore[attr-defined]
    assert labels.count("refund_issued") == 1 and labels.count("refund_rejected") == 2
    assert found["refundable_amount"] == 950


async def test_partner_webhooks_must_be_signed_by_that_partner(shop: Shop) -> None:
    body = json.dumps({"id": "pevt_x", "type": "order.shipped", "created": int(time.time()), "data": {}}).encode()
    now = int(time.time())
    forged = signature_header(body, PARTNER_SECRETS["fallback"], now)  # the other partner's secret
    answer = await shop.http.post("/webhooks/partners/primary", content=body, headers={"Partner-Signature": forged})
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "BAD_SIGNATURE"
    unknown = await shop.http.post("/webhooks/partners/nobody", content=body, headers={"Partner-Signature": forged})
    assert unknown.status_code == 404


async def test_a_webhook_is_not_acknowledged_while_kafka_is_down(stack: Stack, shop: Shop) -> None:
    event = stripe_event("payment_intent.succeeded", intent("pi_down", "succeeded", 100, "x", shop.user_id))
    body, header = signed(event)
    async with extra_edge(stack.settings, stack.logs, kafka_bootstrap=f"127.0.0.1:{refused_port()}") as edge:
        answer = await edge.post("/webhooks/stripe", content=body, headers=stripe_headers(header))
    assert answer.status_code == 503 and answer.headers["Retry-After"]  # Stripe retries later


async def test_revenue_report_over_http_and_as_csv(stack: Stack, shop: Shop, catalog: Catalog) -> None:
    order = await shop.buy([(catalog.second, 3)], 3000)
    await shop.paid(order)
    await shop.until(order["order_id"], "paid", payment_status="succeeded")
    admin = {"Authorization": f"Bearer {stack.token('boss@example.com', 'admin')}"}
    today = datetime.now(UTC).date().isoformat()
    refused = await shop.http.get("/admin/reports/revenue", headers=shop.auth)
    assert refused.status_code == 403
    report = await shop.http.get(f"/admin/reports/revenue?date_from={today}&date_to={today}", headers=admin)
    assert report.status_code == 200, report.text
    usd = next(t for t in report.json()["totals"] if t["currency"] == "usd")
    assert usd["gross"] >= 3000 and usd["net"] == usd["gross"] - usd["refunds"] and usd["count"] >= 1
    by_product = await shop.http.get(f"/admin/reports/revenue?group_by=product&date_from={today}", headers=admin)
    line = next(r for r in by_product.json()["rows"] if r["key"] == str(catalog.second))
    assert line["gross"] >= 3000
    done = stack.shine("report", "revenue", "--from", today, "--to", today)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert next(r for r in rows if r["currency"] == "usd")["gross"] == str(usd["gross"])
