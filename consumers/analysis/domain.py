"""Analysis domain: pure functions from an accepted upload to the events that describe its analysis."""

from __future__ import annotations

import uuid
from typing import cast

import cv2
import numpy as np
from numpy.typing import NDArray

from consumers.analysis.engine import ANALYZER_VERSION, Outcome, Refusal
from events.analyses import (
    AnalysisCompleted,
    AnalysisCompletedData,
    AnalysisFailed,
    AnalysisFailedData,
    AnalysisStarted,
    AnalysisStartedData,
)
from events.envelope import derived_id
from events.uploads import UploadAccepted

SOURCE = "shine.consumers.analysis"
UNREADABLE = Refusal("image_unreadable", "The stored photo could not be read, so it could not be analysed.")
INTERNAL_ERROR = Refusal("internal_error", "Something went wrong while analysing this photo; please try another.")


def analysis_id(upload: UploadAccepted) -> uuid.UUID:
    """The analysis id is derived from the upload event, so reprocessing reuses it."""
    return derived_id("analysis", upload.event_id)


def decode_image(data: bytes) -> NDArray[np.uint8] | None:
    """Decode stored (already sanitised) image bytes to BGR, or None when they are unreadable."""
    image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    return cast("NDArray[np.uint8]", image) if image is not None and image.size else None


def _ids(upload: UploadAccepted) -> dict[str, uuid.UUID]:
    d = upload.data
    return {"analysis_id": analysis_id(upload), "upload_id": d.upload_id, "user_id": d.user_id}


def started_event(upload: UploadAccepted) -> AnalysisStarted:
    """analysis.started for this upload (deterministic id)."""
    data = AnalysisStartedData(**_ids(upload), analyzer_version=ANALYZER_VERSION)
    return AnalysisStarted.caused_by(
        upload,
        event_id=derived_id("analysis-started", upload.event_id),
        source=SOURCE,
        subject=upload.subject,
        data=data,
    )


def is_quick(upload: UploadAccepted) -> bool:
    """Whether the upload asked for the quick analysis (a documented subset, engine/pipeline.py)."""
    return upload.data.analysis_type == "quick"


def outcome_event(
    upload: UploadAccepted,
    outcome: Outcome,
    overlay_sha256: str | None,
    mask_sha256: dict[str, str] | None = None,
) -> AnalysisCompleted | AnalysisFailed:
    """analysis.completed with the report, or analysis.failed with the refusal (same deterministic id)."""
    if outcome.report is None:
        return failed_event(upload, outcome.refusal or UNREADABLE)
    data = AnalysisCompletedData(
        **_ids(upload), report=outcome.report, overlay_sha256=overlay_sha256, mask_sha256=mask_sha256 or {}
    )
    return AnalysisCompleted.caused_by(
        upload,
        event_id=derived_id("analysis-outcome", upload.event_id),
        source=SOURCE,
        subject=upload.subject,
        data=data,
    )


def failed_event(upload: UploadAccepted, refusal: Refusal) -> AnalysisFailed:
    """analysis.failed for this upload (deterministic id)."""
    data = AnalysisFailedData(
        **_ids(upload), analyzer_version=ANALYZER_VERSION, reason=refusal.reason, message=refusal.message
    )
    return AnalysisFailed.caused_by(
        upload,
        event_id=derived_id("analysis-outcome", upload.event_id),
        source=SOURCE,
        subject=upload.subject,
        data=data,
    )
