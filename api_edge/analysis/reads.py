"""Reading analyses: one result, its overlay, the history and a score's trend; every read owner-scoped."""

from __future__ import annotations

import uuid

from api_edge.analysis.deps import AnalysisDeps
from api_edge.analysis.results import present
from api_edge.errors import ApiError
from api_edge.recommendations.reads import first_items
from api_edge.users.session_rules import Principal
from events.analyses import SCORE_NAMES
from schemas.analysis import AnalysisResult, SimilarAnalyses, SimilarAnalysis
from schemas.history import HistoryItem, HistoryPage, HistoryQuery, Trend, TrendPoint, TrendQuery
from storage.analysis.queries import Window, history, most_similar, result_of, trend
from storage.blobs import BlobNotFound

NOT_FOUND = ApiError(404, "UPLOAD_NOT_FOUND", "No such upload.")


async def result(deps: AnalysisDeps, who: Principal, upload_id: uuid.UUID) -> AnalysisResult:
    """The owner's view of the analysis; 404 for anyone else."""
    async with deps.db.reading() as conn:
        row = await result_of(conn, upload_id, who.user_id)
        # The recommendation context's read model: the top of the current list, with reasons and contributions.
        found = await first_items(conn, who.user_id, row["analysis_id"]) if row and row["analysis_id"] else []
    if row is None:
        raise NOT_FOUND
    masks = {metric: deps.urls.mask(row["upload_id"], metric) for metric in row["mask_sha256"] or {}}
    shown = [item.model_dump(mode="json") for item in found]
    return present(row, deps.urls.overlay(row["upload_id"]), masks).model_copy(update={"recommendations": shown})


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


async def mask(deps: AnalysisDeps, who: Principal, upload_id: uuid.UUID, metric: str) -> bytes:
    """The PNG mask of one score of the owner's analysis (where the analysis saw that concern)."""
    if metric not in SCORE_NAMES:
        raise ApiError(404, "MASK_NOT_FOUND", f"No such score; masks exist for: {', '.join(SCORE_NAMES)}.")
    async with deps.db.reading() as conn:
        row = await result_of(conn, upload_id, who.user_id)
    if row is None:
        raise NOT_FOUND
    sha = (row["mask_sha256"] or {}).get(metric)
    if not sha:
        raise ApiError(404, "MASK_NOT_FOUND", "No mask exists for this score (not completed, quick, or analyzer 1).")
    try:
        return await deps.blobs.get(sha)
    except BlobNotFound:
        raise ApiError(404, "MASK_NOT_FOUND", "The mask of this upload is no longer stored.") from None


async def similar(deps: AnalysisDeps, who: Principal, upload_id: uuid.UUID, limit: int) -> SimilarAnalyses:
    """The caller's own analyses most similar to this one (never anyone else's)."""
    async with deps.db.reading() as conn:
        row = await result_of(conn, upload_id, who.user_id)
        if row is None:
            raise NOT_FOUND
        found = await most_similar(conn, row["analysis_id"], who.user_id, limit) if row["analysis_id"] else []
    items = [
        SimilarAnalysis(
            analysis_id=r["analysis_id"],
            upload_id=r["upload_id"],
            similarity=round(float(r["similarity"] or 0.0), 6),
            completed_at=r["completed_at"],
            result_url=deps.urls.result(r["upload_id"]),
        )
        for r in found
        if r["upload_id"] is not None
    ]
    return SimilarAnalyses(upload_id=upload_id, analysis_id=row["analysis_id"], similar=items)


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
