"""Analysis routes: upload a photo, read its result and overlay, the history and trends."""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api_edge.access import signed_in
from api_edge.analysis import reads, uploads
from api_edge.analysis.deps import AnalysisDeps
from api_edge.analysis.paths import MASK, OVERLAY, RESULT, SIMILAR
from api_edge.inputs import parse_query
from api_edge.platform.idempotency import key_of
from api_edge.routing import IDEMPOTENCY_KEY, Context, Doc, FormBody, Link, Param, path_uuid
from api_edge.users.session_rules import Principal
from events.analyses import SCORE_NAMES
from observability.logs import correlation_id
from schemas.analysis import AnalysisResult, SimilarAnalyses, SimilarQuery, UploadResponse
from schemas.history import MAX_LIMIT, METRICS, HistoryPage, HistoryQuery, Trend, TrendQuery


async def upload(request: Request, who: Principal, deps: AnalysisDeps) -> Response:
    """POST /analysis/upload → 202 once upload.accepted is on Kafka (the same answer for a keyed repeat)."""
    form = await request.form(max_files=1, max_fields=8)
    cid = correlation_id.get() or str(uuid.uuid4())
    answer = await uploads.upload(deps, who, form, key_of(request), cid)
    return JSONResponse(answer.body, status_code=answer.status, headers=answer.headers)


async def result(request: Request, who: Principal, deps: AnalysisDeps) -> Response:
    """GET /analysis/results/{upload_id}: the owner's view of the analysis, 404 for anyone else."""
    found = await reads.result(deps, who, request.path_params["upload_id"])
    return JSONResponse(found.model_dump(mode="json"))


async def overlay(request: Request, who: Principal, deps: AnalysisDeps) -> Response:
    """GET /analysis/results/{upload_id}/overlay: the photo with zones and findings drawn (JPEG)."""
    data = await reads.overlay(deps, who, request.path_params["upload_id"])
    return Response(data, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=3600"})


async def mask(request: Request, who: Principal, deps: AnalysisDeps) -> Response:
    """GET /analysis/results/{upload_id}/masks/{metric}: where the analysis saw one concern (PNG, owner only)."""
    params = request.path_params
    data = await reads.mask(deps, who, params["upload_id"], params["metric"])
    return Response(data, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


async def similar(request: Request, who: Principal, deps: AnalysisDeps) -> Response:
    """GET /analysis/results/{upload_id}/similar?limit: the caller's own most similar analyses."""
    query = parse_query(request, SimilarQuery)
    found = await reads.similar(deps, who, request.path_params["upload_id"], query.limit)
    return JSONResponse(found.model_dump(mode="json"))


async def history(request: Request, who: Principal, deps: AnalysisDeps) -> Response:
    """GET /analysis/history?page&limit&date_from&date_to."""
    page = await reads.past_analyses(deps, who, parse_query(request, HistoryQuery))
    return JSONResponse(page.model_dump(mode="json"))


async def trends(request: Request, who: Principal, deps: AnalysisDeps) -> Response:
    """GET /analysis/trends?metric&date_from&date_to."""
    trend = await reads.score_trend(deps, who, parse_query(request, TrendQuery))
    return JSONResponse(trend.model_dump(mode="json"))


_IMAGE = {"type": "string", "format": "binary", "description": "JPEG, PNG or WebP; ≤ 10 MiB, ≤ 40 MP"}
_UPLOAD_FORM = FormBody(
    {
        "type": "object",
        "required": ["image"],
        "additionalProperties": False,
        "properties": {
            "image": _IMAGE,
            "analysis_type": {"type": "string", "enum": ["comprehensive", "quick"], "default": "comprehensive"},
            "privacy_level": {"type": "string", "enum": ["private", "standard", "research"], "default": "private"},
        },
    }
)
_DATE = {
    "type": "string",
    "description": "ISO date (whole day; date_to inclusive) or date-time (UTC if naive), years 1900–2999",
}
_PERIOD = (
    Param("date_from", "query", _DATE),
    Param("date_to", "query", _DATE),
    Param("limit", "query", {"type": "integer", "minimum": 1, "description": f"capped at {MAX_LIMIT}"}),
)
_PAGE = Param("page", "query", {"type": "integer", "minimum": 1, "maximum": 100_000, "default": 1})
_METRIC = Param("metric", "query", {"type": "string", "enum": list(METRICS), "default": "overall"})

analysis = Context(lambda edge: edge.analysis)
ROUTES = (
    analysis.route(
        "POST",
        "/analysis/upload",
        signed_in(upload),
        Doc(
            "Upload a face photo for analysis",
            {202: UploadResponse},
            (400, 409, 413, 415, 422),
            params=(IDEMPOTENCY_KEY,),
            body=_UPLOAD_FORM,
            headers={202: {"Location": "The result's URL"}},
            links=(
                Link("GetResult", "GET", RESULT, {"upload_id": "$response.body#/upload_id"}),
                Link("GetOverlay", "GET", OVERLAY, {"upload_id": "$response.body#/upload_id"}),
            ),
        ),
    ),
    analysis.route(
        "GET",
        "/analysis/history",
        signed_in(history),
        Doc("Your past analyses, newest first", {200: HistoryPage}, (422,), params=(_PAGE, *_PERIOD)),
    ),
    analysis.route(
        "GET",
        "/analysis/trends",
        signed_in(trends),
        Doc("One of your scores over time, oldest first", {200: Trend}, (422,), params=(_METRIC, *_PERIOD)),
    ),
    analysis.route(
        "GET",
        RESULT,
        signed_in(result),
        Doc("The analysis of one of your uploads", {200: AnalysisResult}, (404,), params=(path_uuid("upload_id"),)),
    ),
    analysis.route(
        "GET",
        OVERLAY,
        signed_in(overlay),
        Doc("The photo with zones and findings drawn", {200: "image/jpeg"}, (404,), params=(path_uuid("upload_id"),)),
    ),
    analysis.route(
        "GET",
        MASK,
        signed_in(mask),
        Doc(
            "Where the analysis saw one concern: a PNG mask over the face box",
            {200: "image/png"},
            (404,),
            params=(path_uuid("upload_id"), Param("metric", "path", {"type": "string", "enum": list(SCORE_NAMES)})),
        ),
    ),
    analysis.route(
        "GET",
        SIMILAR,
        signed_in(similar),
        Doc(
            "Your own analyses most similar to this one",
            {200: SimilarAnalyses},
            (404, 422),
            params=(path_uuid("upload_id"), Param("limit", "query", {"type": "integer", "minimum": 1, "maximum": 50})),
        ),
    ),
)
