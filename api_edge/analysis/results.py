"""Turns the analysis projection row into the API's result shape."""

from __future__ import annotations

from typing import Any

from sqlalchemy import RowMapping

from schemas.analysis import AnalysisResult


def present(row: RowMapping, overlay_url: str | None, mask_urls: dict[str, str] | None = None) -> AnalysisResult:
    """The result for one upload, whatever stage its analysis is at."""
    report: dict[str, Any] = row["analysis_metadata"] or {}
    status = row["analysis_status"] or row["upload_status"]
    return AnalysisResult(
        analysis_id=row["analysis_id"],
        upload_id=row["upload_id"],
        status=status,
        confidence_score=float(row["confidence_score"]) if row["confidence_score"] is not None else None,
        skin_type=report.get("skin_type"),
        conditions=report.get("conditions", []),
        scores=report.get("scores"),
        overall_score=report.get("overall_score"),
        zones=report.get("zones", {}),
        skin_tone=report.get("skin_tone"),
        quality_warnings=report.get("quality_warnings", []),
        insights=report.get("insights", []),
        analyzer_version=row["analyzer_version"],
        reason=row["failure_reason"],
        message=row["failure_message"],
        overlay_url=overlay_url if row["overlay_sha256"] else None,
        mask_urls=mask_urls or {},
        score_bands=report.get("score_bands", {}),
        created_at=row["created_at"],
        completed_at=row["completed_at"],
    )
