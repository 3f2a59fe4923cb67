"""Premium plans and the free tier: a free user is stopped at the monthly limit even under concurrent uploads
(and a refused upload leaves nothing), a subscription's webhooks make the user premium and unlimited, and
Stripe being down is a bounded 503."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
from sqlalchemy import func, select

from storage.analysis.tables import image_uploads
from storage.engine import create_engine
from storage.orders.owned_tables import scan_quota
from tests.e2e.conftest import Stack
from tests.e2e.payments.conftest import Catalog, Shop, user_id_of
from tests.support.edges import extra_edge, refused_port
from tests.support.image_bytes import encode, quadrants
from tests.support.payments import stripe_event
from tests.support.polling import eventually

LIMIT = 3
PHOTO = encode(".png", quadrants(160, 120))


async def _upload(edge: httpx.AsyncClient, token: str) -> httpx.Response:
    files = {"image": ("face.png", PHOTO, "image/png")}
    return await edge.post("/analysis/upload", files=files, headers={"Authorization": f"Bearer {token}"})


async def _counts(stack: Stack, user_id: str) -> tuple[int, int]:
    engine = create_engine(stack.settings.db_url)
    try:
        async with engine.connect() as conn:
            uploads = await conn.execute(
                select(func.count()).select_from(image_uploads).where(image_uploads.c.user_id == uuid.UUID(user_id))
            )
            used = await conn.execute(select(scan_quota.c.used).where(scan_quota.c.user_id == uuid.UUID(user_id)))
            return int(uploads.scalar_one()), int(used.scalar_one_or_none() or 0)
    finally:
        await engine.dispose()


@pytest.fixture
async def limited(stack: Stack) -> httpx.AsyncClient:
    async with extra_edge(stack.settings, stack.logs, free_analyses_per_month=LIMIT) as edge:
        yield edge  # type: ignore[misc]


async def test_free_users_stop_at_the_limit_under_concurrent_uploads(
    stack: Stack, client: httpx.AsyncClient, limited: httpx.AsyncClient
) -> None:
    token = stack.token(f"free-{uuid.uuid4().hex[:8]}@example.com")
    user_id = await user_id_of(client, token)
    answers = await asyncio.gather(*(_upload(limited, token) for _ in range(8)))
    codes = sorted(a.status_code for a in answers)
    assert codes == [202] * LIMIT + [402] * (8 - LIMIT), [a.text for a in answers]
    refused = next(a for a in answers if a.status_code == 402).json()["error"]
    assert refused["code"] == "SCAN_LIMIT_REACHED" and refused["details"]["limit"] == LIMIT
    assert refused["details"]["resets_at"].endswith("+00:00") and "-01T00:00:00" in refused["details"]["resets_at"]
    uploads, used = await _counts(stack, user_id)
    assert (uploads, used) == (LIMIT, LIMIT)  # the refused ones left no upload behind


async def test_a_premium_subscription_lifts_the_limit(
    stack: Stack, client: httpx.AsyncClient, limited: httpx.AsyncClient, shop: Shop
) -> None:
    started = await client.post("/subscriptions", json={}, headers=shop.auth)
    assert started.status_code == 201, started.text
    sub_id = started.json()["subscription_id"]
    obj = {
        "id": sub_id,
        "object": "subscription",
        "customer": "cus_test",
        "status": "active",
        "metadata": {"user_id": shop.user_id},
        "items": {
            "object": "list",
            "data": [{"id": "si_1", "price": {"id": "price_x"}, "current_period_end": 1900000000}],
        },
        "cancel_at_period_end": False,
    }
    updated = stripe_event("customer.subscription.updated", obj)
    created = stripe_event(
        "customer.subscription.created", {**obj, "status": "incomplete"}, created=updated["created"] - 1
    )
    for event in (updated, created, updated):  # out of order and twice: the update wins
        assert (await shop.webhook(event)).status_code == 200

    async def premium() -> dict[str, object] | None:
        found = (await client.get("/subscriptions/current", headers=shop.auth)).json()
        return found if found["tier"] == "premium" and found["status"] == "active" else None

    await eventually(premium, timeout=30, every=0.2, what="the user to become premium")
    answers = [await _upload(limited, shop.token) for _ in range(LIMIT + 1)]
    assert [a.status_code for a in answers] == [202] * (LIMIT + 1), [a.text for a in answers]
    deleted = stripe_event(
        "customer.subscription.deleted", {**obj, "status": "canceled"}, created=updated["created"] + 5
    )
    assert (await shop.webhook(deleted)).status_code == 200

    async def free() -> bool:
        return bool((await client.get("/subscriptions/current", headers=shop.auth)).json()["tier"] == "free")

    await eventually(free, timeout=30, every=0.2, what="the user to be free again")


async def test_stripe_down_is_a_bounded_503_and_places_nothing(stack: Stack, shop: Shop, catalog: Catalog) -> None:
    async with extra_edge(stack.settings, stack.logs, stripe_api_base=f"http://127.0.0.1:{refused_port()}") as edge:
        lines = [{"product_id": str(catalog.second), "quantity": 1}]
        body = {"amount": 1000, "currency": "usd", "order_items": lines}
        for path, payload in (("/payments/create-intent", body), ("/subscriptions", {})):
            answer = await edge.post(path, json=payload, headers=shop.auth)
            assert answer.status_code == 503 and answer.headers["Retry-After"], answer.text
            assert answer.json()["error"]["code"] == "PAYMENTS_UNAVAILABLE"
    assert (await shop.http.get("/orders", headers=shop.auth)).json()["total_count"] == 0
