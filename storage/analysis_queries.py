"""Read queries over the analysis projections; every read is scoped to its owner."""

from __future__ import annotations

import uuid

from sqlalchemy import RowMapping, and_, exists, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.tables import image_analyses, image_uploads


async def result_of(conn: AsyncConnection, upload_id: uuid.UUID, user_id: uuid.UUID) -> RowMapping | None:
    """The upload and its analysis (if any) for that owner; None for a missing or foreign upload."""
    u, a = image_uploads, image_analyses
    stmt = (
        select(
            u.c.id.label("upload_id"),
            u.c.upload_status,
            u.c.created_at,
            u.c.processed_at,
            a.c.id.label("analysis_id"),
            a.c.analysis_status,
            a.c.confidence_score,
            a.c.analysis_metadata,
            a.c.failure_reason,
            a.c.failure_message,
            a.c.analyzer_version,
            a.c.overlay_sha256,
            a.c.completed_at,
        )
        .select_from(u.outerjoin(a, a.c.upload_id == u.c.id))
        .where(and_(u.c.id == upload_id, u.c.user_id == user_id))
    )
    return (await conn.execute(stmt)).mappings().first()


async def blob_in_use(conn: AsyncConnection, sha256: str) -> bool:
    """Whether any upload references the blob (content-addressed blobs are shared)."""
    return bool((await conn.execute(select(exists().where(image_uploads.c.blob_sha256 == sha256)))).scalar())
