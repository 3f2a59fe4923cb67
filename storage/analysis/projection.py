"""The uploads/analysis projection unit: uploads, their analyses and feature vectors."""

from __future__ import annotations

from events.analyses import AnalysisCompleted, AnalysisFailed, AnalysisStarted
from events.uploads import UploadAccepted
from storage.analysis import folds
from storage.analysis.tables import analysis_features, image_analyses, image_uploads
from storage.projection import Projection

ANALYSIS = Projection(
    "analysis",
    (image_uploads, image_analyses, analysis_features),
    {
        UploadAccepted: folds.upload_accepted,
        AnalysisStarted: folds.analysis_started,
        AnalysisCompleted: folds.analysis_completed,
        AnalysisFailed: folds.analysis_failed,
    },
)
