"""Analysis context: what the skin analysis found, or why it could not run."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import Field

from events.envelope import Event, Payload

ZONES = (
    "forehead",
    "nose",
    "left_cheek",
    "right_cheek",
    "chin",
    "left_under_eye",
    "right_under_eye",
    "perioral",
    "left_crows_feet",
    "right_crows_feet",
)
SCORE_NAMES = (
    "redness",
    "oiliness",
    "pigmentation",
    "texture",
    "pores",
    "acne",
    "wrinkles",
    "dark_circles",
    "evenness",
    "radiance",
)
FailureReason = Literal[
    "no_face_detected",
    "multiple_faces",
    "face_too_small",
    "image_too_dark",
    "image_overexposed",
    "image_too_blurry",
    "strong_colour_cast",
    "head_tilted",
    "face_turned",
    "face_cut_off",
    "image_unreadable",
    "internal_error",
]
Severity = Literal["none", "mild", "moderate", "severe"]


class Scores(Payload):
    """Ten 0–100 scores, higher is healthier."""

    redness: float = Field(ge=0, le=100)
    oiliness: float = Field(ge=0, le=100)
    pigmentation: float = Field(ge=0, le=100)
    texture: float = Field(ge=0, le=100)
    pores: float = Field(ge=0, le=100)
    acne: float = Field(ge=0, le=100)
    wrinkles: float = Field(ge=0, le=100)
    dark_circles: float = Field(ge=0, le=100)
    evenness: float = Field(ge=0, le=100)
    radiance: float = Field(ge=0, le=100)


class Box(Payload):
    """A rectangle in the original image's pixel coordinates."""

    x: int
    y: int
    w: int
    h: int


class SkinType(Payload):
    type: Literal["normal", "oily", "dry", "combination", "sensitive"]
    probabilities: dict[str, float]


class SkinTone(Payload):
    ita: float
    category: Literal["very_light", "light", "intermediate", "tan", "brown", "dark"]
    fitzpatrick_estimate: Literal["I", "II", "III", "IV", "V", "VI"]
    monk: int = Field(ge=1, le=10)


class Condition(Payload):
    """A finding; `score` is on the same health scale as the scores (0–100, higher is healthier)."""

    type: str
    severity: Severity
    score: float = Field(ge=0, le=100)
    zones: list[str]
    regions: list[Box]


class Notice(Payload):
    """A machine-readable code with a sentence a person understands."""

    reason: str
    message: str


class Insight(Payload):
    topic: str
    text: str


class SkinReport(Payload):
    """Everything one analysis found. Produced by consumers.analysis.engine, carried on analysis.completed."""

    analyzer_version: str
    face: Box
    face_detection_strength: float = Field(ge=0, le=1)
    scores: Scores
    overall_score: float = Field(ge=0, le=100)
    zones: dict[str, dict[str, float]]
    skin_type: SkinType
    skin_tone: SkinTone
    conditions: list[Condition]
    confidence_score: float = Field(ge=0, le=1)
    quality_warnings: list[Notice]
    insights: list[Insight]
    metrics: dict[str, float]
    feature_version: str
    feature_vector: list[float]
    # Added in analyzer 2.0 (absent from older reports): each score's band, see the README.
    score_bands: dict[str, str] = Field(default_factory=dict)


class AnalysisStartedData(Payload):
    analysis_id: uuid.UUID
    upload_id: uuid.UUID
    user_id: uuid.UUID
    analyzer_version: str
    revision: int = 1  # the analysis's revision: started (1) precedes its outcome (2)


class AnalysisCompletedData(Payload):
    analysis_id: uuid.UUID
    upload_id: uuid.UUID
    user_id: uuid.UUID
    report: SkinReport
    revision: int = 2
    overlay_sha256: str | None = None
    mask_sha256: dict[str, str] = Field(default_factory=dict)  # score name -> blob of its PNG mask (v2)


class AnalysisFailedData(Payload):
    analysis_id: uuid.UUID
    upload_id: uuid.UUID
    user_id: uuid.UUID
    analyzer_version: str
    reason: FailureReason
    message: str
    revision: int = 2


class AnalysisStarted(Event):
    """The analysis consumer picked up an upload."""

    TYPE = "analysis.started"
    data: AnalysisStartedData


class AnalysisCompleted(Event):
    """An upload was analysed and a report produced."""

    TYPE = "analysis.completed"
    VERSION = 2  # v2 added mask_sha256 (and score_bands in the report)
    data: AnalysisCompletedData


class AnalysisFailed(Event):
    """An upload could not be analysed, with a machine-readable reason."""

    TYPE = "analysis.failed"
    data: AnalysisFailedData
