"""Projections are monotonic and order-independent; a killed consumer loses and doubles nothing."""

from __future__ import annotations

import os
import signal
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from consumers.projector.handlers import projector_handlers
from events.analyses import AnalysisFailed, AnalysisFailedData, AnalysisStarted, AnalysisStartedData
from events.envelope import derived_id
from events.topics import UPLOADS
from events.uploads import UploadAccepted
from shine.settings import Settings
from storage.analysis.projection import ANALYSIS
from storage.analysis.tables import image_analyses, image_uploads
from storage.platform.tables import processed_events
from tests.support.kafka import fresh_prefix, publisher, upload_event
from tests.support.polling import eventually
from tests.support.services import spawn, stop

pytestmark = pytest.mark.integration


def _analysis_events(upload: UploadAccepted) -> tuple[AnalysisStarted, AnalysisFailed]:
    d = upload.data
    analysis_id = derived_id("analysis", upload.event_id)
    started = AnalysisStarted.caused_by(
        upload,
        event_id=uuid.uuid4(),
        source="t",
        subject=upload.subject,
        data=AnalysisStartedData(
            analysis_id=analysis_id, upload_id=d.upload_id, user_id=d.user_id, analyzer_version="v"
        ),
    )
    failed = AnalysisFailed.caused_by(
        upload,
        event_id=uuid.uuid4(),
        source="t",
        subject=upload.subject,
        data=AnalysisFailedData(
            analysis_id=analysis_id,
            upload_id=d.upload_id,
            user_id=d.user_id,
            analyzer_version="v",
            reason="no_face_detected",
            message="none",
        ),
    )
    return started, failed


async def _status(engine: AsyncEngine, upload_id: uuid.UUID) -> tuple[str | None, str | None]:
    async with engine.connect() as conn:
        up = (await conn.execute(select(image_uploads.c.upload_status).where(image_uploads.c.id == upload_id))).scalar()
        an = (
            await conn.execute(select(image_analyses.c.analysis_status).where(image_analyses.c.upload_id == upload_id))
        ).scalar()
    return up, an


@pytest.mark.parametrize("order", ["in_order", "reversed", "outcome_first"])
async def test_final_state_does_not_depend_on_arrival_order(engine: AsyncEngine, order: str) -> None:
    upload = upload_event()
    started, failed = _analysis_events(upload)
    sequence = {
        "in_order": [upload, started, failed],
        "reversed": [failed, started, upload],
        "outcome_first": [failed, upload, started],
    }[order]
    handlers = projector_handlers(engine)
    for event in [*sequence, *sequence]:  # every event delivered twice
        await handlers[type(event)](event)
    assert await _status(engine, upload.data.upload_id) == ("failed", "failed")


async def test_killed_consumer_restarts_without_losing_or_repeating(
    settings: Settings, engine: AsyncEngine, tmp_path: Path
) -> None:
    prefix = await fresh_prefix(settings.kafka_servers, settings.topic_prefix)
    events = [upload_event() for _ in range(300)]
    async with publisher(settings.kafka_servers, prefix) as pub:
        await pub.publish_many(UPLOADS, events)
    ids = [e.event_id for e in events]

    async def claimed() -> int:
        async with engine.connect() as conn:
            return int(
                (
                    await conn.execute(
                        select(func.count())
                        .select_from(processed_events)
                        .where(processed_events.c.consumer == ANALYSIS.claim_name, processed_events.c.event_id.in_(ids))
                    )
                ).scalar()
                or 0
            )

    child_settings = settings.model_copy(update={"topic_prefix": prefix})
    first = spawn(child_settings, "consume", "projector", log=tmp_path / "projector-1.log")
    try:
        await eventually(lambda: _more_than(claimed(), 20), timeout=60, what="the consumer to make progress")
        os.kill(first.pid, signal.SIGKILL)  # no shutdown hook runs: uncommitted offsets are redelivered
        first.wait()
        assert await claimed() < len(events), "the consumer finished before it could be killed"
    finally:
        stop(first)
    second = spawn(child_settings, "consume", "projector", log=tmp_path / "projector-2.log")
    try:
        await eventually(lambda: _more_than(claimed(), len(events) - 1), timeout=60, what="every event claimed")
    finally:
        stop(second)
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                select(func.count())
                .select_from(image_uploads)
                .where(image_uploads.c.id.in_([e.data.upload_id for e in events]))
            )
        ).scalar()
    assert rows == len(events)
    assert await claimed() == len(events)  # one committed claim per event: applied exactly once


async def _more_than(count: object, n: int) -> bool:
    return bool(await count > n)  # type: ignore[operator]
