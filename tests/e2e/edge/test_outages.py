"""An unavailable Postgres or Kafka is answered 503 with Retry-After within the bound, never 500, and an
upload refused that way leaves no blob and no row behind."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from storage.analysis.tables import image_uploads
from storage.engine import create_engine
from storage.users.tables import users
from tests.e2e.conftest import Stack
from tests.e2e.edge.photos import auth, face_jpeg
from tests.support.edges import black_hole, extra_edge, refused_port

pytestmark = pytest.mark.e2e

BOUND = 2.0  # dependency_timeout_seconds for these edges
SLACK = 1.5  # process scheduling on a loaded two-core machine


async def _timed(client: httpx.AsyncClient, method: str, path: str, **kwargs: object) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    answer = await client.request(method, path, **kwargs)  # type: ignore[arg-type]
    return answer, time.monotonic() - started


def _assert_refused(answer: httpx.Response, took: float, code: str) -> None:
    assert answer.status_code == 503, answer.text
    assert answer.json()["error"]["code"] == code
    assert int(answer.headers["Retry-After"]) >= 1
    assert took < BOUND + SLACK, took


@pytest.mark.parametrize("hung", [True, False], ids=["hung", "refusing"])
async def test_database_outage_is_503_on_every_dependent_route(stack: Stack, hung: bool) -> None:
    token = stack.token("outage@example.com")
    with black_hole() as port:
        pg = port if hung else refused_port()
        url = f"postgresql+asyncpg://shine@127.0.0.1:{pg}/nowhere"
        async with extra_edge(stack.settings, stack.logs, database_url=url, dependency_timeout_seconds=BOUND) as edge:
            for method, path, kwargs in (
                ("GET", "/auth/profile", {"headers": auth(token)}),
                ("GET", "/analysis/history", {"headers": auth(token)}),
                ("POST", "/analysis/upload", {"headers": auth(token), "files": {"image": ("f.jpg", b"x")}}),
                ("POST", "/auth/refresh", {"json": {"refresh_token": "r" * 43}}),
            ):
                answer, took = await _timed(edge, method, path, **kwargs)
                _assert_refused(answer, took, "DATABASE_UNAVAILABLE")
            ready, took = await _timed(edge, "GET", "/ready")
            assert ready.status_code == 503 and ready.json()["checks"]["postgres"].startswith("unreachable")
            assert took < 2 * BOUND + SLACK
            assert (await edge.get("/health")).status_code == 200  # the same connection, still usable


async def test_broker_outage_refuses_uploads_fast_and_leaves_nothing(stack: Stack, tmp_path: Path) -> None:
    token = stack.token("no-broker@example.com")
    blobs = tmp_path / "blobs"
    with black_hole() as port:
        async with extra_edge(
            stack.settings,
            stack.logs,
            kafka_bootstrap=f"127.0.0.1:{port}",
            blob_dir=blobs,
            dependency_timeout_seconds=BOUND,
        ) as edge:
            for _ in range(2):
                answer, took = await _timed(
                    edge,
                    "POST",
                    "/analysis/upload",
                    headers={**auth(token), "Idempotency-Key": "broker-down-1"},
                    files={"image": ("face.jpg", face_jpeg(), "image/jpeg")},
                )
                _assert_refused(answer, took, "EVENT_BUS_UNAVAILABLE")
            assert (await edge.get("/auth/profile", headers=auth(token))).status_code == 200  # Postgres still serves
    assert not blobs.exists() or not any(blobs.rglob("*.*"))
    engine = create_engine(stack.settings.db_url, pool_size=1)
    try:
        async with engine.connect() as conn:
            mine = select(users.c.id).where(users.c.email == "no-broker@example.com")
            rows = await conn.execute(select(func.count()).where(image_uploads.c.user_id.in_(mine)))
            assert rows.scalar_one() == 0
    finally:
        await engine.dispose()
