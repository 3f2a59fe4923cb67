"""The user's flow through the whole system: edge → Kafka → consumers → Postgres → edge."""

from __future__ import annotations

import json
from typing import Any

import cv2
import httpx
import numpy as np
import pytest
from skimage import data as photos

from consumers.registry import GROUPS
from tests.e2e.conftest import Stack
from tests.support.polling import eventually

pytestmark = pytest.mark.e2e


def _jpeg(rgb: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 92])
    assert ok
    return buf.tobytes()


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _upload(
    client: httpx.AsyncClient, token: str, body: bytes, name: str = "p.jpg", **headers: str
) -> httpx.Response:
    return await client.post(
        "/analysis/upload", files={"image": (name, body, "image/jpeg")}, headers={**_auth(token), **headers}
    )


async def _final(client: httpx.AsyncClient, token: str, url: str) -> dict[str, Any]:
    async def done() -> dict[str, Any] | None:
        body: dict[str, Any] = (await client.get(url, headers=_auth(token))).json()
        return body if body["status"] in ("completed", "failed") else None

    return await eventually(done, timeout=60, every=0.2, what=f"{url} to finish")


async def test_face_photo_is_analysed(client: httpx.AsyncClient, stack: Stack) -> None:
    token = stack.token("ana@example.com")
    accepted = await _upload(client, token, _jpeg(photos.astronaut()), **{"X-Correlation-ID": "e2e-astronaut"})
    assert accepted.status_code == 202, accepted.text
    body = accepted.json()
    assert set(body) == {"upload_id", "status", "estimated_processing_time", "analysis_url"}
    first = (await client.get(body["analysis_url"], headers=_auth(token))).json()
    assert first["status"] in ("pending", "processing", "completed")  # read-your-write: never a 404
    result = await _final(client, token, body["analysis_url"])
    assert result["status"] == "completed", result
    assert 0 < result["confidence_score"] <= 1
    assert set(result["scores"]) >= {"redness", "oiliness", "texture", "evenness"}
    assert all(0 <= v <= 100 for v in result["scores"].values())
    assert result["skin_type"]["type"] in result["skin_type"]["probabilities"]
    overlay = await client.get(result["overlay_url"], headers=_auth(token))
    assert overlay.status_code == 200 and overlay.content[:2] == b"\xff\xd8"


@pytest.mark.parametrize("photo", ["chelsea", "coffee"])
async def test_photo_without_a_face_fails_with_a_reason(client: httpx.AsyncClient, stack: Stack, photo: str) -> None:
    token = stack.token("ana@example.com")
    accepted = await _upload(client, token, _jpeg(getattr(photos, photo)()))
    assert accepted.status_code == 202
    result = await _final(client, token, accepted.json()["analysis_url"])
    assert result["status"] == "failed"
    assert result["reason"] == "no_face_detected"
    assert result["message"]


async def test_other_users_and_strangers_cannot_read_a_result(client: httpx.AsyncClient, stack: Stack) -> None:
    owner, other = stack.token("owner@example.com"), stack.token("other@example.com")
    url = (await _upload(client, owner, _jpeg(photos.astronaut()))).json()["analysis_url"]
    foreign = await client.get(url, headers=_auth(other))
    assert foreign.status_code == 404 and foreign.json()["error"]["code"] == "UPLOAD_NOT_FOUND"
    assert (await client.get(url)).status_code == 401
    assert (await client.get(url, headers=_auth("forged-token"))).json()["error"]["code"] == "INVALID_TOKEN"
    assert (await client.get(url + "/overlay", headers=_auth(other))).status_code == 404


async def test_operational_endpoints(client: httpx.AsyncClient, stack: Stack) -> None:
    assert (await client.get("/health")).json() == {"status": "ok"}
    ready = (await client.get("/ready")).json()
    assert ready["status"] == "ready", ready
    metrics = (await client.get("/metrics")).text
    assert "shine_events_published_total" in metrics and "shine_http_requests_total" in metrics
    spec = (await client.get("/openapi.json")).json()
    assert "/analysis/upload" in spec["paths"]
    consumer_metrics = (await client.get(f"http://127.0.0.1:{stack.settings.metrics_port_base + 1}/metrics")).text
    assert "shine_events_consumed_total" in consumer_metrics and "shine_consumer_lag" in consumer_metrics
    status = json.loads(stack.shine("status", "--json").stdout)
    assert status["edge_url"] == stack.base_url and set(status["consumers"]) == {g.name for g in GROUPS}


async def test_masks_and_similar_analyses_are_the_owners_only(client: httpx.AsyncClient, stack: Stack) -> None:
    owner, other = stack.token("masks@example.com"), stack.token("masks-other@example.com")
    face = photos.astronaut()
    urls = [(await _upload(client, owner, _jpeg(img))).json()["analysis_url"] for img in (face, face[:, ::-1].copy())]
    results = [await _final(client, owner, url) for url in urls]
    assert all(r["status"] == "completed" for r in results), results
    first = results[0]
    assert set(first["mask_urls"]) == set(first["scores"]) and set(first["score_bands"]) == set(first["scores"])
    png = await client.get(first["mask_urls"]["redness"], headers=_auth(owner))
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert (await client.get(first["mask_urls"]["redness"], headers=_auth(other))).status_code == 404
    unknown = await client.get(urls[0] + "/masks/freckles", headers=_auth(owner))
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "MASK_NOT_FOUND"
    similar = (await client.get(urls[0] + "/similar", headers=_auth(owner))).json()
    assert results[1]["analysis_id"] in [s["analysis_id"] for s in similar["similar"]]
    assert all(-1.0 <= s["similarity"] <= 1.0 for s in similar["similar"])
    assert (await client.get(urls[0] + "/similar", headers=_auth(other))).status_code == 404
