"""Reading analyses: one result, its overlay, the history and a score's trend; every read owner-scoped."""

from __future__ import annotations

import uuid

from api_edge.analysis.deps import AnalysisDeps
from api_edge.analysis.results import present
from api_edge.errors import ApiError
from api_edge.users.session_rules import Principal
from schemas.analysis import AnalysisResult
from schemas.history import HistoryItem, HistoryPage, HistoryQuery, Trend, TrendPoint, TrendQuery
from storage.analysis.queries import Window, history, result_of, trend
from storage.blobs import BlobNotFound

NOT_FOUND = ApiError(404, "UPLOAD_NOT_FOUND", "No such upload.")


async def result(deps: AnalysisDeps, who: Principal, upload_id: uuid.UUID) -> AnalysisResult:
    """The owner's view of the analysis; 404 for anyone else."""
    async with deps.db.reading() as conn:
        row = await result_of(conn, upload_id, who.user_id)
    if row is None:
        raise NOT_FOUND
    return present(row, deps.urls.overlay(row["upload_id"]))


async def overlay(deps: AnalysisDeps, who: Principal, upload_id: uuid.UUID) -> bytes:
    """The overlay JPEG of the owner's upload."""
    async with deps.db.reading() as conn:
        row = await result_of(conn, upload_id, who.user_id)
    if row is None or not row["overlay_sha256"]:
        raise ApiError(404, "OVERLAY_NOT_FOUND", "No overlay exists for this upload (yet).")
    try:
        return await deps.blobs.get(row["overlay_sha256"])
    except BlobNotFound:
        raise ApiError(404, "OVERLAY_NOT_FOUND", "The overlay of this upload is no longer stored.") from None


async def past_analyses(deps: AnalysisDeps, who: Principal, query: HistoryQuery) -> HistoryPage:
    """A page of the caller's analyses, newest first."""
    since, until = query.bounds()
    window = Window(who.user_id, since, until, offset=(query.page - 1) * query.limit, limit=query.limit)
    async with deps.db.reading() as conn:
        rows, total = await history(conn, window)
    items = [HistoryItem(**row, result_url=deps.urls.result(row["upload_id"])) for row in rows]
    return HistoryPage(analyses=items, total_count=total, page=query.page, has_more=window.offset + len(items) < total)


async def score_trend(deps: AnalysisDeps, who: Principal, query: TrendQuery) -> Trend:
    """One of the caller's scores over time, oldest first."""
    since, until = query.bounds()
    async with deps.db.reading() as conn:
        rows = await trend(conn, Window(who.user_id, since, until, limit=query.limit), query.metric)
    points = [
        TrendPoint(analysis_id=r["analysis_id"], upload_id=r["upload_id"], date=r["completed_at"], value=r["value"])
        for r in rows
    ]
    return Trend(metric=query.metric, points=points)
