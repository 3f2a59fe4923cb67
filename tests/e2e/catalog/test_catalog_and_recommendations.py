"""Catalog and recommendations through the running system: feeds imported by the CLI, a face photo's explained
recommendations that respect the user's allergies and budget, feedback that changes the next list, trending."""

from __future__ import annotations

import uuid
from typing import Any

import cv2
import httpx
import numpy as np
import pytest
from skimage import data as photos
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from infra.storefront.generate import load_catalog
from infra.storefront.process import StorefrontProcess
from knowledge.base import load
from knowledge.names import key
from storage.users.tables import user_profiles
from tests.e2e.conftest import Stack
from tests.support.polling import eventually

pytestmark = pytest.mark.e2e
CATALOG_SIZE = len(load_catalog())
ALLERGIES = ["fragrance", "niacinamide"]
BUDGET = 30


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _jpeg(rgb: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 92])
    assert ok
    return buf.tobytes()


async def _catalog_total(client: httpx.AsyncClient, token: str) -> int:
    answer = await client.get("/products", params={"limit": 1}, headers=_auth(token))
    assert answer.status_code == 200, answer.text
    return int(answer.json()["total_count"])


def _import(stack: Stack, url: str, fmt: str) -> Any:
    return stack.shine("catalog", "import", url, "--format", fmt)


async def test_three_feed_formats_import_through_the_cli_with_bad_rows_reported(
    stack: Stack, client: httpx.AsyncClient, storefront: StorefrontProcess
) -> None:
    hostile = [
        {"id": 9101, "name": "No price", "type": "simple", "price": "", "stock_status": "instock"},
        {"id": 9102, "name": "Negative", "type": "simple", "price": "-3", "stock_status": "instock"},
    ]
    async with httpx.AsyncClient(trust_env=False) as http:
        added = await http.post(f"{storefront.url}/_admin/rows", json={"format": "woocommerce", "rows": hostile})
        assert added.status_code == 201
        try:
            for fmt in ("shopify", "shopify-admin", "woocommerce"):
                done = _import(stack, storefront.url, fmt)
                assert done.returncode == 0, done.stdout + done.stderr
                assert "products" in done.stdout and "published:" in done.stdout
            assert "2 rejected" in done.stdout, done.stdout
            assert "rejected woocommerce@" in done.stdout and "row 9101" in done.stdout and "row 9102" in done.stdout
        finally:
            await http.delete(f"{storefront.url}/_admin/rows")
    token = stack.token(f"catalog-{uuid.uuid4().hex[:6]}@example.com")
    assert await _catalog_total(client, token) == CATALOG_SIZE  # one product per GTIN across the three feeds
    first = (await client.get("/products", params={"search": "serum", "limit": 5}, headers=_auth(token))).json()
    assert first["products"] and first["total_count"] >= len(first["products"])
    one = first["products"][0]
    again = await client.get(f"/products/{one['id']}", headers=_auth(token))
    assert again.status_code == 200 and again.json()["name"] == one["name"] and again.json()["ingredients"]
    assert (await client.get(f"/products/{uuid.uuid4()}", headers=_auth(token))).status_code == 404


async def test_a_feed_that_is_down_leaves_the_catalog_as_it_was(
    stack: Stack, client: httpx.AsyncClient, storefront: StorefrontProcess
) -> None:
    token = stack.token(f"catalog-{uuid.uuid4().hex[:6]}@example.com")
    before = await _catalog_total(client, token)
    async with httpx.AsyncClient(trust_env=False) as http:
        await http.post(f"{storefront.url}/_admin/faults", json={"path": "/products.json", "status": 503, "page": 2})
        try:
            done = _import(stack, storefront.url, "shopify")
        finally:
            await http.delete(f"{storefront.url}/_admin/faults")
    assert done.returncode != 0
    assert "feed unavailable" in done.stdout and "503" in done.stdout
    assert await _catalog_total(client, token) == before


async def _preferences_folded(stack: Stack, user_id: str) -> None:
    engine = create_async_engine(stack.settings.db_url)
    try:

        async def folded() -> bool:
            async with engine.connect() as conn:
                row = (
                    (await conn.execute(select(user_profiles).where(user_profiles.c.user_id == uuid.UUID(user_id))))
                    .mappings()
                    .first()
                )
            return row is not None and sorted(row["allergies"]) == sorted(ALLERGIES)

        await eventually(folded, timeout=30, every=0.2, what="preferences in the users read model")
    finally:
        await engine.dispose()


async def _recommended(client: httpx.AsyncClient, token: str, url: str) -> dict[str, Any]:
    async def done() -> dict[str, Any] | None:
        body: dict[str, Any] = (await client.get(url, headers=_auth(token))).json()
        return body if body["status"] == "completed" and body["recommendations"] else None

    return await eventually(done, timeout=90, every=0.25, what="a completed result with recommendations")


@pytest.fixture(scope="module")
async def recommended(stack: Stack, client: httpx.AsyncClient, storefront: StorefrontProcess) -> dict[str, Any]:
    if await _catalog_total(client, stack.token("catalog-seed@example.com")) < CATALOG_SIZE:
        assert _import(stack, storefront.url, "shopify-admin").returncode == 0
    token = stack.token(f"recs-{uuid.uuid4().hex[:6]}@example.com")
    me = (await client.get("/auth/profile", headers=_auth(token))).json()
    prefs = {"allergies": ALLERGIES, "price_range_max": str(BUDGET), "skin_concerns": ["acne"]}
    saved = await client.put("/auth/profile/preferences", json=prefs, headers=_auth(token))
    assert saved.status_code == 200, saved.text
    await _preferences_folded(stack, me["user_id"])
    files = {"image": ("face.jpg", _jpeg(photos.astronaut()), "image/jpeg")}
    accepted = await client.post("/analysis/upload", files=files, headers=_auth(token))
    assert accepted.status_code == 202, accepted.text
    result = await _recommended(client, token, accepted.json()["analysis_url"])
    return {"token": token, "result": result}


