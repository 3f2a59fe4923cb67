"""Read queries over the analysis projections; every read is scoped to its owner."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, RowMapping, and_, exists, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.analysis.tables import image_analyses, image_uploads


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
            a.c.mask_sha256,
            a.c.completed_at,
        )
        .select_from(u.outerjoin(a, a.c.upload_id == u.c.id))
        .where(and_(u.c.id == upload_id, u.c.user_id == user_id))
    )
    return (await conn.execute(stmt)).mappings().first()


async def blob_in_use(conn: AsyncConnection, sha256: str) -> bool:
    """Whether any upload references the blob (content-addressed blobs are shared)."""
    return bool((await conn.execute(select(exists().where(image_uploads.c.blob_sha256 == sha256)))).scalar())


@dataclass(frozen=True)
class Window:
    """A user's slice of history: [since, until) by upload time, one page of it."""

    user_id: uuid.UUID
    since: datetime | None
    until: datetime | None
    offset: int = 0
    limit: int = 20


def _in_window(w: Window) -> ColumnElement[bool]:
    u = image_uploads
    clauses = [u.c.user_id == w.user_id]
    if w.since is not None:
        clauses.append(u.c.created_at >= w.since)
    if w.until is not None:
        clauses.append(u.c.created_at < w.until)
    return and_(*clauses)


async def history(conn: AsyncConnection, w: Window) -> tuple[Sequence[RowMapping], int]:
    """One page of the user's uploads with their analysis summary (newest first), and the total count."""
    u, a = image_uploads, image_analyses
    total = (await conn.execute(select(func.count()).select_from(u).where(_in_window(w)))).scalar_one()
    stmt = (
        select(
            u.c.id.label("upload_id"),
            a.c.id.label("analysis_id"),
            func.coalesce(a.c.analysis_status, u.c.upload_status).label("status"),
            u.c.created_at,
            a.c.completed_at,
            a.c.overall_score,
            a.c.confidence_score,
            a.c.skin_type,
            a.c.failure_reason.label("reason"),
        )
        .select_from(u.outerjoin(a, a.c.upload_id == u.c.id))
        .where(_in_window(w))
        .order_by(u.c.created_at.desc(), u.c.id)
        .offset(w.offset)
        .limit(w.limit)
    )
    return (await conn.execute(stmt)).mappings().all(), int(total)


async def trend(conn: AsyncConnection, w: Window, metric: str) -> Sequence[RowMapping]:
    """The user's completed analyses in time order with one score (`overall` or a score name)."""
    a = image_analyses
    value = a.c.overall_score if metric == "overall" else a.c.analysis_metadata["scores"][metric].as_float()
    stmt = (
        select(a.c.id.label("analysis_id"), a.c.upload_id, a.c.completed_at, value.label("value"))
        .select_from(image_uploads.join(a, a.c.upload_id == image_uploads.c.id))
        .where(_in_window(w), a.c.analysis_status == "completed")
        .order_by(image_uploads.c.created_at, a.c.id)
        .limit(w.limit)
    )
    return (await conn.execute(stmt)).mappings().all()


_SIMILAR = text(
    """
    SELECT other.analysis_id, other.user_id, analysis.upload_id, analysis.completed_at,
           (SELECT sum(x * y) FROM unnest(mine.feature_vector, other.feature_vector) AS v(x, y)) AS similarity
    FROM analysis_features AS mine
    JOIN analysis_features AS other
      ON other.feature_type = mine.feature_type
     AND other.analysis_id <> mine.analysis_id
     AND other.user_id = mine.user_id
    LEFT JOIN image_analyses AS analysis ON analysis.id = other.analysis_id
    WHERE mine.analysis_id = :analysis_id AND mine.user_id = :user_id
    ORDER BY similarity DESC, other.analysis_id
    LIMIT :limit
    """
)


async def most_similar(
    conn: AsyncConnection, analysis_id: uuid.UUID, user_id: uuid.UUID, limit: int = 10
) -> Sequence[RowMapping]:
    """The owner's other analyses nearest by cosine similarity (feature vectors are L2-normalised, so it is a
    dot product), within one feature version; empty when `analysis_id` is not `user_id`'s."""
    params = {"analysis_id": analysis_id, "user_id": user_id, "limit": limit}
    return (await conn.execute(_SIMILAR, params)).mappings().all()


async def analysis_of(conn: AsyncConnection, analysis_id: uuid.UUID, user_id: uuid.UUID) -> RowMapping | None:
    """The owner's analysis named by its analysis id or its upload id; None for a missing or foreign one."""
    a = image_analyses
    stmt = select(a.c.id, a.c.upload_id, a.c.analysis_status, a.c.analysis_metadata).where(
        and_(a.c.user_id == user_id, (a.c.id == analysis_id) | (a.c.upload_id == analysis_id))
    )
    return (await conn.execute(stmt)).mappings().first()
