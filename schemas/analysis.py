"""HTTP models of the analysis API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from events.analyses import Condition, Insight, Notice, Scores, SkinTone, SkinType

AnalysisType = Literal["comprehensive", "quick"]
PrivacyLevel = Literal["private", "standard", "research"]
Status = Literal["pending", "processing", "completed", "failed"]


class UploadForm(BaseModel):
    """The non-file fields of `POST /analysis/upload` (multipart)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    analysis_type: AnalysisType = "comprehensive"
    privacy_level: PrivacyLevel = "private"


class UploadResponse(BaseModel):
    """202 answer to an accepted upload."""

    model_config = ConfigDict(extra="forbid")

    upload_id: uuid.UUID
    status: Status
    estimated_processing_time: int = Field(description="Seconds until the result is expected")
    analysis_url: str


class AnalysisResult(BaseModel):
    """`GET /analysis/results/{upload_id}`: the product fields, then everything else the analysis provides."""

    model_config = ConfigDict(extra="forbid")

    analysis_id: uuid.UUID | None
    upload_id: uuid.UUID
    status: Status
    confidence_score: float | None = None
    skin_type: SkinType | None = None
    conditions: list[Condition] = []
    recommendations: list[dict[str, Any]] = []
    scores: Scores | None = None
    overall_score: float | None = None
    zones: dict[str, dict[str, float]] = {}
    skin_tone: SkinTone | None = None
    quality_warnings: list[Notice] = []
    insights: list[Insight] = []
    analyzer_version: str | None = None
    reason: str | None = None
    message: str | None = None
    overlay_url: str | None = None
    mask_urls: dict[str, str] = Field(default={}, description="Score name → URL of its PNG mask (analyzer 2)")
    score_bands: dict[str, str] = Field(default={}, description="Score name → band (excellent, good, average, poor)")
    created_at: datetime
    completed_at: datetime | None = None


class SimilarAnalysis(BaseModel):
    """One of the caller's other analyses, by cosine similarity of the feature vectors."""

    model_config = ConfigDict(extra="forbid")

    analysis_id: uuid.UUID
    upload_id: uuid.UUID
    similarity: float
    completed_at: datetime | None = None
    result_url: str


class SimilarQuery(BaseModel):
    """Query of `GET /analysis/results/{upload_id}/similar`."""

    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=10, ge=1, le=50)


class SimilarAnalyses(BaseModel):
    """`GET /analysis/results/{upload_id}/similar`: the caller's own analyses only, most similar first."""

    model_config = ConfigDict(extra="forbid")

    upload_id: uuid.UUID
    analysis_id: uuid.UUID | None
    similar: list[SimilarAnalysis]


class Health(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["ok"]


class BacklogInfo(BaseModel):
    """The analysis queue as measured now (back-pressure uses the same numbers)."""

    model_config = ConfigDict(extra="forbid")

    waiting: int = Field(description="Uploads accepted and not finished")
    service_seconds: float = Field(description="Recent mean time one analysis takes")
    finished_last_5_minutes: int
    estimated_processing_time: int = Field(description="Seconds a new upload would wait for its result")


class Readiness(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["ready", "not_ready"]
    checks: dict[str, str]
    backlog: BacklogInfo | None = None
