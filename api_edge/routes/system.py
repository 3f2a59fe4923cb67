"""Operational routes: liveness, readiness, metrics and the API description."""

from __future__ import annotations

from datetime import timedelta

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api_edge.deps import EdgeDeps
from events.envelope import utcnow
from schemas.analysis import Health, Readiness
from schemas.openapi import openapi_document
from storage.platform import heartbeats


async def health(request: Request) -> JSONResponse:
    """GET /health: the process is alive."""
    return JSONResponse(Health(status="ok").model_dump())


async def ready(request: Request) -> JSONResponse:
    """GET /ready: 200 only when Kafka, Postgres and every consumer group are healthy and progressing."""
    deps: EdgeDeps = request.app.state.deps
    checks = {"kafka": await deps.kafka_check() or "ok", **await _database_checks(deps)}
    ok = all(v == "ok" for v in checks.values())
    body = Readiness(status="ready" if ok else "not_ready", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)


async def _database_checks(deps: EdgeDeps) -> dict[str, str]:
    stale = timedelta(seconds=deps.heartbeat_stale_seconds)
    try:
        async with deps.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
            now = utcnow()
            beats = await heartbeats.recent(conn, now, stale)
    except Exception as exc:  # readiness reports, it does not fail
        return {"postgres": f"unreachable: {type(exc).__name__}", "consumers": "unknown (no database)"}
    problems = heartbeats.problems(beats, deps.expected_consumers, now, stale)
    return {"postgres": "ok", "consumers": "; ".join(problems) or "ok"}


async def metrics(request: Request) -> Response:
    """GET /metrics: Prometheus exposition."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


async def openapi(request: Request) -> JSONResponse:
    """GET /openapi.json."""
    return JSONResponse(openapi_document())
