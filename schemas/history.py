"""HTTP models of a user's analysis history and score trends."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from events.analyses import SCORE_NAMES
from schemas.analysis import Status

MAX_LIMIT = 100
METRICS: tuple[str, ...] = ("overall", *SCORE_NAMES)
# Dates outside these years are refused (422): far enough for any real query, and clear of the calendar's
# ends, where a day added to `date_to` would overflow.
YEARS = (1900, 2999)


class Period(BaseModel):
    """`date_from`/`date_to` as ISO dates (whole days, `date_to` inclusive) or ISO date-times (UTC if naive)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date_from: date | datetime | None = None
    date_to: date | datetime | None = None
    limit: int = Field(default=20, ge=1, description=f"Capped at {MAX_LIMIT}")

    @field_validator("limit")
    @classmethod
    def _cap(cls, value: int) -> int:
        return min(value, MAX_LIMIT)

    @field_validator("date_from", "date_to")
    @classmethod
    def _in_range(cls, value: date | datetime | None) -> date | datetime | None:
        if value is not None and not YEARS[0] <= value.year <= YEARS[1]:
            raise ValueError(f"dates must fall in the years {YEARS[0]}–{YEARS[1]}")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        since, until = self.bounds()
        if since is not None and until is not None and since >= until:
            raise ValueError("date_from must be before date_to")
        return self

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """[since, until) in UTC."""
        return _instant(self.date_from, 0), _instant(self.date_to, 1)


def _instant(value: datetime | date | None, day_offset: int) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.combine(value + timedelta(days=day_offset), time.min, UTC)


class HistoryQuery(Period):
    page: int = Field(default=1, ge=1, le=100_000)


class TrendQuery(Period):
    metric: str = Field(default="overall", json_schema_extra={"enum": list(METRICS)})

    @field_validator("metric")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in METRICS:
            raise ValueError(f"metric must be one of {', '.join(METRICS)}")
        return value

    limit: int = Field(default=MAX_LIMIT, ge=1)


class HistoryItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    upload_id: uuid.UUID
    analysis_id: uuid.UUID | None
    status: Status
    created_at: datetime
    completed_at: datetime | None
    overall_score: float | None
    confidence_score: float | None
    skin_type: str | None
    reason: str | None
    result_url: str


class HistoryPage(BaseModel):
    """`GET /analysis/history`."""

    model_config = ConfigDict(extra="forbid")

    analyses: list[HistoryItem]
    total_count: int
    page: int
    has_more: bool


class TrendPoint(BaseModel):
    model_config = ConfigDict(extra="forbid")

    analysis_id: uuid.UUID
    upload_id: uuid.UUID
    date: datetime
    value: float | None


class Trend(BaseModel):
    """`GET /analysis/trends`: one score over time, oldest first."""

    model_config = ConfigDict(extra="forbid")

    metric: str
    points: list[TrendPoint]
