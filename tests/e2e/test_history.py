"""A user's history and score trends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import cv2
import httpx
import pytest
from skimage import data as photos

from tests.e2e.conftest import Stack
from tests.support.polling import eventually

pytestmark = pytest.mark.e2e


def _jpeg(rgb: Any) -> bytes:
    return bytes(cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))[1])


async def _analysed(client: httpx.AsyncClient, auth: dict[str, str], photo: Any) -> dict[str, Any]:
    url = (
        await client.post("/analysis/upload", files={"image": ("p.jpg", _jpeg(photo), "image/jpeg")}, headers=auth)
    ).json()["analysis_url"]

    async def finished() -> dict[str, Any] | None:
        body: dict[str, Any] = (await client.get(url, headers=auth)).json()
        return body if body["status"] in ("completed", "failed") else None

    return await eventually(finished, timeout=60, what="analysis to finish")


async def test_history_pages_filters_and_trends(client: httpx.AsyncClient, stack: Stack) -> None:
    auth = {"Authorization": f"Bearer {stack.token('historian@example.com')}"}
    for photo in (photos.astronaut(), photos.chelsea(), photos.astronaut()):
        await _analysed(client, auth, photo)

    first = (await client.get("/analysis/history", params={"limit": 2}, headers=auth)).json()
    assert first["total_count"] == 3 and first["page"] == 1 and first["has_more"] is True
    assert len(first["analyses"]) == 2
    second = (await client.get("/analysis/history", params={"limit": 2, "page": 2}, headers=auth)).json()
    assert len(second["analyses"]) == 1 and second["has_more"] is False
    statuses = sorted(a["status"] for a in first["analyses"] + second["analyses"])
    assert statuses == ["completed", "completed", "failed"]
    reasons = {a["reason"] for a in first["analyses"] + second["analyses"]}
    assert "no_face_detected" in reasons

    today = datetime.now(UTC).date()
    same_day = await client.get(
        "/analysis/history", params={"date_from": str(today), "date_to": str(today)}, headers=auth
    )
    assert same_day.json()["total_count"] == 3  # date_to is inclusive of the whole day
    later = await client.get("/analysis/history", params={"date_from": str(today + timedelta(days=1))}, headers=auth)
    assert later.json() == {"analyses": [], "total_count": 0, "page": 1, "has_more": False}

    trend = (await client.get("/analysis/trends", params={"metric": "redness"}, headers=auth)).json()
    assert trend["metric"] == "redness" and len(trend["points"]) == 2
    assert all(0 <= p["value"] <= 100 for p in trend["points"])
    assert [p["date"] for p in trend["points"]] == sorted(p["date"] for p in trend["points"])


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "yesterday"},
        {"date_from": "2026-02-01", "date_to": "2026-01-01"},
        {"page": "0"},
        {"limit": "lots"},
        {"sort": "desc"},
    ],
)
async def test_bad_history_queries_are_422(client: httpx.AsyncClient, stack: Stack, params: dict[str, str]) -> None:
    auth = {"Authorization": f"Bearer {stack.token('historian@example.com')}"}
    answer = await client.get("/analysis/history", params=params, headers=auth)
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "INVALID_QUERY"


async def test_trend_metric_must_be_a_score_and_history_is_private(client: httpx.AsyncClient, stack: Stack) -> None:
    auth = {"Authorization": f"Bearer {stack.token('newcomer@example.com')}"}
    bad = await client.get("/analysis/trends", params={"metric": "beauty"}, headers=auth)
    assert bad.status_code == 422
    mine = (await client.get("/analysis/history", headers=auth)).json()
    assert mine["total_count"] == 0  # nobody else's uploads show up
    assert (await client.get("/analysis/history")).status_code == 401
