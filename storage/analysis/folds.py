"""Folds of the uploads/analysis projection: idempotent, monotonic upserts (storage/revisions.py).

An upload row is created at revision 0 and follows its analysis's revision (started 1, outcome 2), so topic
order across partitions and topics does not change the final state.
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
from storage.analysis.tables import analysis_features, image_analyses, image_uploads
from storage.revisions import upsert_newer

ACCEPTED_REVISION = 0


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
        revision=ACCEPTED_REVISION,
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
        await _advance_upload(conn, d.upload_id, row["analysis_status"], row["completed_at"], row["revision"])


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
    await _advance_upload(conn, d.upload_id, "processing", None, d.revision)


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
            "mask_sha256": dict(d.mask_sha256) or None,
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
    await _advance_upload(conn, d.upload_id, "completed", event.occurred_at, d.revision)


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
    await _advance_upload(conn, d.upload_id, "failed", event.occurred_at, d.revision)


async def _upsert_analysis(
    conn: AsyncConnection, event: AnalysisStarted | AnalysisCompleted | AnalysisFailed, values: dict[str, Any]
) -> None:
    d = event.data
    await upsert_newer(
        conn,
        image_analyses,
        ["id"],
        {"id": d.analysis_id, "upload_id": d.upload_id, "user_id": d.user_id, **values},
        revision=d.revision,
        on_insert={"created_at": event.occurred_at},
    )


async def _advance_upload(
    conn: AsyncConnection, upload_id: uuid.UUID, status: str, processed_at: Any, revision: int
) -> None:
    # The upload may not be folded yet (topics are read in any order): upload_accepted catches up then.
    await conn.execute(
        update(image_uploads)
        .where(and_(image_uploads.c.id == upload_id, image_uploads.c.revision <= revision))
        .values(upload_status=status, revision=revision, processed_at=processed_at)
    )
