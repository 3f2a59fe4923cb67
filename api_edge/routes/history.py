"""History routes: the caller's past analyses and how a score moves over time."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from api_edge.deps import EdgeDeps
from api_edge.inputs import parse_query
from schemas.history import HistoryItem, HistoryPage, HistoryQuery, Trend, TrendPoint, TrendQuery
from storage.analysis.queries import Window, history, trend
from storage.users.sessions import Principal


async def analysis_history(request: Request, who: Principal) -> JSONResponse:
    """GET /analysis/history?page&limit&date_from&date_to."""
    query = parse_query(request, HistoryQuery)
    deps: EdgeDeps = request.app.state.deps
    since, until = query.bounds()
    window = Window(who.user_id, since, until, offset=(query.page - 1) * query.limit, limit=query.limit)
    async with deps.engine.connect() as conn:
        rows, total = await history(conn, window)
    items = [
        HistoryItem(
            **row,
            result_url=str(request.url_for("analysis_result", upload_id=row["upload_id"])),
        )
        for row in rows
    ]
    page = HistoryPage(analyses=items, total_count=total, page=query.page, has_more=window.offset + len(items) < total)
    return JSONResponse(page.model_dump(mode="json"))


async def analysis_trends(request: Request, who: Principal) -> JSONResponse:
    """GET /analysis/trends?metric&date_from&date_to."""
    query = parse_query(request, TrendQuery)
    deps: EdgeDeps = request.app.state.deps
    since, until = query.bounds()
    async with deps.engine.connect() as conn:
        rows = await trend(conn, Window(who.user_id, since, until, limit=query.limit), query.metric)
    points = [
        TrendPoint(analysis_id=r["analysis_id"], upload_id=r["upload_id"], date=r["completed_at"], value=r["value"])
        for r in rows
    ]
    return JSONResponse(Trend(metric=query.metric, points=points).model_dump(mode="json"))
