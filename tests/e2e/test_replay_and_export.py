"""Analysts rebuild projections from the topics and export events; runs after the flows above."""

from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.e2e.conftest import Stack

pytestmark = pytest.mark.e2e


async def test_replay_rebuilds_identical_projections(client: httpx.AsyncClient, stack: Stack) -> None:
    # Wait until the projector has caught up (readiness includes its progress), then rebuild.
    assert (await client.get("/ready")).status_code == 200
    rebuilt = stack.shine("replay", "--into", "r_e2e")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "replayed" in rebuilt.stderr
    compared = stack.shine("replay", "--compare", "r_e2e")
    assert compared.returncode == 0, compared.stdout + compared.stderr

    engine = create_async_engine(stack.settings.db_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "UPDATE image_analyses SET skin_type = 'tampered' WHERE ctid IN "
                    "(SELECT ctid FROM image_analyses WHERE skin_type IS NOT NULL LIMIT 1)"
                )
            )
    finally:
        await engine.dispose()
    drifted = stack.shine("replay", "--compare", "r_e2e")
    assert drifted.returncode == 1
    assert "tampered" in drifted.stdout


def test_export_writes_events_with_correlation_ids(stack: Stack) -> None:
    done = stack.shine("export", "--topic", "shine.analyses.v1", "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    types = {e["type"] for e in events}
    assert {"analysis.started", "analysis.completed", "analysis.failed"} <= types
    assert any(e["correlationid"] == "e2e-astronaut" for e in events if e["type"] == "analysis.completed")
    later = stack.shine("export", "--topic", "shine.analyses.v1", "--since", "2999-01-01T00:00:00+00:00")
    assert later.returncode == 0 and later.stdout == ""


def test_refuses_to_replay_into_the_live_schema(stack: Stack) -> None:
    done = stack.shine("replay", "--into", "public")
    assert done.returncode != 0
    assert "public" in done.stderr
