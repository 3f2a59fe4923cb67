"""Readiness: Kafka, Postgres, every consumer group, and the analysis backlog."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from api_edge.analysis.backlog import estimate_seconds, service_time
from api_edge.errors import ApiError, Unavailable
from api_edge.system.deps import SystemDeps
from events.envelope import utcnow
from schemas.analysis import BacklogInfo, Readiness
from storage.platform import heartbeats


async def readiness(deps: SystemDeps) -> Readiness:
    """Ready only when Kafka, Postgres and every consumer group are healthy and progressing."""
    checks = {"kafka": await deps.bus.probe(deps.uploads_topic) or "ok", **await _database_checks(deps)}
    backlog = None
    if checks["postgres"] == "ok":
        try:
            found = await deps.backlog.read()
        except (Unavailable, ApiError):
            checks["postgres"] = "unreachable: backlog query failed"
        else:
            backlog = BacklogInfo(
                waiting=found.waiting,
                service_seconds=round(service_time(found), 3),
                finished_last_5_minutes=found.finished_recently,
                estimated_processing_time=estimate_seconds(found),
            )
    ok = all(v == "ok" for v in checks.values())
    return Readiness(status="ready" if ok else "not_ready", checks=checks, backlog=backlog)


async def _database_checks(deps: SystemDeps) -> dict[str, str]:
    stale = timedelta(seconds=deps.heartbeat_stale_seconds)
    try:
        async with deps.db.reading() as conn:
            await conn.execute(text("SELECT 1"))
            now = utcnow()
            beats = await heartbeats.recent(conn, now, stale)
    except Unavailable as exc:  # readiness reports, it does not fail
        cause = type(exc.__cause__).__name__ if exc.__cause__ else "timeout"
        return {"postgres": f"unreachable: {cause}", "consumers": "unknown (no database)"}
    problems = heartbeats.problems(beats, deps.expected_consumers, now, stale)
    return {"postgres": "ok", "consumers": "; ".join(problems) or "ok"}
