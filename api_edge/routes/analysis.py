"""Analysis routes: upload a photo, read its result and overlay."""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api_edge.deps import EdgeDeps
from api_edge.errors import ApiError
from api_edge.results import present
from api_edge.uploads import accept, estimate_seconds, parse_form
from observability.logs import correlation_id
from schemas.analysis import UploadResponse
from storage.analysis.queries import result_of
from storage.blobs import BlobNotFound
from storage.users.sessions import Principal

NOT_FOUND = ApiError(404, "UPLOAD_NOT_FOUND", "No such upload.")


async def upload(request: Request, who: Principal) -> JSONResponse:
    """POST /analysis/upload → 202 once upload.accepted is on Kafka."""
    image, opts = parse_form(await request.form(max_files=1, max_fields=8))
    event, clean = await accept(request.app.state.deps, who, image, opts, correlation_id.get() or str(uuid.uuid4()))
    url = str(request.url_for("analysis_result", upload_id=event.data.upload_id))
    body = UploadResponse(
        upload_id=event.data.upload_id,
        status="pending",
        estimated_processing_time=estimate_seconds(clean),
        analysis_url=url,
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=202, headers={"Location": url})


async def result(request: Request, who: Principal) -> JSONResponse:
    """GET /analysis/results/{upload_id}: the owner's view of the analysis, 404 for anyone else."""
    deps: EdgeDeps = request.app.state.deps
    async with deps.engine.connect() as conn:
        row = await result_of(conn, request.path_params["upload_id"], who.user_id)
    if row is None:
        raise NOT_FOUND
    overlay = str(request.url_for("analysis_overlay", upload_id=row["upload_id"]))
    return JSONResponse(present(row, overlay).model_dump(mode="json"))


async def overlay(request: Request, who: Principal) -> Response:
    """GET /analysis/results/{upload_id}/overlay: the photo with zones and findings drawn (JPEG)."""
    deps: EdgeDeps = request.app.state.deps
    async with deps.engine.connect() as conn:
        row = await result_of(conn, request.path_params["upload_id"], who.user_id)
    if row is None or not row["overlay_sha256"]:
        raise ApiError(404, "OVERLAY_NOT_FOUND", "No overlay exists for this upload (yet).")
    try:
        data = await deps.blobs.get(row["overlay_sha256"])
    except BlobNotFound:
        raise ApiError(404, "OVERLAY_NOT_FOUND", "The overlay of this upload is no longer stored.") from None
    return Response(data, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=3600"})
