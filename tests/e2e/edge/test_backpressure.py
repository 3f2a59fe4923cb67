"""Back-pressure: above the backlog limit uploads are 503 OVERLOADED (premium callers get a larger share);
the readiness document and the metrics show the backlog."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

from events.envelope import utcnow
from storage.analysis.tables import image_uploads
from storage.engine import create_engine
from tests.e2e.conftest import Stack
from tests.e2e.edge.photos import auth, face_jpeg
from tests.support.edges import extra_edge

pytestmark = pytest.mark.e2e


@pytest.fixture
async def waiting(stack: Stack) -> AsyncIterator[AsyncEngine]:
    """Three uploads that stay pending (no events behind them: removed again before any replay compares)."""
    engine = create_engine(stack.settings.db_url, pool_size=1)
    ids = [uuid.uuid4() for _ in range(3)]
    rows = [
        {
            "id": i,
            "user_id": uuid.uuid4(),
            "file_path": "blob:sha256:" + "0" * 64,
            "blob_sha256": "0" * 64,
            "analysis_type": "quick",
            "upload_status": "pending",
            "privacy_level": "private",
            "created_at": utcnow(),
            "revision": 0,
        }
        for i in ids
    ]
    async with engine.begin() as conn:
        await conn.execute(image_uploads.insert(), rows)
    try:
        yield engine
    finally:
        async with engine.begin() as conn:
            await conn.execute(delete(image_uploads).where(image_uploads.c.id.in_(ids)))
        await engine.dispose()


async def test_uploads_are_refused_above_the_backlog_and_premium_gets_more(stack: Stack, waiting: AsyncEngine) -> None:
    async with extra_edge(stack.settings, stack.logs, max_analysis_backlog=3, premium_backlog_share=2.0) as edge:
        ready = (await edge.get("/ready")).json()
        assert ready["backlog"]["waiting"] >= 3 and ready["backlog"]["estimated_processing_time"] >= 1
        photo = {"image": ("face.jpg", face_jpeg(), "image/jpeg")}
        refused = await edge.post("/analysis/upload", files=photo, headers=auth(stack.token("busy@example.com")))
        assert refused.status_code == 503, refused.text
        assert refused.json()["error"]["code"] == "OVERLOADED" and int(refused.headers["Retry-After"]) >= 1
        premium = stack.token("busy-premium@example.com", "premium")
        accepted = await edge.post("/analysis/upload", files=photo, headers=auth(premium))
        assert accepted.status_code == 202, accepted.text
        assert accepted.json()["estimated_processing_time"] >= 1
        metrics = (await edge.get("/metrics")).text
        assert "shine_analysis_backlog " in metrics
