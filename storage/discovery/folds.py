"""Folds of the discovery projections, monotonic by the discovery's update sequence (storage/revisions.py).

`discovery.requested` creates the session at revision 0 (the edge also folds it at once, read-your-write);
every later event of the discovery carries a higher sequence and moves the row only forward. They share the
request's partition (keyed by discovery id), so the session row always exists when they are folded. The
outcome's items are written only when the outcome itself moved the session.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import and_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from events.discovery import (
    DiscoveredContent,
    DiscoveryCompleted,
    DiscoveryFailed,
    DiscoveryProgressed,
    DiscoveryRequested,
    web_product_id,
)
from storage.discovery.tables import discovered_content, discovery_sessions
from storage.revisions import upsert_newer

REQUESTED_REVISION = 0
CONTENT_NAMESPACE = uuid.UUID("3f6c1d52-0a8e-4a4f-b6a1-7d2f5e9c8b10")


def content_id(discovery_id: uuid.UUID, content_url: str) -> uuid.UUID:
    """A kept result's row id: one row per discovery and canonical URL."""
    return uuid.uuid5(CONTENT_NAMESPACE, f"{discovery_id}/{content_url}")


async def discovery_requested(conn: AsyncConnection, event: DiscoveryRequested) -> None:
    """A new discovery, queued."""
    d = event.data
    row = {
        "id": d.discovery_id,
        "user_id": d.user_id,
        "analysis_id": d.analysis_id,
        "session_status": "queued",
        "current_stage": "queued",
        "search_parameters": d.search_parameters,
        "result_limit": d.result_limit,
        "progress_percentage": 0,
        "results_found": 0,
        "estimated_remaining_seconds": 0,
        "quality_threshold": round(d.quality_threshold, 2),
        "degraded": False,
        "cached": False,
        "queries": [],
        "progressed_at": event.occurred_at,
    }
    await upsert_newer(
        conn, discovery_sessions, ["id"], row, revision=REQUESTED_REVISION, on_insert={"created_at": event.occurred_at}
    )


async def _advance(conn: AsyncConnection, discovery_id: uuid.UUID, sequence: int, values: dict[str, Any]) -> bool:
    s = discovery_sessions.c
    stmt = (
        update(discovery_sessions)
        .where(and_(s.id == discovery_id, s.revision <= sequence))
        .values(**values, revision=sequence)
    )
    return bool((await conn.execute(stmt)).rowcount)


async def discovery_progressed(conn: AsyncConnection, event: DiscoveryProgressed) -> None:
    """A stage reached: percentage, results so far and the estimate move forward together."""
    d = event.data
    values = {
        "session_status": "active",
        "current_stage": d.stage,
        "progress_percentage": d.percentage,
        "results_found": d.results_found,
        "estimated_remaining_seconds": d.estimated_remaining_seconds,
        "progressed_at": event.occurred_at,
    }
    await _advance(conn, d.discovery_id, d.sequence, values)


def content_row(discovery_id: uuid.UUID, rank: int, item: DiscoveredContent, at: Any) -> dict[str, Any]:
    """A `discovered_content` row for the rank-th kept item of a discovery."""
    meta: dict[str, Any] = {
        "site": item.site,
        "name": item.name,
        "brand": item.brand,
        "price": str(item.price) if item.price is not None else None,
        "currency": item.currency,
        "ingredients": list(item.ingredients),
        "matched_concerns": list(item.matched_concerns),
        "medical_claims": list(item.medical_claims),
        "fetched_at": item.fetched_at.isoformat(),
        "product_id": str(web_product_id(item.content_url)) if item.content_type == "product" and item.name else None,
    }
    return {
        "id": content_id(discovery_id, item.content_url),
        "discovery_session_id": discovery_id,
        "content_type": item.content_type,
        "source_url": item.source_url,
        "content_url": item.content_url,
        "title": (item.title or item.name or "")[:500] or None,
        "description": item.description,
        "image_urls": list(item.image_urls),
        "metadata": meta,
        "quality_score": round(item.quality_score, 4),
        "similarity_score": round(item.similarity_score, 4),
        "rank": rank,
        "created_at": at,
    }


async def discovery_completed(conn: AsyncConnection, event: DiscoveryCompleted) -> None:
    """The outcome and its kept items (ranked as the discovery ranked them)."""
    d = event.data
    values = {
        "session_status": "completed",
        "current_stage": "completed",
        "progress_percentage": 100,
        "results_found": d.results_found,
        "estimated_remaining_seconds": 0,
        "quality_score": round(d.quality_score, 4),
        "degraded": d.degraded,
        "cached": d.cached,
        "queries": list(d.queries),
        "progressed_at": event.occurred_at,
        "completed_at": event.occurred_at,
    }
    if not await _advance(conn, d.discovery_id, d.sequence, values):
        return
    for rank, item in enumerate(d.items, start=1):
        row = content_row(d.discovery_id, rank, item, event.occurred_at)
        await upsert_newer(conn, discovered_content, ["id"], row, revision=d.sequence)


async def discovery_failed(conn: AsyncConnection, event: DiscoveryFailed) -> None:
    """A discovery that could not answer at all, with the reason."""
    d = event.data
    values = {
        "session_status": "failed",
        "current_stage": "failed",
        "estimated_remaining_seconds": 0,
        "degraded": d.degraded,
        "cached": d.cached,
        "failure_reason": d.reason,
        "failure_message": d.message,
        "progressed_at": event.occurred_at,
        "completed_at": event.occurred_at,
    }
    await _advance(conn, d.discovery_id, d.sequence, values)
