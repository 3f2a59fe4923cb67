"""Reading a discovery's progress and results, owner-scoped (another user's discovery is 404)."""

from __future__ import annotations

import uuid

from sqlalchemy import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from api_edge.discovery import present
from api_edge.discovery.deps import DiscoveryDeps
from api_edge.discovery.starts import estimate
from api_edge.errors import ApiError
from schemas.discovery import DiscoveryProgress, DiscoveryResults
from storage.discovery.queries import content_of, recent_durations, session_of

NOT_FOUND = ApiError(404, "DISCOVERY_NOT_FOUND", "No such discovery among yours.")


async def owned_session(conn: AsyncConnection, discovery_id: uuid.UUID, user_id: uuid.UUID) -> RowMapping:
    """The caller's discovery session; 404 for a missing or someone else's."""
    session = await session_of(conn, discovery_id, user_id)
    if session is None:
        raise NOT_FOUND
    return session


async def current_progress(conn: AsyncConnection, discovery_id: uuid.UUID, user_id: uuid.UUID) -> DiscoveryProgress:
    """The progress view of the caller's discovery."""
    session = await owned_session(conn, discovery_id, user_id)
    queued = estimate(await recent_durations(conn)) if session["session_status"] == "queued" else 0
    return present.progress(session, queued)


async def progress(deps: DiscoveryDeps, discovery_id: uuid.UUID, user_id: uuid.UUID) -> DiscoveryProgress:
    """GET /mcp/discovery-progress/{id}."""
    async with deps.db.reading() as conn:
        return await current_progress(conn, discovery_id, user_id)


async def results(deps: DiscoveryDeps, discovery_id: uuid.UUID, user_id: uuid.UUID) -> DiscoveryResults:
    """GET /mcp/discovery-results/{id}: what was found so far (complete once the status is completed)."""
    async with deps.db.reading() as conn:
        session = await owned_session(conn, discovery_id, user_id)
        rows = await content_of(conn, discovery_id)
    return present.results(session, rows)
