"""Projection writes: idempotent, monotonic upserts folded from upload and analysis events.

Status ranks make every write monotonic: a late or replayed event never moves a row backwards
(`ON CONFLICT … DO UPDATE … WHERE row.rank < excluded.rank`), so topic order across partitions and
topics does not change the final state.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import and_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from events.analyses import AnalysisCompleted, AnalysisFailed, AnalysisStarted
from events.envelope import derived_id
from events.uploads import UploadAccepted
from storage.tables import analysis_features, image_analyses, image_uploads

RANKS = {"pending": 1, "processing": 2, "completed": 3, "failed": 3}


async def upload_accepted(conn: AsyncConnection, event: UploadAccepted) -> None:
    """Insert the upload row (pending) unless it exists; then catch up with an analysis folded earlier."""
    d = event.data
    stmt = insert(image_uploads).values(
        id=d.upload_id,
        user_id=d.user_id,
        original_filename=d.original_filename,
        file_path=f"blob:sha256:{d.blob_sha256}",
        blob_sha256=d.blob_sha256,
        file_size=d.file_size,
        mime_type=d.mime_type,
        width=d.width,
        height=d.height,
        analysis_type=d.analysis_type,
        upload_status="pending",
        status_rank=RANKS["pending"],
        privacy_level=d.privacy_level,
        correlation_id=event.correlation_id,
        created_at=event.occurred_at,
    )
    await conn.execute(stmt.on_conflict_do_nothing(index_elements=[image_uploads.c.id]))
    row = (
        (await conn.execute(image_analyses.select().where(image_analyses.c.upload_id == d.upload_id)))
        .mappings()
        .first()
    )
    if row is not None:
        await _advance_upload(conn, d.upload_id, row["analysis_status"], row["completed_at"])


async def analysis_started(conn: AsyncConnection, event: AnalysisStarted) -> None:
    """The analysis is processing."""
    d = event.data
    await _upsert_analysis(
        conn,
        event,
        {
            "analysis_status": "processing",
            "analyzer_version": d.analyzer_version,
        },
    )
    await _advance_upload(conn, d.upload_id, "processing", None)


async def analysis_completed(conn: AsyncConnection, event: AnalysisCompleted) -> None:
    """The analysis completed: the report, its summary columns and its feature vector."""
    d, report = event.data, event.data.report
    await _upsert_analysis(
        conn,
        event,
        {
            "analysis_status": "completed",
            "analyzer_version": report.analyzer_version,
            "confidence_score": round(report.confidence_score, 4),
            "overall_score": report.overall_score,
            "skin_type": report.skin_type.type,
            "skin_tone": report.skin_tone.category,
            "detected_conditions": [c.model_dump(mode="json") for c in report.conditions],
            "analysis_metadata": report.model_dump(mode="json", exclude={"feature_vector"}),
            "overlay_sha256": d.overlay_sha256,
            "completed_at": event.occurred_at,
        },
    )
    await conn.execute(
        insert(analysis_features)
        .values(
            id=derived_id("features", d.analysis_id),
            analysis_id=d.analysis_id,
            user_id=d.user_id,
            feature_type=report.feature_version,
            feature_vector=report.feature_vector,
            feature_metadata={"analyzer_version": report.analyzer_version},
            created_at=event.occurred_at,
        )
        .on_conflict_do_nothing(index_elements=[analysis_features.c.id])
    )
    await _advance_upload(conn, d.upload_id, "completed", event.occurred_at)


async def analysis_failed(conn: AsyncConnection, event: AnalysisFailed) -> None:
    """The analysis failed with a machine-readable reason."""
    d = event.data
    await _upsert_analysis(
        conn,
        event,
        {
            "analysis_status": "failed",
            "analyzer_version": d.analyzer_version,
            "failure_reason": d.reason,
            "failure_message": d.message,
            "completed_at": event.occurred_at,
        },
    )
    await _advance_upload(conn, d.upload_id, "failed", event.occurred_at)


async def _upsert_analysis(
    conn: AsyncConnection, event: AnalysisStarted | AnalysisCompleted | AnalysisFailed, values: dict[str, Any]
) -> None:
    d, rank = event.data, RANKS[values["analysis_status"]]
    stmt = insert(image_analyses).values(
        id=d.analysis_id,
        upload_id=d.upload_id,
        user_id=d.user_id,
        status_rank=rank,
        created_at=event.occurred_at,
        **values,
    )
    await conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[image_analyses.c.id],
            set_={**{k: stmt.excluded[k] for k in values}, "status_rank": rank},
            where=image_analyses.c.status_rank < rank,
        )
    )


async def _advance_upload(conn: AsyncConnection, upload_id: uuid.UUID, status: str, processed_at: Any) -> None:
    rank = RANKS[status]
    await conn.execute(
        update(image_uploads)
        .where(and_(image_uploads.c.id == upload_id, image_uploads.c.status_rank < rank))
        .values(upload_status=status, status_rank=rank, processed_at=processed_at)
    )