async def test_a_face_photo_gets_explained_recommendations_within_allergies_and_budget(
    client: httpx.AsyncClient, recommended: dict[str, Any]
) -> None:
    kb, result = load(), recommended["result"]
    banned = frozenset().union(*(kb.allergen_keys(a) for a in ALLERGIES))
    for item in result["recommendations"]:
        product = item["product"]
        assert float(product["price"]) <= BUDGET and product["availability_status"] == "in_stock"
        names = {(kb.get(i).key if kb.get(i) else key(i)) for i in product["ingredients"]}  # type: ignore[union-attr]
        assert not names & banned, (product["name"], names & banned)
        assert item["recommendation_reason"].endswith(".") and "free of your allergens" in item["recommendation_reason"]
        assert set(item["contributions"]) == {"content", "collaborative", "popularity", "rules"}
    assert any(item["in_routine"] for item in result["recommendations"]) or result["recommendations"]
    page = await client.get(f"/recommendations/{result['analysis_id']}", headers=_auth(recommended["token"]))
    assert page.status_code == 200, page.text
    body = page.json()
    assert body["total_count"] >= len(body["recommendations"]) > 0 and 0 < body["recommendation_score"] <= 1
    assert body["filters_applied"]["availability"] == "in_stock"
    cheap = await client.get(
        f"/recommendations/{result['analysis_id']}", params={"price_range": "-15"}, headers=_auth(recommended["token"])
    )
    assert all(float(i["product"]["price"]) <= 15 for i in cheap.json()["recommendations"])
    assert cheap.json()["total_count"] < body["total_count"]


async def test_another_users_recommendations_are_not_found(
    stack: Stack, client: httpx.AsyncClient, recommended: dict[str, Any]
) -> None:
    stranger = stack.token(f"stranger-{uuid.uuid4().hex[:6]}@example.com")
    analysis_id = recommended["result"]["analysis_id"]
    assert (await client.get(f"/recommendations/{analysis_id}", headers=_auth(stranger))).status_code == 404
    rec_id = recommended["result"]["recommendations"][0]["recommendation_id"]
    other = await client.post(
        "/recommendations/feedback",
        json={"recommendation_id": rec_id, "feedback_type": "like"},
        headers=_auth(stranger),
    )
    assert other.status_code == 404


async def test_feedback_changes_the_next_list(client: httpx.AsyncClient, recommended: dict[str, Any]) -> None:
    token, analysis_id = recommended["token"], recommended["result"]["analysis_id"]
    url = f"/recommendations/{analysis_id}"
    before = (await client.get(url, params={"limit": 50}, headers=_auth(token))).json()
    disliked = before["recommendations"][0]
    body = {"recommendation_id": disliked["recommendation_id"], "feedback_type": "dislike", "rating": 1}
    headers = {**_auth(token), "Idempotency-Key": f"fb-{uuid.uuid4().hex}"}
    answer = await client.post("/recommendations/feedback", json=body, headers=headers)
    assert answer.status_code == 200, answer.text
    assert (
        answer.json()["success"] and disliked["product_id"] in answer.json()["updated_preferences"]["hidden_products"]
    )
    repeat = await client.post("/recommendations/feedback", json=body, headers=headers)
    assert repeat.headers.get("Idempotent-Replayed") == "true" and repeat.json() == answer.json()
    after = (await client.get(url, params={"limit": 50}, headers=_auth(token))).json()
    assert disliked["product_id"] not in {i["product_id"] for i in after["recommendations"]}

    async def regenerated() -> dict[str, Any] | None:
        page: dict[str, Any] = (await client.get(url, params={"limit": 50}, headers=_auth(token))).json()
        return page if page["generated_at"] != before["generated_at"] else None

    fresh = await eventually(regenerated, timeout=30, every=0.25, what="the list re-ranked after feedback")
    assert disliked["product_id"] not in {i["product_id"] for i in fresh["recommendations"]}


async def test_trending_answers_with_time_decayed_scores(
    stack: Stack, client: httpx.AsyncClient, recommended: dict[str, Any]
) -> None:
    token, result = recommended["token"], recommended["result"]
    liked = result["recommendations"][-1]
    body = {"recommendation_id": liked["recommendation_id"], "feedback_type": "purchase", "rating": 5}
    assert (await client.post("/recommendations/feedback", json=body, headers=_auth(token))).status_code == 200
    answer = await client.get("/recommendations/trending", params={"time_period": "day"}, headers=_auth(token))
    assert answer.status_code == 200, answer.text
    trend = answer.json()
    assert trend["time_period"] == "day" and trend["trend_score"] > 0 and trend["last_updated"]
    assert liked["product_id"] in {t["product"]["id"] for t in trend["trending_products"]}
    bad = await client.get("/recommendations/trending", params={"time_period": "decade"}, headers=_auth(token))
    assert bad.status_code == 422
    admin = stack.token(f"admin-{uuid.uuid4().hex[:6]}@example.com", role="admin")
    arms = (await client.get("/admin/recommendations/experiments", headers=_auth(admin))).json()["arms"]
    assert arms and sum(a["purchases"] for a in arms) >= 1 and all(a["feedback_rate"] >= 0 for a in arms)
    assert (await client.get("/admin/recommendations/experiments", headers=_auth(token))).status_code == 403
